"""Lab 9: CloudTrail, GuardDuty, EventBridge -> SNS / remediation (guide 002 security section)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from stacks.components.alert_topic import AlertTopic
from stacks.components.log_retention import log_retention
from stacks.security_baseline import optional_services
from stacks.security_baseline.audit_trail import AuditTrail
from stacks.security_baseline.cis_alarms import CisAlarms
from stacks.security_baseline.config import SecurityBaselineConfig
from stacks.security_baseline.findings import Findings


class SecurityBaselineStack(cdk.Stack):
    """An account's security baseline in one stack (guide 002: CloudTrail, GuardDuty, auto-remediation).

    Builds:
    - `AuditTrail`: multi-region trail with log file validation to an SSE-S3, TLS-only bucket
      with lifecycle (CloudTrail admitted only for this trail), and to CloudWatch Logs.
    - `CisAlarms`: the CIS benchmark's metric filters (root account use, unauthorized API
      calls, console sign-in without MFA, IAM policy changes) with alarms.
    - `Findings`: GuardDuty detector (created, or the account's existing one), findings of
      severity >= 7 to the alert topic, and the remediation function for the guide's
      InstanceCredentialExfiltration finding (dry-run unless `remediation` is "enforce").
    - IAM Access Analyzer (flag), and opt-in Security Hub and AWS Config.
    - One encrypted, TLS-only alert topic: CloudWatch publishes as a service (for this account
      only), EventBridge through a role that may publish only there.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: SecurityBaselineConfig, protect_data: bool, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)

        alerts = AlertTopic(
            self,
            "Alerts",
            display_name="Security alerts",
            email=config.alarm_email,
        )

        trail = AuditTrail(
            self,
            "AuditTrail",
            trail_log_retention=log_retention(config.trail_log_retention_days),
            transition_to_glacier_days=config.log_transition_to_glacier_days,
            expiration_days=config.log_expiration_days,
            protect_data=protect_data,
        )
        cis = CisAlarms(self, "CisAlarms", log_group=trail.log_group, topic=alerts.topic)
        findings = Findings(
            self,
            "Findings",
            existing_detector_id=config.existing_detector_id,
            enforce=config.remediation == "enforce",
            alerts=alerts,
            log_retention=log_retention(config.log_retention_days),
            protect_data=protect_data,
        )
        if config.access_analyzer:
            optional_services.access_analyzer(self)
        if config.security_hub:
            optional_services.security_hub(self)
        if config.aws_config:
            optional_services.ConfigRecorder(self, "ConfigRecorder", bucket=trail.bucket)

        outputs = {
            "TrailArn": (trail.trail.attr_arn, "The multi-region trail"),
            "TrailBucketName": (trail.bucket.bucket_name, "Trail log files (AWSLogs/<account>/CloudTrail/...)"),
            "TrailLogGroupName": (trail.log_group.log_group_name, "The trail's CloudWatch Logs copy, with the filters"),
            "DetectorId": (findings.detector_id, "GuardDuty detector"),
            "AlertTopicArn": (alerts.topic.topic_arn, "Alarms and high-severity findings"),
            "AlarmNames": (cdk.Fn.join(",", [a.alarm_name for a in cis.alarms]), "The four CIS alarms"),
            "FindingsRuleName": (findings.high_severity_rule.rule_name, "EventBridge rule: severity >= 7 -> topic"),
            "RemediationFunctionName": (findings.function.function_name, f"Remediation ({config.remediation})"),
            "RemediationLogGroupName": (findings.function.log_group.log_group_name, "What the remediation did"),
        }
        for key, (value, description) in outputs.items():
            cdk.CfnOutput(self, key, value=value, description=description)
