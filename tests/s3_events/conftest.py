"""Offline fixtures for the s3-events lab: moto S3, the S3 event the notification sends, a
simulated trigger (S3 -> Lambda) and a moto 'deployment' of the stack's outputs."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

import boto3
import botocore.loaders
import botocore.session
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from moto import mock_aws

from tests.harness import fake_lambda_context, load_event
from thumbnailer import handler, store

REGION = "us-east-1"
BUCKET = "lab-uploads"
SIZES = "128,256,512"
EVENT_TEMPLATE = load_event("s3_events", "object_created.json")


def object_created(bucket: str, key: str, size: int) -> dict[str, Any]:
    """The event S3 sends for one upload: the key URL-encoded as in a form (space -> +)."""
    event = copy.deepcopy(EVENT_TEMPLATE)
    s3 = event["Records"][0]["s3"]
    s3["bucket"]["name"] = bucket
    s3["bucket"]["arn"] = f"arn:aws:s3:::{bucket}"
    s3["object"]["key"] = quote_plus(key, safe="/")
    s3["object"]["size"] = size
    return event


@pytest.fixture
def context() -> LambdaContext:
    return fake_lambda_context("S3Events-Thumbnailer", memory_limit_in_mb=1024, region=REGION)


# botocore reads its service models and endpoint rules (megabytes of JSON) once per loader, and
# moto gives every test a new default session: sharing one loader saves seconds per module.
# Sessions stay separate (their event hooks differ); only the read-only models are shared.
_MODELS = botocore.loaders.create_loader()


def fresh_session() -> Any:
    core = botocore.session.Session()
    core.register_component("data_loader", _MODELS)
    return boto3.Session(botocore_session=core, region_name=REGION)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None) -> Iterator[None]:
    """Fake credentials and moto; nothing leaves the machine."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("THUMBNAIL_SIZES", SIZES)
    store.default_client.cache_clear()
    with mock_aws():
        monkeypatch.setattr(boto3, "DEFAULT_SESSION", fresh_session())  # what boto3.client() uses
        yield
    store.default_client.cache_clear()


@pytest.fixture
def s3(aws: None) -> Any:
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=BUCKET)
    return client


def keys_under(s3: Any, prefix: str) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []))


@dataclass
class Trigger:
    """S3 -> Lambda as the deployed notification does it: ObjectCreated, prefix images/, suffix .jpg."""

    context: LambdaContext
    invocations: list[dict[str, Any]] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)

    def install(self, session: Any) -> None:
        # Clients made from the session afterwards copy its event hooks.
        session.events.register("provide-client-params.s3.PutObject", self._remember)
        session.events.register("after-call.s3.PutObject", self._notify)

    def _remember(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["upload"] = (params["Bucket"], params["Key"], len(params.get("Body", b"")))

    def _notify(self, http_response: Any, context: dict[str, Any], **_: Any) -> None:
        bucket, key, size = context.pop("upload")
        if http_response.status_code != 200 or not (key.startswith("images/") and key.endswith(".jpg")):
            return
        try:  # an asynchronous invocation: the uploader never sees the function's errors
            self.invocations.append(handler.lambda_handler(object_created(bucket, key, size), self.context))
        except Exception as error:  # recorded for the test to assert on
            self.errors.append(error)


@pytest.fixture
def session(aws: None) -> Any:
    """A session of its own (the trigger hooks into its events); the handler uses the default one."""
    return fresh_session()


@pytest.fixture
def deployed(session: Any) -> dict[str, str]:
    """A stack named S3Events with the lab's outputs (moto makes the bucket); returns the outputs."""
    template = {
        "Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}},
        "Outputs": {"BucketName": {"Value": {"Ref": "Bucket"}}, "ThumbnailSizes": {"Value": SIZES}},
    }
    cloudformation = session.client("cloudformation")
    cloudformation.create_stack(StackName="S3Events", TemplateBody=json.dumps(template))
    outputs = cloudformation.describe_stacks(StackName="S3Events")["Stacks"][0]["Outputs"]
    return {output["OutputKey"]: output["OutputValue"] for output in outputs}


@pytest.fixture
def trigger(session: Any, context: LambdaContext) -> Trigger:
    installed = Trigger(context)
    installed.install(session)
    return installed
