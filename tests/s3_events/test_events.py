"""thumbnailer.events: which records are uploads to make thumbnails of, decoded keys, thumbnail keys."""

from __future__ import annotations

from typing import Any

import pytest

from scripts.s3_events import common
from tests.s3_events.conftest import object_created
from thumbnailer import events, resize

PREFIXES = {"source_prefix": "images/", "thumbnail_prefix": "thumbnails/"}


def record(key: str, *, name: str = "ObjectCreated:Put", size: int = 10) -> dict[str, Any]:
    event = object_created("lab-uploads", key, size)
    event["Records"][0]["eventName"] = name
    return dict(event["Records"][0])


@pytest.mark.parametrize(
    ("key", "encoded"),
    [
        ("images/beach day.jpg", "images/beach+day.jpg"),
        ("images/été/café ☕.jpg", "images/%C3%A9t%C3%A9/caf%C3%A9+%E2%98%95.jpg"),
        ("images/a+b=c&d.jpg", "images/a%2Bb%3Dc%26d.jpg"),  # a literal + must not become a space
        ("images/100%.jpg", "images/100%25.jpg"),
    ],
)
def test_keys_are_decoded_as_s3_encodes_them(key: str, encoded: str) -> None:
    # Given the record S3 sends for an upload with spaces, unicode or reserved characters
    given = record(key)
    assert given["s3"]["object"]["key"] == encoded
    # When read
    upload = events.upload_of(given, source_prefix="images/", suffix=".jpg")
    # Then the key is the object's real key
    assert upload == events.Upload(bucket="lab-uploads", key=key, size=10)


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (record("thumbnails/128/a.jpg"), "key is not under images/"),  # a thumbnail: never again
        (record("images.jpg"), "key is not under images/"),
        (record("images/"), "key is not under images/"),
        (record("images/a.png"), "key does not end with .jpg"),
        (record("images/a.JPG"), "key does not end with .jpg"),  # S3's suffix filter is case-sensitive too
        (record("images/a.jpg", name="ObjectRemoved:Delete"), "event ObjectRemoved:Delete is not an upload"),
        ({"eventName": "ObjectCreated:Put"}, "not an S3 event record"),
        ("not a record", "not an S3 event record"),
    ],
)
def test_records_the_function_must_not_act_on_are_named(given: Any, reason: str) -> None:
    with pytest.raises(events.NotForUsError, match=reason):
        events.upload_of(given, source_prefix="images/", suffix=".jpg")


@pytest.mark.parametrize("event", [{}, {"Records": "x"}, [], None, {"Event": "s3:TestEvent"}])
def test_events_without_records_have_none(event: Any) -> None:
    assert events.records(event) == []


def test_thumbnail_keys_keep_the_name_under_one_folder_per_size() -> None:
    assert events.thumbnail_key("images/trips/beach 1.jpg", 128, **PREFIXES) == "thumbnails/128/trips/beach 1.jpg"
    with pytest.raises(events.NotForUsError):
        events.thumbnail_key("other/beach.jpg", 128, **PREFIXES)


@pytest.mark.parametrize("name", ["a.jpg", "trips/été 1.jpg"])
def test_the_learner_tools_agree_with_the_function_on_keys_and_sizes(name: str) -> None:
    # scripts/ cannot import lambda_src (different deployment), so they keep a copy: it must match.
    for size in (128, 512):
        key = common.SOURCE_PREFIX + name
        prefixes = {"source_prefix": common.SOURCE_PREFIX, "thumbnail_prefix": common.THUMBNAIL_PREFIX}
        assert common.thumbnail_key(name, size) == events.thumbnail_key(key, size, **prefixes)
    for width, height in [(4000, 3000), (3, 2000), (2001, 999), (100, 50)]:
        assert common.fit(width, height, 256) == resize.fit(width, height, 256)
