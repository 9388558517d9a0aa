"""S3 event records and object keys: pure, no AWS.

S3 sends object keys URL-encoded as in a form (a space is "+", "é" is "%C3%A9"), so they
are decoded with unquote_plus before any use: the encoded key names another object, or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus


class NotForUsError(ValueError):
    """A record this function must not act on (wrong event, folder or suffix); the message says why."""


@dataclass(frozen=True)
class Upload:
    """One uploaded object named by an ObjectCreated record; `key` is decoded."""

    bucket: str
    key: str
    size: int | None


def records(event: Any) -> list[Any]:
    """The records of an S3 notification event; anything else has none."""
    found = event.get("Records") if isinstance(event, dict) else None
    return found if isinstance(found, list) else []


def upload_of(record: Any, *, source_prefix: str, suffix: str) -> Upload:
    """The upload a record names, if this function should make thumbnails of it.

    The notification filter already limits events to the source prefix and suffix; checking
    again here means a widened filter (or a hand-made test event) still cannot make the
    function read outside its folder or write thumbnails of thumbnails.
    """
    try:
        event_name = str(record["eventName"])
        bucket = str(record["s3"]["bucket"]["name"])
        raw_key = str(record["s3"]["object"]["key"])
    except (KeyError, TypeError):
        raise NotForUsError("not an S3 event record (no eventName, bucket or key)") from None
    if not event_name.startswith("ObjectCreated:"):
        raise NotForUsError(f"event {event_name} is not an upload")
    key = unquote_plus(raw_key)
    if not key.startswith(source_prefix) or len(key) <= len(source_prefix):
        raise NotForUsError(f"key is not under {source_prefix}")
    if not key.endswith(suffix):
        raise NotForUsError(f"key does not end with {suffix}")
    size = record["s3"]["object"].get("size")
    return Upload(bucket=bucket, key=key, size=size if isinstance(size, int) else None)


def thumbnail_key(key: str, size: int, *, source_prefix: str, thumbnail_prefix: str) -> str:
    """images/trips/beach 1.jpg -> thumbnails/128/trips/beach 1.jpg: the same name, one folder per size."""
    if not key.startswith(source_prefix):
        raise NotForUsError(f"key is not under {source_prefix}")
    return f"{thumbnail_prefix}{size}/{key[len(source_prefix) :]}"
