"""The s3-events lab's verify step: upload -> thumbnails, end to end in the deployed account.

Checks:
- a generated JPEG uploaded under images/ gets one thumbnail per configured size, each with
  the expected dimensions (longest side = the size), within a timeout;
- a file that is not an image, uploaded under images/ with a .jpg name, gets no thumbnail:
  the function skips it. It is uploaded first, so by the time the JPEG's thumbnails exist
  the function has (almost always) seen it too; a grace period covers the rest.
Everything uploaded or written is deleted afterwards, every version of it (prod's bucket is
versioned: a plain delete would leave a delete marker and a billed noncurrent version).
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from scripts.s3_events import common
from scripts.s3_events.sample import jpeg_size, sample_jpeg
from scripts.sandbox.checks import CheckResult, Waiter, WaitTimeout, check
from scripts.stack_outputs import ScriptError

PHOTO_SIZE = (1600, 1200)
THUMBNAIL_TIMEOUT_S = 180  # a cold start, the Pillow layer's import and S3's notification delay
GRACE_S = 20  # how long a skipped upload must stay without thumbnails
MAX_DELETE_BATCH = 1000  # DeleteObjects takes at most 1,000 keys a request


def run_checks(session: Any, outputs: dict[str, str], stage: str, wait: Waiter) -> list[CheckResult]:
    try:
        bucket = common.require(outputs, "BucketName", common.STACK_NAME)
        sizes = common.thumbnail_sizes(outputs, common.STACK_NAME)
    except ScriptError as error:
        return [CheckResult("the stack's outputs name the bucket and the sizes", False, str(error))]
    s3 = session.client("s3")
    folder = f"verify-{uuid.uuid4().hex[:12]}/"
    photo, not_image = folder + "photo.jpg", folder + "not-an-image.jpg"

    def thumbnails_made() -> str:
        data = sample_jpeg(*PHOTO_SIZE)
        s3.put_object(Bucket=bucket, Key=common.SOURCE_PREFIX + photo, Body=data, ContentType="image/jpeg")
        made = wait.until(
            f"thumbnails of {common.SOURCE_PREFIX}{photo}",
            lambda: common.all_thumbnails(s3, bucket, photo, sizes),
            timeout_s=THUMBNAIL_TIMEOUT_S,
            every_s=3,
        )
        found = {size: jpeg_size(made[size]) for size in sizes}
        expected = {size: common.fit(*PHOTO_SIZE, size) for size in sizes}
        if found != expected:
            raise AssertionError(f"thumbnail dimensions {found}, expected {expected}")
        return ", ".join(f"{w}x{h}" for w, h in found.values()) + f" under {common.THUMBNAIL_PREFIX}<size>/{folder}"

    def non_image_skipped() -> str:
        try:
            key = wait.until(
                f"no thumbnail of {common.SOURCE_PREFIX}{not_image} (a grace period)",
                lambda: common.any_thumbnail(s3, bucket, not_image, sizes),
                timeout_s=GRACE_S,
                every_s=5,
            )
        except WaitTimeout:
            return f"no thumbnail of a text file named {not_image} after {GRACE_S} s"
        raise AssertionError(f"the function made {key} from a file that is not an image")

    try:
        # The non-image first: when the photo's thumbnails exist, it has been handled too.
        s3.put_object(Bucket=bucket, Key=common.SOURCE_PREFIX + not_image, Body=b"not an image\n")
    except (ClientError, BotoCoreError) as error:
        return [CheckResult(f"upload to s3://{bucket}/{common.SOURCE_PREFIX}", False, str(error).splitlines()[0])]
    try:
        return [
            check("an uploaded JPEG gets a thumbnail per size", thumbnails_made),
            check("an upload that is not an image gets none", non_image_skipped),
        ]
    finally:
        _delete(s3, bucket, [common.SOURCE_PREFIX + photo, common.SOURCE_PREFIX + not_image], sizes)


def _delete(s3: Any, bucket: str, uploads: list[str], sizes: list[int]) -> None:
    """Removes what the checks uploaded and what the function wrote from it, every version of it.

    Prod's bucket is versioned: a DeleteObject without a version id only adds a delete marker
    and keeps the object as a noncurrent version, still billed
    (https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html). So each
    version and delete marker of verify's keys is deleted by its id; an unversioned bucket
    lists each object once, with the version id "null", so the same path cleans it.
    """
    names = [key.removeprefix(common.SOURCE_PREFIX) for key in uploads]
    keys = set(uploads) | {common.thumbnail_key(name, size) for name in names for size in sizes}
    try:
        versions = list(_versions_of(s3, bucket, keys))
        for start in range(0, len(versions), MAX_DELETE_BATCH):
            batch = versions[start : start + MAX_DELETE_BATCH]
            s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
    except (ClientError, BotoCoreError) as error:  # the checks' results matter more than the clean-up
        print(f"  could not delete the verify uploads from s3://{bucket}: {error}", file=sys.stderr)


def _versions_of(s3: Any, bucket: str, keys: set[str]) -> Iterator[dict[str, str]]:
    """Every version and delete marker of `keys`, as DeleteObjects wants them (Key, VersionId)."""
    for prefix in sorted({key.rsplit("/", 1)[0] + "/" for key in keys}):
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
            for item in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
                if item["Key"] in keys:
                    yield {"Key": item["Key"], "VersionId": item["VersionId"]}
