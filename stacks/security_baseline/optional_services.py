"""Account-level services beside the baseline: IAM Access Analyzer, and the opt-in Security Hub and AWS Config.

Each is one per account and region: deploying where one already exists fails, so each
is a flag (Access Analyzer on by default, as it is free; the other two cost money).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_accessanalyzer as accessanalyzer
from aws_cdk import aws_config as config
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_securityhub as securityhub
from constructs import Construct

from stacks.components.acknowledge import acknowledge

CONFIG_PREFIX = "config"


def access_analyzer(scope: Construct) -> accessanalyzer.CfnAnalyzer:
    """Finds resources shared outside the account (external access analysis is free)."""
    return accessanalyzer.CfnAnalyzer(scope, "AccessAnalyzer", type="ACCOUNT")


def security_hub(scope: Construct) -> securityhub.CfnHub:
    """Security Hub with its default standards (AWS Foundational Security Best Practices, CIS).

    Most of its controls are evaluated through AWS Config rules, so it is useful with
    `aws_config` on (or the account's own recorder).
    """
    return securityhub.CfnHub(scope, "SecurityHub", enable_default_standards=True, auto_enable_controls=True)


class ConfigRecorder(Construct):
    """An AWS Config recorder of every supported resource, delivering to `bucket` under config/.

    The bucket admits AWS Config only on behalf of this account (aws:SourceAccount).
    """

    def __init__(self, scope: Construct, construct_id: str, *, bucket: s3.Bucket) -> None:
        super().__init__(scope, construct_id)
        account = cdk.Stack.of(self).account
        from_this_account = {"aws:SourceAccount": account}
        service = iam.ServicePrincipal("config.amazonaws.com")
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AWSConfigBucketCheck",
                principals=[service],
                actions=["s3:GetBucketAcl", "s3:ListBucket"],
                resources=[bucket.bucket_arn],
                conditions={"StringEquals": from_this_account},
            )
        )
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AWSConfigBucketDelivery",
                principals=[service],
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects(f"{CONFIG_PREFIX}/AWSLogs/{account}/Config/*")],
                conditions={"StringEquals": {**from_this_account, "s3:x-amz-acl": "bucket-owner-full-control"}},
            )
        )
        role = iam.Role(
            self,
            "Role",
            assumed_by=service,
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWS_ConfigRole")],
            description="AWS Config reads resource configurations",
        )
        recorder = config.CfnConfigurationRecorder(
            self,
            "Recorder",
            role_arn=role.role_arn,
            recording_group=config.CfnConfigurationRecorder.RecordingGroupProperty(
                all_supported=True, include_global_resource_types=True
            ),
        )
        channel = config.CfnDeliveryChannel(
            self, "DeliveryChannel", s3_bucket_name=bucket.bucket_name, s3_key_prefix=CONFIG_PREFIX
        )
        policy = bucket.policy
        assert policy is not None
        # The channel depends on the bucket policy only, and neither on the other: PutDeliveryChannel
        # needs a recorder to exist, while the recorder resource waits for a channel before it starts
        # ("AWS CloudFormation starts the recorder as soon as the delivery channel is available",
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-config-configurationrecorder.html).
        # A channel that waits for the recorder fails with NoAvailableDeliveryChannelException
        # (aws-cdk #9001, https://github.com/aws/aws-cdk/issues/9001); AWS's own sample template
        # (aws-cloudformation-templates, Config/Config.yaml) declares the two side by side.
        channel.node.add_dependency(policy)
        self.recorder = recorder
        self.channel = channel
        acknowledge(
            role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]",
            "AWS_ConfigRole is the policy AWS maintains for the Config service role: it grants the read calls "
            "Config needs for every resource type, and AWS updates it when Config learns new types.",
        )
