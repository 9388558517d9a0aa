"""The thumbnailer function: Pillow layer, own log group and role, async retries and an on-failure queue."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from stacks.components.python_function import ARCHITECTURE, RUNTIME, python_function

HANDLER = "thumbnailer.handler.lambda_handler"
# Built by `make pillow-layer` (scripts/s3_events/build_layer.py) for exactly RUNTIME and
# ARCHITECTURE. Absolute: jsii resolves relative asset paths against its own working directory.
PILLOW_LAYER_DIR = Path(__file__).resolve().parents[2] / "build" / "pillow-layer"
FAILED_EVENTS_RETENTION = cdk.Duration.days(14)


class MissingLayerError(Exception):
    """The Pillow layer folder has not been built; the message says how to build it."""


class Thumbnailer(Construct):
    """Python 3.14 arm64 function that turns an upload into thumbnails.

    Defaults:
    - layers: Pillow (built offline from the pinned wheel for arm64 + Python 3.14) and the
      public Powertools layer pinned by version;
    - its own log group with retention, deleted with the stack; X-Ray tracing;
    - a role with no managed policy: it may write its log group and X-Ray; the stack adds
      exactly the S3 actions the code uses;
    - asynchronous invocation (how S3 invokes it): `retry_attempts` retries, events older
      than `max_event_age` dropped from retrying, and every failed event sent to
      `failed_events`, an SSE-SQS, TLS-only queue keeping them 14 days. Bad uploads are
      not failures (the code skips them), so they never reach it.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        environment: Mapping[str, str],
        memory_mb: int,
        timeout: cdk.Duration,
        retry_attempts: int,
        max_event_age: cdk.Duration,
        log_retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, construct_id)
        if not (PILLOW_LAYER_DIR / "python" / "PIL").is_dir():
            raise MissingLayerError(f"no Pillow layer in {PILLOW_LAYER_DIR}: run `make pillow-layer` (make synth does)")

        self.pillow_layer = lambda_.LayerVersion(
            self,
            "PillowLayer",
            code=lambda_.Code.from_asset(str(PILLOW_LAYER_DIR)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="Pillow for the thumbnailer (pinned in layers/pillow/requirements.txt)",
            # Rebuilt from the pin at any time: an old version is no data worth keeping.
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.failed_events = sqs.Queue(
            self,
            "FailedEvents",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=FAILED_EVENTS_RETENTION,
        )
        built = python_function(
            self,
            log_group_id="Logs",
            role_id="Role",
            function_id="Function",
            package="thumbnailer",
            handler=HANDLER,
            role_description=(
                "Thumbnailer: write logs and X-Ray, read images/*, write thumbnails/*, report failed events"
            ),
            log_retention=log_retention,
            timeout=timeout,
            memory_size=memory_mb,
            environment=environment,
            layers=[self.pillow_layer],
        )
        self.log_group, self.role, self.function = built.log_group, built.role, built.function
        self.function.configure_async_invoke(
            retry_attempts=retry_attempts,
            max_event_age=max_event_age,
            on_failure=destinations.SqsDestination(self.failed_events),
        )
