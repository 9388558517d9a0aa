"""What the s3-events learner tools share: the stack's outputs, the key layout, finding thumbnails.

The key layout mirrors lambda_src/thumbnailer/events.py (a test keeps the two in step):
images/<name> -> thumbnails/<size>/<name>.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from scripts.stack_outputs import ScriptError
from stacks.labs import lab_named

STACK_NAME = lab_named("s3-events").stack_id
# The guide's figures, as in stacks/s3_events/stack.py (a test keeps them in step).
SOURCE_PREFIX = "images/"
THUMBNAIL_PREFIX = "thumbnails/"
SUFFIX = ".jpg"


def require(outputs: dict[str, str], key: str, stack_name: str) -> str:
    if key not in outputs:
        raise ScriptError(f"stack {stack_name} has no output {key}: is it the s3-events lab's stack?")
    return outputs[key]


def thumbnail_sizes(outputs: dict[str, str], stack_name: str) -> list[int]:
    """The sizes the deployed function makes, from the ThumbnailSizes output ("128,256,512")."""
    text = require(outputs, "ThumbnailSizes", stack_name)
    try:
        return sorted(int(part) for part in text.split(","))
    except ValueError:
        raise ScriptError(f"stack {stack_name} output ThumbnailSizes={text!r} is not a list of sizes") from None


def thumbnail_key(name: str, size: int) -> str:
    """The key of a thumbnail of images/<name>."""
    return f"{THUMBNAIL_PREFIX}{size}/{name}"


def fit(width: int, height: int, size: int) -> tuple[int, int]:
    """A thumbnail's dimensions: longest side `size`, aspect kept, never enlarged (as the function)."""
    longest = max(width, height)
    if longest <= size:
        return width, height
    scale = size / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def exists(s3: Any, bucket: str, key: str) -> bool:
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    return True


def all_thumbnails(s3: Any, bucket: str, name: str, sizes: list[int]) -> dict[int, bytes] | None:
    """Every thumbnail of images/<name>, by size, once all of them exist; None before that."""
    if not all(exists(s3, bucket, thumbnail_key(name, size)) for size in sizes):
        return None
    return {size: s3.get_object(Bucket=bucket, Key=thumbnail_key(name, size))["Body"].read() for size in sizes}


def any_thumbnail(s3: Any, bucket: str, name: str, sizes: list[int]) -> str | None:
    """The key of a thumbnail of images/<name> if one exists (for uploads that must make none)."""
    return next((key for key in (thumbnail_key(name, size) for size in sizes) if exists(s3, bucket, key)), None)
