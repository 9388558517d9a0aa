"""Lambda entry point for S3 ObjectCreated notifications: thin wiring only.

For each upload: read it (store), make the thumbnails (resize), write them (store).
- A bad upload (not a JPEG, truncated, empty, too large, a decompression bomb, huge
  dimensions) is logged and skipped: the invocation succeeds, so Lambda does not retry
  something that can never work.
- An AWS error (throttling, a timeout, AccessDenied) fails the invocation after every
  record has been tried: Lambda retries the event (the stack sets the maximum) and then
  sends it to the on-failure destination. Thumbnails already written are written again
  with the same bytes, so a retry is harmless.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from thumbnailer import events, resize, settings, store

logger = Logger(service="thumbnailer")


class ThumbnailingFailedError(RuntimeError):
    """At least one upload hit an AWS error; raising makes Lambda retry, then use the on-failure destination."""


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, list[str]]:
    # Read per invocation, not at import: importing the handler reads no environment.
    return process_event(event, config=settings.from_environment(os.environ))


def process_event(event: Any, *, config: settings.Settings, client: Any = None) -> dict[str, list[str]]:
    """Returns the keys written, skipped and failed (for tests and logs); raises if any failed."""
    outcome: dict[str, list[str]] = {"written": [], "skipped": [], "failed": []}
    for record in events.records(event):
        try:
            upload = events.upload_of(record, source_prefix=config.source_prefix, suffix=config.suffix)
        except events.NotForUsError as error:
            logger.warning("record ignored", extra={"reason": str(error)})
            continue
        try:
            outcome["written"] += _thumbnail(upload, config, client)
        except (resize.InvalidImageError, store.TooLargeError, store.ObjectGoneError) as error:
            logger.warning("upload skipped", extra={"bucket": upload.bucket, "key": upload.key, "reason": str(error)})
            outcome["skipped"].append(upload.key)
        except (ClientError, BotoCoreError) as error:
            logger.error("upload failed", extra={"bucket": upload.bucket, "key": upload.key, "reason": str(error)})
            outcome["failed"].append(upload.key)
    logger.info("event processed", extra={name: len(keys) for name, keys in outcome.items()})
    if outcome["failed"]:
        raise ThumbnailingFailedError(f"{len(outcome['failed'])} upload(s) failed; the event will be retried")
    return outcome


def _thumbnail(upload: events.Upload, config: settings.Settings, client: Any) -> list[str]:
    # Refused from the record alone: no GetObject for an empty or oversized upload.
    if upload.size == 0:
        raise resize.InvalidImageError("the object is empty (0 bytes)")
    if upload.size is not None and upload.size > config.max_bytes:
        raise store.TooLargeError(f"the object is {upload.size:,} bytes, more than {config.max_bytes:,}")
    data = store.read_upload(upload.bucket, upload.key, max_bytes=config.max_bytes, client=client)
    thumbnails = resize.make_thumbnails(data, config)
    written = []
    for thumbnail in thumbnails:
        key = events.thumbnail_key(
            upload.key, thumbnail.size, source_prefix=config.source_prefix, thumbnail_prefix=config.thumbnail_prefix
        )
        store.write_thumbnail(upload.bucket, key, thumbnail.data, client=client)
        written.append(key)
    logger.info("thumbnails written", extra={"key": upload.key, "sizes": resize.sizes_of(thumbnails)})
    return written
