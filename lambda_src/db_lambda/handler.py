"""Lambda entry point, invoked directly (`aws lambda invoke`): thin wiring only.

Events: {"action": "add_user", "name": ..., "email": ...} -> 201 with the stored user (409 if
the email exists); {"action": "get_user", "user_id": N} -> 200 or 404; {"action":
"list_users", "limit": 1-100, "name": optional} -> 200 with the users (the guide's
"SELECT * FROM users LIMIT 10"). A bad event is a 400 that names the field; an unreachable
secret or database is a 503 whose reason is logged, not returned.

The database connection lives in `database()`, made on the first invocation of an
execution environment and reused by the next ones (guide 002: "initialize outside the
handler"); importing this module touches no AWS, no database and no environment variable.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from db_lambda import db, logic, secrets

HOST_VARIABLE = "DB_HOST"
PORT_VARIABLE = "DB_PORT"
NAME_VARIABLE = "DB_NAME"
SECRET_VARIABLE = "DB_SECRET_ARN"
CA_FILE_VARIABLE = "DB_CA_FILE"

logger = Logger(service="db-lambda")


class MissingConfigurationError(RuntimeError):
    """The function was deployed without a setting it needs."""


def load_settings(environ: Mapping[str, str]) -> tuple[db.ConnectionSettings, str]:
    """The connection settings and the secret's ARN, from the function's environment."""
    missing = [name for name in (HOST_VARIABLE, NAME_VARIABLE, SECRET_VARIABLE) if not environ.get(name, "").strip()]
    if missing:
        raise MissingConfigurationError("environment variable(s) not set: " + ", ".join(missing))
    port_text = environ.get(PORT_VARIABLE, "3306").strip()
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise MissingConfigurationError(f"{PORT_VARIABLE} must be a port number 1-65535, not {port_text!r}")
    ca_file = environ.get(CA_FILE_VARIABLE, "").strip() or db.DEFAULT_CA_FILE
    if not os.path.isfile(ca_file):
        raise MissingConfigurationError(
            f"{CA_FILE_VARIABLE}={ca_file!r} is not a file: the RDS CA bundle ships in the pymysql layer "
            f"as {db.DEFAULT_CA_FILE} (make pymysql-layer builds it)"
        )
    settings = db.ConnectionSettings(
        host=environ[HOST_VARIABLE].strip(),
        port=int(port_text),
        database=environ[NAME_VARIABLE].strip(),
        ca_file=ca_file,
    )
    return settings, environ[SECRET_VARIABLE].strip()


@functools.cache
def database() -> db.Database:
    """This execution environment's database: created by the first invocation, then reused."""
    settings, secret_id = load_settings(os.environ)
    return db.Database(settings, lambda refresh: secrets.get_credentials(secret_id, refresh=refresh))


@logger.inject_lambda_context
def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    try:
        request = logic.parse_request(event)
    except logic.InvalidRequestError as error:
        logger.info("rejected request", extra={"reason": str(error)})
        return logic.error(400, str(error))
    target = database()
    made_before = target.connections_made
    try:
        response = handle(request, target)
    except (db.DatabaseUnavailableError, secrets.SecretError) as error:
        logger.error("database unavailable", extra={"reason": str(error)})
        return logic.error(503, "the database is unavailable; try again later")
    logger.info(
        "request handled",
        extra={
            "action": type(request).__name__,
            "status": response["statusCode"],
            "new_connection": target.connections_made > made_before,
        },
    )
    return response


def handle(request: logic.Request, target: db.Database) -> dict[str, Any]:
    match request:
        case logic.AddUser(name=name, email=email):
            try:
                user = target.add_user(name, email)
            except db.DuplicateEmailError as error:
                return logic.error(409, str(error))
            return logic.response(201, user.to_json())
        case logic.GetUser(user_id=user_id):
            found = target.get_user(user_id)
            if found is None:
                return logic.error(404, f"no user with user_id {user_id}")
            return logic.response(200, found.to_json())
        case logic.ListUsers(limit=limit, name=name):
            users = target.list_users(limit=limit, name=name)
            return logic.response(200, {"users": [user.to_json() for user in users]})
