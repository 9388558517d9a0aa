"""The handler on the Powertools collection's S3 event (events/SOURCES.toml): AWS's own shape.

Its key is not under images/, so the record is ignored with a warning and nothing is read
or written (the function checks the prefix again even though the notification filter does).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.parser.models import S3Model
from aws_lambda_powertools.utilities.typing import LambdaContext

from tests.harness import load_event
from tests.s3_events.conftest import keys_under, object_created
from thumbnailer import handler


def test_the_published_s3_event_outside_the_source_prefix_is_ignored(s3: Any, context: LambdaContext) -> None:
    outcome = handler.lambda_handler(load_event("s3_events", "powertools_s3_event.json"), context)
    assert outcome == {"written": [], "skipped": [], "failed": []}
    assert keys_under(s3, "thumbnails/") == []


def test_the_events_the_tests_build_have_the_shape_s3_sends() -> None:
    # object_created() fills the written fixture in for each test: its output must parse too.
    event = object_created("lab-uploads", "images/trips/beach day 1.jpg", 1234)
    parsed = S3Model.model_validate(event)
    uploaded = parsed.Records[0].s3.object
    assert uploaded is not None
    assert uploaded.size == 1234
