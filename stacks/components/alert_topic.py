"""An SNS topic that AWS services can publish alerts to, safely by default."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.config import StageConfig


class AlertTopic(Construct):
    """SNS topic for alarms and notifications.

    Defaults:
    - TLS-only: the topic policy denies publishing over plain HTTP.
    - Encrypted with a customer-managed KMS key (rotation on). The AWS-managed
      key `alias/aws/sns` cannot be used here: its key policy cannot be edited, so
      CloudWatch and Budgets could not encrypt what they publish and alarms would
      fail silently. The customer key costs 1 USD a month; its policy lets exactly
      the `publishing_services` use it.
    - Each publishing service may publish only on behalf of this account
      (`aws:SourceAccount`), against the confused-deputy problem.
    - Without an e-mail, no warning of its own: app.py prints one line per synth that names
      every lab without one (`labs_without_alarm_email`), rather than a warning per topic.
    - `grant_publish(grantee)`: sns:Publish on this topic and exactly the two KMS actions that
      publishing to it uses, on its key (CDK's `Topic.grant_publish` writes `kms:GenerateDataKey*`,
      a family that also mints data-key pairs).
    - An e-mail subscription when `email` is given (AWS mails a confirmation link), with
      its own dead-letter queue (`delivery_failures`: SSE-SQS, TLS-only, 14 days): an alert
      SNS could not deliver (a bounced address, an unconfirmed subscription) is kept there
      instead of being dropped, and the queue's policy admits only this topic.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        display_name: str,
        email: str | None,
        publishing_services: Sequence[str] = ("cloudwatch.amazonaws.com",),
    ) -> None:
        super().__init__(scope, construct_id)

        self.key = kms.Key(
            self,
            "Key",
            description=f"Encrypts the {display_name} SNS topic",
            enable_key_rotation=True,
            # The key protects transient notifications, not stored data: it goes with the stack
            # (after KMS's shortest waiting period) in every stage.
            removal_policy=cdk.RemovalPolicy.DESTROY,
            pending_window=cdk.Duration.days(7),
        )
        self.topic = sns.Topic(
            self,
            "Topic",
            display_name=display_name,
            master_key=self.key,
            enforce_ssl=True,
        )
        for service in publishing_services:
            self.key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid=f"Allow{_service_label(service)}ToUseKey",
                    principals=[iam.ServicePrincipal(service)],
                    actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                    resources=["*"],
                )
            )
            self.topic.add_to_resource_policy(
                iam.PolicyStatement(
                    sid=f"Allow{_service_label(service)}ToPublish",
                    principals=[iam.ServicePrincipal(service)],
                    actions=["sns:Publish"],
                    resources=[self.topic.topic_arn],
                    conditions={"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}},
                )
            )
        self.delivery_failures: sqs.Queue | None = None
        # The policy resource the statements above created (budgets must wait for it).
        policy = self.topic.node.find_child("Policy")
        assert isinstance(policy, sns.TopicPolicy)
        self.topic_policy = policy
        if email is not None:
            self.delivery_failures = sqs.Queue(
                self,
                "DeliveryFailures",
                encryption=sqs.QueueEncryption.SQS_MANAGED,
                enforce_ssl=True,
                retention_period=cdk.Duration.days(14),
            )
            for rule_id in ("AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy"):
                acknowledge(
                    self.delivery_failures,
                    rule_id,
                    "This queue is itself the dead-letter queue of the e-mail subscription: undeliverable "
                    "alerts wait here 14 days to be read; a dead-letter queue behind it would only hide them.",
                )
            self.topic.add_subscription(
                subscriptions.EmailSubscription(email, dead_letter_queue=self.delivery_failures)
            )

    def grant_publish(self, grantee: iam.IGrantable) -> None:
        """Lets `grantee` publish to the topic: sns:Publish on it, kms:GenerateDataKey and kms:Decrypt on its key.

        SNS encrypts each message under a data key it asks KMS for on the publisher's behalf
        (GenerateDataKey) and reuses for up to five minutes (Decrypt); AWS's own service
        integrations that publish to an encrypted topic are granted exactly these two actions
        (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html,
        https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-sns-creating-role.html).
        """
        iam.Grant.add_to_principal(grantee=grantee, actions=["sns:Publish"], resource_arns=[self.topic.topic_arn])
        iam.Grant.add_to_principal(
            grantee=grantee, actions=["kms:GenerateDataKey", "kms:Decrypt"], resource_arns=[self.key.key_arn]
        )


def _service_label(service: str) -> str:
    """'cloudwatch.amazonaws.com' -> 'Cloudwatch' (for statement ids)."""
    return service.split(".")[0].capitalize()


def labs_without_alarm_email(config: StageConfig) -> list[str]:
    """The cdk.json sections (queue_worker, ...) of the stage whose alarm_email is null."""
    return [
        name
        for name, section in config.sections.items()
        if "alarm_email" in (values := dict(section)) and values["alarm_email"] is None
    ]


def alarm_email_note(config: StageConfig) -> str | None:
    """The one line a synth prints while alert topics have no subscriber; None when every one has."""
    missing = labs_without_alarm_email(config)
    if not missing:
        return None
    return (
        f"note: no alarm_email in stage {config.stage} for {', '.join(missing)}: their alarms reach nobody "
        f"until you set stages.{config.stage}.<section>.alarm_email in cdk.json"
    )
