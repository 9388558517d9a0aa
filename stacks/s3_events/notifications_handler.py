"""The role of CDK's bucket-notifications handler, narrowed to the two things it does."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from stacks.components.acknowledge import acknowledge


class NotificationsHandlerRole(Construct):
    """A role for the stack's `Custom::S3BucketNotifications` handler (the bucket's `notifications_handler_role`).

    CDK gives the handler `AWSLambdaBasicExecutionRole` even when it is handed a role: logs:CreateLogGroup
    and log writes to every group of the account. Handed `for_bucket` (this role without policy updates),
    CDK's additions are dropped and `grant` writes what the handler does:
    - CDK's own statement, s3:PutBucketNotification on the one bucket (its `HandlerPolicy`, attached here);
    - logs:CreateLogStream and logs:PutLogEvents on the handler's own group, `/aws/lambda/<its name>`,
      which the stack owns (stacks/components/provider_logs.py). No logs:CreateLogGroup: a handler that
      runs while the stack is deleted, after its group is gone, cannot make the group again.
    """

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="CDK's bucket-notifications handler: configure the images bucket's notifications",
        )
        self.for_bucket = self.role.without_policy_updates()

    def grant(self, bucket: s3.Bucket) -> None:
        """After the bucket's first event notification, which creates the handler and its policy."""
        stack = cdk.Stack.of(self)
        handler = next(c for c in stack.node.children if c.node.id.startswith("BucketNotificationsHandler"))
        function = handler.node.default_child
        assert isinstance(function, cdk.CfnResource)
        notifications = bucket.node.find_child("Notifications")
        handler_policy = notifications.node.find_child("HandlerPolicy")
        assert isinstance(handler_policy, iam.Policy)
        handler_policy.attach_to_role(self.role)
        # A policy of its own, not the role's default one: it names the function, and the function
        # depends on the role (and everything under it), so a default-policy statement would be a cycle.
        log_writes = iam.Policy(
            self,
            "LogWrites",
            roles=[self.role],
            statements=[
                iam.PolicyStatement(
                    sid="WriteOnlyItsOwnLogGroup",
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[
                        stack.format_arn(
                            service="logs",
                            resource="log-group",
                            resource_name=cdk.Fn.join("", ["/aws/lambda/", function.ref, ":*"]),
                            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                        )
                    ],
                )
            ],
        )
        notifications.node.find_child("Resource").node.add_dependency(log_writes)
        acknowledge(
            log_writes,
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/lambda/<{stack.get_logical_id(function)}>:*]",
            "The wildcard is the log streams of the handler's own log group, which Lambda names at run time "
            "(PutLogEvents takes a log-stream ARN); the role cannot create a group or write to any other.",
        )
