"""Lab 8: EventBridge Scheduler -> one Lambda per chore (guide 002 boto3 scripts, made robust)."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_iam as iam
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.components.alert_topic import AlertTopic
from stacks.components.log_retention import log_retention
from stacks.ops_automation.chore import ChoreFunction
from stacks.ops_automation.config import OpsAutomationConfig

# The tags the chores act on (lambda_src/ops_chores/logic.py uses the same).
BACKUP_TAG = ("Backup", "true")
AUTO_CREATED_TAG = ("AutoCreated", "true")
SCHEDULE_TAG = ("Schedule", "office-hours")


class OpsAutomationStack(cdk.Stack):
    """The guide's boto3 chores on a schedule, each in its own function, scoped by tags.

    Builds:
    - `Snapshot`: snapshots every EBS volume tagged Backup=true once a day, tagging the
      snapshot AutoCreated=true, Date and SourceVolume, and the stack's own tags (Project,
      Stage, Lab: `make leftovers` finds the snapshots by them), in the same call. IAM: CreateSnapshot
      only on volumes tagged Backup=true and only for snapshots tagged AutoCreated=true;
      CreateTags only as part of CreateSnapshot.
    - `Cleanup`: deletes this account's snapshots tagged AutoCreated=true older than
      `retention_days`. IAM: DeleteSnapshot only on snapshots tagged AutoCreated=true.
    - `StopInstances` (when `stop_instances_schedule` is set): stops the running instances
      tagged Schedule=office-hours. IAM: StopInstances only on instances with that tag.
    - Each chore: EventBridge Scheduler schedule in `time_zone` -> function (see
      ChoreFunction), dry-run from config, a report per run and alarms on one encrypted,
      TLS-only alert topic.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: OpsAutomationConfig, protect_data: bool, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # No stored data: the snapshots the chores make are the learner's, outside the stack.
        del protect_data

        alerts = AlertTopic(
            self,
            "Alerts",
            display_name="Ops automation reports",
            email=config.alarm_email,
        )
        retention = log_retention(config.log_retention_days)
        dry_run = {"DRY_RUN": "true" if config.dry_run else "false"}

        def chore(construct_id: str, handler: str, description: str, cron: str, **settings: Any) -> ChoreFunction:
            return ChoreFunction(
                self,
                construct_id,
                handler=f"ops_chores.handler.{handler}",
                description=description,
                schedule_expression=cron,
                time_zone=config.time_zone,
                alerts=alerts,
                log_retention=retention,
                **settings,
            )

        # The snapshots outlive the stack: they carry the tags the app puts on every resource
        # (Project, Stage, Lab: stacks/app_builder.py), so that `make leftovers` finds them after
        # a destroy. They are the snapshot function's own tags, read when the template is written
        # (after the Tags aspects have run; the stack itself carries none: explicitStackTags).
        owner_tags = _LazyTags()
        snapshot = chore(
            "Snapshot",
            "snapshot_handler",
            "snapshot the EBS volumes tagged Backup=true",
            config.snapshot_schedule,
            environment={
                **dry_run,
                "OWNER_TAGS": cdk.Lazy.string(owner_tags),
                "POWERTOOLS_SERVICE_NAME": "ops-automation-snapshot",
            },
            statements=self._snapshot_statements(),
        )
        owner_tags.source = snapshot.function
        cleanup = chore(
            "Cleanup",
            "cleanup_handler",
            f"delete AutoCreated snapshots older than {config.retention_days} days",
            config.cleanup_schedule,
            environment={
                **dry_run,
                "RETENTION_DAYS": str(config.retention_days),
                "POWERTOOLS_SERVICE_NAME": "ops-automation-cleanup",
            },
            statements=self._cleanup_statements(),
        )
        chores = [snapshot, cleanup]
        if config.stop_instances_schedule is not None:
            stop = chore(
                "StopInstances",
                "stop_instances_handler",
                "stop the running instances tagged Schedule=office-hours",
                config.stop_instances_schedule,
                environment={**dry_run, "POWERTOOLS_SERVICE_NAME": "ops-automation-stop-instances"},
                statements=self._stop_statements(),
            )
            chores.append(stop)
            cdk.CfnOutput(
                self, "StopInstancesFunctionName", value=stop.function.function_name, description="Stop function"
            )
            cdk.CfnOutput(self, "StopInstancesScheduleName", value=stop.schedule.ref, description="Stop schedule")

        self._acknowledge(snapshot, "volume/*", "snapshot/*")
        self._acknowledge(cleanup, "snapshot/*")
        if len(chores) > 2:
            self._acknowledge(chores[2], "instance/*")
        cdk.CfnOutput(
            self,
            "SnapshotFunctionName",
            value=snapshot.function.function_name,
            description='Invoke with {"dry_run": true} to see what the snapshot chore would do',
        )
        cdk.CfnOutput(self, "SnapshotScheduleName", value=snapshot.schedule.ref, description="Snapshot schedule")
        cdk.CfnOutput(self, "CleanupFunctionName", value=cleanup.function.function_name, description="Cleanup function")
        cdk.CfnOutput(self, "CleanupScheduleName", value=cleanup.schedule.ref, description="Cleanup schedule")
        cdk.CfnOutput(
            self, "AlertTopicArn", value=alerts.topic.topic_arn, description="Daily reports, failures and alarms"
        )

    def _arn(self, resource: str, *, account: bool = True) -> str:
        """arn:PARTITION:ec2:REGION:ACCOUNT:<resource> (snapshots' ARNs have no account)."""
        return cdk.Arn.format(
            cdk.ArnComponents(service="ec2", resource=resource, account="" if not account else None), self
        )

    def _snapshot_statements(self) -> list[iam.PolicyStatement]:
        snapshots = self._arn("snapshot/*", account=False)
        return [
            _describe("ListVolumesAndSnapshots", "ec2:DescribeVolumes", "ec2:DescribeSnapshots"),
            iam.PolicyStatement(
                sid="SnapshotOnlyVolumesTaggedBackup",
                actions=["ec2:CreateSnapshot"],
                resources=[self._arn("volume/*")],
                conditions={"StringEquals": {f"aws:ResourceTag/{BACKUP_TAG[0]}": BACKUP_TAG[1]}},
            ),
            iam.PolicyStatement(
                sid="CreateOnlySnapshotsTaggedAutoCreated",
                actions=["ec2:CreateSnapshot"],
                resources=[snapshots],
                conditions={"StringEquals": {f"aws:RequestTag/{AUTO_CREATED_TAG[0]}": AUTO_CREATED_TAG[1]}},
            ),
            iam.PolicyStatement(
                sid="TagSnapshotsOnlyWhileCreatingThem",
                actions=["ec2:CreateTags"],
                resources=[snapshots],
                conditions={"StringEquals": {"ec2:CreateAction": "CreateSnapshot"}},
            ),
        ]

    def _cleanup_statements(self) -> list[iam.PolicyStatement]:
        return [
            _describe("ListSnapshots", "ec2:DescribeSnapshots"),
            iam.PolicyStatement(
                sid="DeleteOnlySnapshotsTaggedAutoCreated",
                actions=["ec2:DeleteSnapshot"],
                resources=[self._arn("snapshot/*", account=False)],
                conditions={"StringEquals": {f"ec2:ResourceTag/{AUTO_CREATED_TAG[0]}": AUTO_CREATED_TAG[1]}},
            ),
        ]

    def _stop_statements(self) -> list[iam.PolicyStatement]:
        return [
            _describe("ListInstances", "ec2:DescribeInstances"),
            iam.PolicyStatement(
                sid="StopOnlyInstancesTaggedOfficeHours",
                actions=["ec2:StopInstances"],
                resources=[self._arn("instance/*")],
                conditions={"StringEquals": {f"aws:ResourceTag/{SCHEDULE_TAG[0]}": SCHEDULE_TAG[1]}},
            ),
        ]

    @staticmethod
    def _acknowledge(chore: ChoreFunction, *wildcards: str) -> None:
        """IAM5 on the chore's policy: Describe/X-Ray need *, and the tag-scoped ARN patterns it uses."""
        policy = chore.role.node.find_child("DefaultPolicy")
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::*]",
            "EC2 Describe calls and X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level "
            "permissions, so they need Resource *; they only read, and every write below is tag-conditioned.",
        )
        for resource in (w for w in wildcards if w != "snapshot/*"):
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:{resource}]",
                f"Any {resource[:-2]} of this account and region, but only those whose tag matches the statement's "
                "aws:ResourceTag condition (Backup=true or Schedule=office-hours): the tag is the scope.",
            )
        if "snapshot/*" not in wildcards:
            return
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>::snapshot/*]",
            "Snapshot ids are unknown until created; every snapshot statement is conditioned on the AutoCreated=true "
            "tag (request tag to create, resource tag to delete) or on ec2:CreateAction=CreateSnapshot to tag.",
        )


@jsii.implements(cdk.IStableStringProducer)
class _LazyTags:
    """The tags of `source`'s CloudFormation resource as a JSON object, produced at synthesis."""

    source: Construct | None = None

    def produce(self) -> str:
        resource = self.source.node.default_child if self.source is not None else None
        manager = cdk.TagManager.of(resource) if resource is not None else None
        if manager is None:
            raise ValueError("OpsAutomation: the snapshot function's tags cannot be read")
        return json.dumps(manager.tag_values(), sort_keys=True)


def _describe(sid: str, *actions: str) -> iam.PolicyStatement:
    return iam.PolicyStatement(sid=sid, actions=list(actions), resources=["*"])
