"""The only module that talks to AWS: the database credentials from Secrets Manager, read once.

The secret is the one RDS manages for the master user (`manage_master_user_password`): its
JSON is {"username": ..., "password": ...}, with no host or port, so those come from the
function's environment. It is read on the first connection and cached for the life of the
execution environment (guide 002's `_secret_cache`): one GetSecretValue call per cold start,
not per invocation. `refresh=True` reads it again, which db.py asks for when the database
refuses the cached password (RDS rotated it).

Inside the VPC the call goes to the Secrets Manager interface endpoint (private DNS), so the
function needs no NAT. Its timeouts and retries fit well inside the function's timeout.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from db_lambda.db import Credentials

# Inside the function's timeout (stacks/db_lambda/config.py adds these up): a missing endpoint
# or route fails in seconds, not at Lambda's timeout.
CONNECT_TIMEOUT_S = 2
READ_TIMEOUT_S = 3
MAX_ATTEMPTS = 2

_cache: dict[str, Credentials] = {}


class SecretError(RuntimeError):
    """The secret could not be read or is not in the expected shape (never shows its value)."""


@functools.cache
def default_client() -> Any:
    """Created on first use, not at import: importing the handler needs no credentials or region."""
    return boto3.client(
        "secretsmanager",
        config=Config(
            connect_timeout=CONNECT_TIMEOUT_S,
            read_timeout=READ_TIMEOUT_S,
            retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
        ),
    )


def get_credentials(secret_id: str, *, refresh: bool = False, client: Any = None) -> Credentials:
    """The username and password in the secret; cached per secret unless `refresh`."""
    if not refresh and secret_id in _cache:
        return _cache[secret_id]
    client = client if client is not None else default_client()
    try:
        value = client.get_secret_value(SecretId=secret_id)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "ClientError")
        raise SecretError(f"cannot read secret {secret_id}: {code}") from None
    except BotoCoreError as error:  # no route to the endpoint, a timeout
        raise SecretError(f"cannot reach Secrets Manager: {type(error).__name__}") from None
    credentials = parse_secret(value.get("SecretString"), secret_id)
    _cache[secret_id] = credentials
    return credentials


def parse_secret(text: str | None, secret_id: str) -> Credentials:
    """The RDS-managed secret's JSON; extra fields (host, port, engine of older secrets) are ignored."""
    try:
        data = json.loads(text or "")
    except ValueError:
        raise SecretError(f"secret {secret_id} is not a JSON string (a binary secret?)") from None
    if not isinstance(data, dict):
        raise SecretError(f"secret {secret_id} must be a JSON object with username and password")
    missing = [key for key in ("username", "password") if not isinstance(data.get(key), str) or not data[key]]
    if missing:
        raise SecretError(f"secret {secret_id} has no non-empty string field(s): " + ", ".join(missing))
    return Credentials(username=data["username"], password=data["password"])


def clear_cache() -> None:
    _cache.clear()
