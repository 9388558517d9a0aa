"""thumbnailer.handler against moto S3, with real generated images, invoked as the notification does."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.stub import Stubber

from tests.s3_events.conftest import BUCKET, REGION, keys_under, object_created
from tests.s3_events.images import jpeg_size, png_bytes, sample_jpeg, truncated_jpeg, with_declared_size
from thumbnailer import handler, store
from thumbnailer.settings import ConfigurationError, Settings


def upload(s3: Any, key: str, data: bytes) -> dict[str, Any]:
    """Puts the object, returns the event S3 would send for it."""
    s3.put_object(Bucket=BUCKET, Key=key, Body=data)
    return object_created(BUCKET, key, len(data))


def logged(caplog: pytest.LogCaptureFixture, message: str) -> list[dict[str, Any]]:
    """The function's log records with this message, as level + the fields passed in `extra`."""
    return [
        {"level": record.levelname, **{name: getattr(record, name, None) for name in ("key", "reason")}}
        for record in caplog.records
        if record.name == "thumbnailer" and record.getMessage() == message
    ]


@pytest.mark.parametrize(
    ("key", "width", "height"),
    [
        ("images/photo.jpg", 2000, 1500),
        ("images/trips/beach day 1.jpg", 1200, 1600),
        ("images/été/café ☕.jpg", 640, 480),
        ("images/tiny.jpg", 100, 60),
    ],
)
def test_an_uploaded_jpeg_gets_a_thumbnail_per_size_under_thumbnails(
    s3: Any, context: LambdaContext, key: str, width: int, height: int
) -> None:
    # Given a JPEG uploaded under images/ (spaces and unicode in its key)
    event = upload(s3, key, sample_jpeg(width, height))
    # When the notification invokes the function
    outcome = handler.lambda_handler(event, context)
    # Then thumbnails/<size>/<same name> holds a JPEG with the longest side = size (or the original if smaller)
    name = key.removeprefix("images/")
    expected = [f"thumbnails/{size}/{name}" for size in (128, 256, 512)]
    assert outcome == {"written": expected, "skipped": [], "failed": []}
    assert keys_under(s3, "thumbnails/") == sorted(expected)
    for size, thumbnail_key in zip((128, 256, 512), expected, strict=True):
        response = s3.get_object(Bucket=BUCKET, Key=thumbnail_key)
        assert response["ContentType"] == "image/jpeg"
        got = jpeg_size(response["Body"].read())
        assert max(got) == min(size, max(width, height))
        assert (got[0] > got[1]) == (width > height)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (png_bytes(), "not a JPEG image"),
        (truncated_jpeg(), "truncated or corrupt JPEG"),
        (b"", "the object is empty (0 bytes)"),
        (with_declared_size(30000, 10000), "decompression bomb refused"),
        (with_declared_size(60000, 100), "the image is 60000 x 100 px"),
        (b"%PDF-1.7\n" + b"x" * 500, "not a JPEG image"),
    ],
    ids=["png-renamed", "truncated", "zero-bytes", "bomb", "huge-side", "pdf"],
)
def test_a_bad_upload_is_logged_and_skipped_without_a_retry(
    s3: Any, context: LambdaContext, caplog: pytest.LogCaptureFixture, data: bytes, reason: str
) -> None:
    # Given a bad file uploaded as images/bad file.jpg
    event = upload(s3, "images/bad file.jpg", data)
    # When the function runs
    outcome = handler.lambda_handler(event, context)
    # Then it returns normally (Lambda does not retry), writes nothing and logs why, naming the key
    assert outcome == {"written": [], "skipped": ["images/bad file.jpg"], "failed": []}
    assert keys_under(s3, "thumbnails/") == []
    warnings = logged(caplog, "upload skipped")
    assert len(warnings) == 1
    assert warnings[0]["key"] == "images/bad file.jpg"
    assert warnings[0]["reason"].startswith(reason)
    assert warnings[0]["level"] == "WARNING"


def test_empty_and_oversized_uploads_are_skipped_from_the_record_without_reading_them(s3: Any) -> None:
    # Given records of a 0-byte upload and one over the byte limit
    calls: list[str] = []
    s3.meta.events.register("before-call.s3.GetObject", lambda **_: calls.append("GetObject"))
    events = [upload(s3, "images/empty.jpg", b""), upload(s3, "images/big.jpg", sample_jpeg(400, 300))]
    config = Settings(max_bytes=2048)
    # When processed
    outcomes = [handler.process_event(event, config=config, client=s3) for event in events]
    # Then both are skipped and neither is downloaded
    assert [o["skipped"] for o in outcomes] == [["images/empty.jpg"], ["images/big.jpg"]]
    assert calls == []


def test_records_outside_images_or_not_jpg_are_ignored(s3: Any, context: LambdaContext) -> None:
    # Given a thumbnail's own event (as if the filter were widened) and a .png under images/
    thumbnail = upload(s3, "thumbnails/128/photo.jpg", sample_jpeg(128, 96))
    png = upload(s3, "images/photo.png", png_bytes())
    # When the function gets them
    outcomes = [handler.lambda_handler(event, context) for event in (thumbnail, png)]
    # Then it reads and writes nothing: no thumbnail of a thumbnail
    assert outcomes == [{"written": [], "skipped": [], "failed": []}] * 2
    assert keys_under(s3, "thumbnails/") == ["thumbnails/128/photo.jpg"]


def test_an_object_deleted_before_it_was_read_is_skipped(s3: Any, context: LambdaContext) -> None:
    event = object_created(BUCKET, "images/gone.jpg", 1234)
    assert handler.lambda_handler(event, context)["skipped"] == ["images/gone.jpg"]


def test_an_aws_error_fails_the_invocation_after_the_other_records_are_done(
    s3: Any, context: LambdaContext, caplog: pytest.LogCaptureFixture
) -> None:
    # Given one event with a record S3 will refuse (its bucket is gone) before a good one
    good = upload(s3, "images/good.jpg", sample_jpeg(800, 600))
    broken = object_created("bucket-that-was-deleted", "images/x.jpg", 1234)
    event = {"Records": broken["Records"] + good["Records"]}
    # When the function runs, it raises (Lambda retries, then the on-failure destination gets the event)
    with pytest.raises(handler.ThumbnailingFailedError, match="1 upload"):
        handler.lambda_handler(event, context)
    # Then the good upload's thumbnails were still written, and the failure is logged as an error
    assert len(keys_under(s3, "thumbnails/")) == 3
    assert [(line["level"], line["key"]) for line in logged(caplog, "upload failed")] == [("ERROR", "images/x.jpg")]


def test_access_denied_on_write_fails_the_invocation(s3: Any) -> None:
    # Given a role that may read the upload but S3 refuses the thumbnail write (a wrong policy)
    data = sample_jpeg(300, 200)
    event = upload(s3, "images/photo.jpg", data)
    client = boto3.client("s3", region_name=REGION)
    stubber = Stubber(client)
    real = s3.get_object(Bucket=BUCKET, Key="images/photo.jpg")
    stubber.add_response("get_object", {"Body": real["Body"], "ContentLength": len(data)})
    stubber.add_client_error("put_object", "AccessDenied", http_status_code=403)
    # When processed, then the invocation fails (retried, then sent to the on-failure destination)
    with stubber, pytest.raises(handler.ThumbnailingFailedError):
        handler.process_event(event, config=Settings(), client=client)


def test_a_retried_event_writes_the_same_thumbnails_again(s3: Any, context: LambdaContext) -> None:
    event = upload(s3, "images/photo.jpg", sample_jpeg(1000, 700))
    first = handler.lambda_handler(event, context)
    before = {key: s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in first["written"]}
    second = handler.lambda_handler(event, context)
    after = {key: s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in second["written"]}
    assert before == after
    assert len(keys_under(s3, "thumbnails/")) == 3


def test_sizes_come_from_the_environment(s3: Any, context: LambdaContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THUMBNAIL_SIZES", "64,1024")
    event = upload(s3, "images/photo.jpg", sample_jpeg(2000, 1000))
    assert handler.lambda_handler(event, context)["written"] == ["thumbnails/64/photo.jpg", "thumbnails/1024/photo.jpg"]
    assert jpeg_size(s3.get_object(Bucket=BUCKET, Key="thumbnails/1024/photo.jpg")["Body"].read()) == (1024, 512)


def test_a_bad_environment_fails_the_invocation_with_one_line(
    s3: Any, context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THUMBNAIL_PREFIX", "images/small/")
    event = upload(s3, "images/photo.jpg", sample_jpeg(200, 100))
    with pytest.raises(ConfigurationError, match="overlap: thumbnails would trigger the function again"):
        handler.lambda_handler(event, context)
    assert keys_under(s3, "thumbnails/") == keys_under(s3, "images/small/") == []


def test_the_store_reads_at_most_the_byte_limit(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="images/big.jpg", Body=b"x" * 5000)
    with pytest.raises(store.TooLargeError, match="5,000 bytes, more than 4,096"):
        store.read_upload(BUCKET, "images/big.jpg", max_bytes=4096, client=s3)
    assert store.read_upload(BUCKET, "images/big.jpg", max_bytes=5000, client=s3) == b"x" * 5000
