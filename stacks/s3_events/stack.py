"""Lab 7: upload under images/ -> S3 event notification -> Lambda -> thumbnails/ (guide 002)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.components.alarm import notify_when_above
from stacks.components.alert_topic import AlertTopic
from stacks.components.log_retention import log_retention
from stacks.s3_events.config import S3EventsConfig
from stacks.s3_events.images_bucket import ImagesBucket
from stacks.s3_events.notifications_handler import NotificationsHandlerRole
from stacks.s3_events.thumbnailer import Thumbnailer

# The guide's figures (002 "S3 Event Notifications"): not configuration. The learner tools
# (scripts/s3_events/common.py) use the same, and a test keeps them in step.
SOURCE_PREFIX = "images/"
THUMBNAIL_PREFIX = "thumbnails/"
SUFFIX = ".jpg"


class S3EventsStack(cdk.Stack):
    """Upload a .jpg under images/ -> ObjectCreated notification -> thumbnailer -> thumbnails/<size>/.

    Builds:
    - `Images`: a private, TLS-only, SSE-S3 bucket with access logs and a lifecycle rule
      moving originals to a cheaper class (see ImagesBucket); retained in prod, emptied
      and deleted by `cdk destroy` in the sandbox.
    - A notification on OBJECT_CREATED (PUT, POST, COPY, multipart) filtered to prefix
      images/ and suffix .jpg: thumbnails under thumbnails/ can never trigger it.
    - `Thumbnailer`: Python 3.14 arm64 function with the Pillow and Powertools layers.
      Its role may s3:GetObject on images/* and s3:PutObject on thumbnails/*, nothing
      else in S3: no recursion is possible by permission as well as by filter.
    - `NotificationsHandler`: the role of CDK's handler that writes the bucket's notification
      configuration: s3:PutBucketNotification on this bucket and log writes to its own group only.
    - Asynchronous invocation with bounded retries and an on-failure queue, with an alarm
      on that queue to an encrypted SNS topic.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: S3EventsConfig,
        protect_data: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)

        handler_role = NotificationsHandlerRole(self, "NotificationsHandler")
        images = ImagesBucket(
            self,
            "Images",
            notifications_handler_role=handler_role.for_bucket,
            source_prefix=SOURCE_PREFIX,
            storage_class=s3.StorageClass(config.originals_storage_class),
            transition_days=config.originals_transition_days,
            previous_versions_days=config.previous_versions_days,
            access_log_retention_days=config.access_log_retention_days,
            protect_data=protect_data,
        )
        thumbnailer = Thumbnailer(
            self,
            "Thumbnailer",
            environment=function_environment(config),
            memory_mb=config.function_memory_mb,
            timeout=cdk.Duration.seconds(config.function_timeout_seconds),
            retry_attempts=config.retry_attempts,
            max_event_age=cdk.Duration.seconds(config.max_event_age_seconds),
            log_retention=log_retention(config.log_retention_days),
        )
        # Written out, not grant_read/grant_put: those add s3:List*, GetBucket*, tagging and
        # legal-hold actions the code never uses. These are the two calls it makes.
        thumbnailer.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="ReadOriginals",
                actions=["s3:GetObject"],
                resources=[images.bucket.arn_for_objects(f"{SOURCE_PREFIX}*")],
            )
        )
        thumbnailer.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="WriteThumbnails",
                actions=["s3:PutObject"],
                resources=[images.bucket.arn_for_objects(f"{THUMBNAIL_PREFIX}*")],
            )
        )
        images.bucket.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            s3n.LambdaDestination(thumbnailer.function),
            s3.NotificationKeyFilter(prefix=SOURCE_PREFIX, suffix=SUFFIX),
        )
        handler_role.grant(images.bucket)

        self._alarm(config.alarm_email, thumbnailer)
        self._acknowledge(images, thumbnailer)

        cdk.CfnOutput(
            self, "BucketName", value=images.bucket.bucket_name, description="Upload .jpg files under images/"
        )
        cdk.CfnOutput(
            self,
            "ThumbnailSizes",
            value=",".join(str(size) for size in config.thumbnail_sizes),
            description="Longest side of each thumbnail, px: thumbnails/<size>/<name>",
        )
        cdk.CfnOutput(
            self,
            "FailedEventsQueueUrl",
            value=thumbnailer.failed_events.queue_url,
            description="Events that failed after Lambda's retries (AWS errors; bad images are only logged)",
        )
        cdk.CfnOutput(
            self, "FunctionLogGroup", value=thumbnailer.log_group.log_group_name, description="Thumbnailer logs"
        )

    def _alarm(self, email: str | None, thumbnailer: Thumbnailer) -> None:
        alerts = AlertTopic(
            self,
            "Alerts",
            display_name="Thumbnailer alerts",
            email=email,
        )
        notify_when_above(
            self,
            "FailedEventsAlarm",
            metric=thumbnailer.failed_events.metric_approximate_number_of_messages_visible(
                statistic=cloudwatch.Stats.MAXIMUM, period=cdk.Duration.minutes(1)
            ),
            topic=alerts.topic,
            description="Uploads failed after Lambda's retries (AWS errors, not bad images): see the queue",
        )

    def _acknowledge(self, images: ImagesBucket, thumbnailer: Thumbnailer) -> None:
        """cdk-nag findings that do not apply here, each on the one resource it names."""
        policy = thumbnailer.role.node.find_child("DefaultPolicy")
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so active "
            "tracing needs Resource *; every other statement names its bucket folder, queue or log group.",
        )
        bucket_arn = self.resolve(images.bucket.bucket_arn)["Fn::GetAtt"][0]
        for prefix, action in ((SOURCE_PREFIX, "reads"), (THUMBNAIL_PREFIX, "writes")):
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::<{bucket_arn}.Arn>/{prefix}*]",
                f"The wildcard is the folder: the function {action} any object under {prefix} and nothing else "
                "(one action, GetObject or PutObject); object keys are the learner's file names, unknown in advance.",
            )
        for rule_id in ("AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy"):
            acknowledge(
                thumbnailer.failed_events,
                rule_id,
                "This queue is itself the on-failure destination of the function: failed events wait here 14 days "
                "to be inspected; a dead-letter queue behind it would only hide them.",
            )
        cfn_function = thumbnailer.function.node.default_child
        assert cfn_function is not None
        acknowledge(
            cfn_function,
            "Serverless-LambdaDLQ",
            "S3 invokes the function asynchronously, and failed events go to an on-failure destination (the "
            "FailedEvents queue, see EventInvokeConfig), which AWS recommends over a dead-letter queue.",
        )


def function_environment(config: S3EventsConfig) -> dict[str, str]:
    """What the function reads (lambda_src/thumbnailer/settings.py), from the stage's section."""
    return {
        "THUMBNAIL_SIZES": ",".join(str(size) for size in config.thumbnail_sizes),
        "JPEG_QUALITY": str(config.jpeg_quality),
        "MAX_IMAGE_PIXELS": str(config.max_image_pixels),
        "MAX_IMAGE_SIDE": str(config.max_image_side_px),
        "MAX_OBJECT_BYTES": str(config.max_upload_bytes),
        "SOURCE_PREFIX": SOURCE_PREFIX,
        "THUMBNAIL_PREFIX": THUMBNAIL_PREFIX,
        "POWERTOOLS_SERVICE_NAME": "thumbnailer",
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }
