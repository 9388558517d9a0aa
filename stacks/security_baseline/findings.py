"""GuardDuty findings: the detector, high-severity findings to the alert topic, and the remediation."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_guardduty as guardduty
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.components.alarm import notify_when_above
from stacks.components.alert_topic import AlertTopic
from stacks.components.function_code import package_code
from stacks.components.powertools_layer import powertools_layer
from stacks.components.python_function import ARCHITECTURE, RUNTIME
from stacks.security_baseline.remediation_policy import REMEDIABLE_TAG, remediation_write_statements

MIN_SEVERITY = 7  # GuardDuty's "High" band is 7.0-8.9, "Critical" 9.0-10.0
FINDING_TYPE_PREFIX = "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration."  # .OutsideAWS, .InsideAWS
FINDING = {"source": ["aws.guardduty"], "detail_type": ["GuardDuty Finding"]}
# Foundational threat detection (CloudTrail management events, VPC flow logs, DNS logs) only:
# a detector created without `Features` turns on every optional protection plan except
# Runtime Monitoring (CreateDetector, https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html),
# each billed on its own. So each is named, disabled. EKS_RUNTIME_MONITORING is left out:
# naming it beside RUNTIME_MONITORING, which includes it, is an error
# (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfiguration.html).
PAID_PROTECTION_PLANS = (
    "S3_DATA_EVENTS",
    "EKS_AUDIT_LOGS",
    "EBS_MALWARE_PROTECTION",
    "RDS_LOGIN_EVENTS",
    "LAMBDA_NETWORK_LOGS",
    "RUNTIME_MONITORING",
)


class Findings(Construct):
    """GuardDuty and what happens to its findings.

    - Detector: created here (`existing_detector_id` None) or the account's own; an account
      has at most one per region. A created detector is retained on destroy with `protect_data`.
    - `HighSeverityRule`: findings of severity >= 7 -> the alert topic, as one readable line.
    - Both rules' targets have `UndeliveredEvents` (SSE-SQS, TLS-only, 14 days) as their
      dead-letter queue, with an alarm on its depth.
    - `CredentialExfiltrationRule`: the guide's finding type -> `Remediation`, which denies
      the instance role's sessions issued before now (aws:TokenIssueTime). With
      `enforce` False it only logs the policy it would attach, and its role holds no IAM
      write permission at all; with `enforce` True it may put inline policies only on roles
      tagged `GuardDutyRemediable=true`, never on its own, the CDK bootstrap roles or
      administrator roles (`remediation_write_statements`).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        existing_detector_id: str | None,
        enforce: bool,
        alerts: AlertTopic,
        log_retention: logs.RetentionDays,
        protect_data: bool,
    ) -> None:
        super().__init__(scope, construct_id)

        if existing_detector_id is None:
            detector = guardduty.CfnDetector(
                self,
                "Detector",
                enable=True,
                finding_publishing_frequency="FIFTEEN_MINUTES",
                features=[
                    guardduty.CfnDetector.CFNFeatureConfigurationProperty(name=name, status="DISABLED")
                    for name in PAID_PROTECTION_PLANS
                ],
            )
            detector.apply_removal_policy(cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY)
            self.detector_id: str = detector.ref
        else:
            self.detector_id = existing_detector_id

        # Events EventBridge could not deliver (to the topic or the function) wait here 14 days.
        self.undelivered = sqs.Queue(
            self,
            "UndeliveredEvents",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )
        for rule_id in ("AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy"):
            acknowledge(
                self.undelivered,
                rule_id,
                "This queue is itself the dead-letter queue of the two finding rules' targets: undelivered "
                "events wait here 14 days to be read; a dead-letter queue behind it would only hide them.",
            )
        self.high_severity_rule = events.Rule(
            self,
            "HighSeverityRule",
            description=f"GuardDuty findings of severity >= {MIN_SEVERITY} to the alert topic",
            event_pattern=events.EventPattern(
                **FINDING, detail={"severity": events.Match.greater_than_or_equal(MIN_SEVERITY)}
            ),
        )
        # Through a role: the target's topic-policy grant to events.amazonaws.com would carry no
        # condition at all. This role only EventBridge of this account may assume.
        publisher = iam.Role(
            self,
            "PublisherRole",
            assumed_by=iam.ServicePrincipal(
                "events.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}
            ),
            description="EventBridge publishes high-severity GuardDuty findings to the alert topic",
        )
        self.high_severity_rule.add_target(
            targets.SnsTopic(
                alerts.topic,
                role=publisher,
                dead_letter_queue=self.undelivered,
                message=events.RuleTargetInput.from_text(
                    f"GuardDuty finding {events.EventField.from_path('$.detail.type')}, severity "
                    f"{events.EventField.from_path('$.detail.severity')}, account {events.EventField.account}, "
                    f"region {events.EventField.region}: {events.EventField.from_path('$.detail.title')} "
                    f"(finding {events.EventField.from_path('$.detail.id')})"
                ),
            )
        )

        acknowledge(
            publisher.node.find_child("DefaultPolicy"),
            "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
            "Publishing to the KMS-encrypted alert topic needs GenerateDataKey on the topic's key; CDK's "
            "grant_publish writes the action family with a wildcard, on that one key only.",
        )
        self.function = self._remediation_function(enforce, alerts, log_retention)
        rule = events.Rule(
            self,
            "CredentialExfiltrationRule",
            description="The guide's finding type -> the remediation function",
            event_pattern=events.EventPattern(**FINDING, detail={"type": events.Match.prefix(FINDING_TYPE_PREFIX)}),
        )
        rule.add_target(
            targets.LambdaFunction(
                self.function,
                dead_letter_queue=self.undelivered,
                retry_attempts=2,
                max_event_age=cdk.Duration.hours(1),
            )
        )

    def _remediation_function(
        self, enforce: bool, alerts: AlertTopic, log_retention: logs.RetentionDays
    ) -> lambda_.Function:
        # Built here, not with python_function: the role's own statements must come before the
        # function's in its policy, and one of them names the role itself (NeverEditItsOwnRole).
        log_group = logs.LogGroup(
            self, "RemediationLogs", retention=log_retention, removal_policy=cdk.RemovalPolicy.DESTROY
        )
        role = iam.Role(
            self,
            "RemediationRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="GuardDuty remediation: deny a role's sessions issued before now",
        )
        stack = cdk.Stack.of(self)
        role.add_to_policy(
            iam.PolicyStatement(
                sid="FindTheRoleOfAnInstanceProfile",
                actions=["iam:GetInstanceProfile"],
                resources=[stack.format_arn(service="iam", region="", resource="instance-profile", resource_name="*")],
            )
        )
        if enforce:
            for statement in remediation_write_statements(role):
                role.add_to_policy(statement)
        function = lambda_.Function(
            self,
            "Remediation",
            description="Deny the sessions of a GuardDuty finding's instance role issued before now",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler="guardduty_remediation.handler.lambda_handler",
            code=package_code("guardduty_remediation"),
            layers=[powertools_layer(self, "PowertoolsLayer", runtime=RUNTIME, architecture=ARCHITECTURE)],
            role=role,
            log_group=log_group,
            timeout=cdk.Duration.seconds(30),
            memory_size=256,
            tracing=lambda_.Tracing.ACTIVE,
            dead_letter_topic=alerts.topic,
            environment={
                "DRY_RUN": "false" if enforce else "true",
                "ALERT_TOPIC_ARN": alerts.topic.topic_arn,
                "POWERTOOLS_SERVICE_NAME": "guardduty-remediation",
                "POWERTOOLS_LOG_LEVEL": "INFO",
            },
        )
        log_group.grant_write(role)
        alerts.grant_publish(role)
        notify_when_above(
            self,
            "RemediationErrorsAlarm",
            metric=function.metric_errors(statistic=cloudwatch.Stats.SUM, period=cdk.Duration.minutes(5)),
            topic=alerts.topic,
            description="The GuardDuty remediation failed: a compromised role may still be usable",
        )
        notify_when_above(
            self,
            "UndeliveredEventsAlarm",
            metric=self.undelivered.metric_approximate_number_of_messages_visible(
                statistic=cloudwatch.Stats.MAXIMUM, period=cdk.Duration.minutes(5)
            ),
            topic=alerts.topic,
            description="EventBridge could not deliver a GuardDuty finding: read the UndeliveredEvents queue",
        )
        policy = role.node.find_child("DefaultPolicy")
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so active "
            "tracing needs Resource *; the IAM statements name instance profiles and roles of this account.",
        )
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*]",
            "The finding names the instance profile only at run time; GetInstanceProfile only reads which role "
            "the profile holds, in this account.",
        )
        if enforce:
            acknowledge(
                policy,
                "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]",
                f"The compromised role is known only from the finding, so the ARN is role/*, but IAM allows the "
                f"write only on roles tagged {REMEDIABLE_TAG[0]}={REMEDIABLE_TAG[1]} (aws:ResourceTag), and Deny "
                "statements keep it off its own role, the CDK bootstrap roles and administrator roles.",
            )
        return function
