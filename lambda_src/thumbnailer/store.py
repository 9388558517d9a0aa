"""The only module that talks to AWS: reads an upload and writes its thumbnails (S3).

The function's role may only GetObject under images/ and PutObject under thumbnails/
(no ListBucket), so a missing object answers AccessDenied rather than NoSuchKey: that
is a failure like any other AWS error, retried by Lambda and then sent to the
on-failure destination, never retried forever.
"""

from __future__ import annotations

import functools
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


class TooLargeError(ValueError):
    """The object is larger than the function accepts; it is not read."""


class ObjectGoneError(LookupError):
    """The object was deleted before the function read it (NoSuchKey)."""


@functools.cache
def default_client() -> Any:
    """Created on first use, not at import: importing the handler needs no credentials or region.

    Timeouts well inside the function's own; botocore retries throttling and 5xx a few times.
    """
    return boto3.client(
        "s3",
        config=Config(connect_timeout=5, read_timeout=20, retries={"mode": "standard", "total_max_attempts": 3}),
    )


def read_upload(bucket: str, key: str, *, max_bytes: int, client: Any = None) -> bytes:
    """The object's bytes; TooLargeError (without reading the body) when it exceeds max_bytes."""
    client = client if client is not None else default_client()
    try:
        response = client.get_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "NoSuchKey":
            raise ObjectGoneError(f"s3://{bucket}/{key} no longer exists") from None
        raise
    body = response["Body"]
    try:
        length = int(response.get("ContentLength", 0))
        if length > max_bytes:
            raise TooLargeError(f"the object is {length:,} bytes, more than {max_bytes:,}")
        # Read at most one byte more than allowed, whatever ContentLength said.
        data: bytes = body.read(max_bytes + 1)
    finally:
        body.close()
    if len(data) > max_bytes:
        raise TooLargeError(f"the object is more than {max_bytes:,} bytes")
    return data


def write_thumbnail(bucket: str, key: str, data: bytes, *, client: Any = None) -> None:
    """Writes one thumbnail; a retried event overwrites it with the same bytes (idempotent)."""
    client = client if client is not None else default_client()
    client.put_object(Bucket=bucket, Key=key, Body=data, ContentType="image/jpeg")
