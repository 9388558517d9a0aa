"""CloudOpsCiRole: GitHub OIDC -> one role that runs the sandbox loop from a fork's CI.

Defaults: the role trusts GitHub's OIDC tokens for one repository and branch only
(`aud` sts.amazonaws.com, `sub` repo:<owner>/<name>:ref:refs/heads/<branch>), for at most
an hour; it may assume the CDK bootstrap roles of its own account (deploy, publish,
lookup: `cdk deploy/drift/destroy` act through them) and make the calls the loop's
scripts make (stacks/ci_role/permissions.py). It has no other permission: it cannot
change IAM, and whatever it deploys, the bootstrap deploy role's CloudFormation does.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from stacks.ci_role import permissions
from stacks.ci_role.config import CiRoleSettings
from stacks.components.acknowledge import acknowledge
from stacks.labs import LABS, PROJECT_TAG

STACK_ID = "CloudOpsCiRole"
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
# The CDK's default bootstrap qualifier: its roles are cdk-hnb659fds-<role>-<account>-<region>.
BOOTSTRAP_ROLE_PREFIX = "cdk-hnb659fds-"


class CiRoleStack(cdk.Stack):
    """GitHub OIDC provider (or the account's existing one) and the CI role."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: CiRoleSettings, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        if settings.oidc_provider_arn is None:
            # One provider per URL and account: an account that has one passes its ARN instead.
            provider: iam.IOidcProvider = iam.OidcProviderNative(
                self, "GitHubOidcProvider", url=f"https://{GITHUB_OIDC_HOST}", client_ids=["sts.amazonaws.com"]
            )
        else:
            provider = iam.OidcProviderNative.from_oidc_provider_arn(
                self, "GitHubOidcProvider", settings.oidc_provider_arn
            )
        # GitHub's documented trust for AWS: aud and sub, StringEquals (no wildcard in sub).
        # https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
        principal = iam.WebIdentityPrincipal(
            provider.oidc_provider_arn,
            conditions={
                "StringEquals": {
                    f"{GITHUB_OIDC_HOST}:aud": "sts.amazonaws.com",
                    f"{GITHUB_OIDC_HOST}:sub": settings.subject,
                }
            },
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=principal,
            description=f"CloudOps CDK Labs sandbox loop for {settings.repository} ({settings.branch})",
            max_session_duration=cdk.Duration.hours(1),
        )
        self._grant_loop(self.role)
        cdk.CfnOutput(
            self, "RoleArn", value=self.role.role_arn, description="set as the CLOUDOPS_SANDBOX_ROLE_ARN variable"
        )

    def _grant_loop(self, role: iam.Role) -> None:
        account, partition = self.account, self.partition
        statements = [
            iam.PolicyStatement(
                sid="AssumeCdkBootstrapRoles",
                actions=["sts:AssumeRole", "sts:TagSession"],
                resources=[f"arn:{partition}:iam::{account}:role/{BOOTSTRAP_ROLE_PREFIX}*"],
            ),
            iam.PolicyStatement(sid="ReadLoopState", actions=list(permissions.READ_ACTIONS), resources=["*"]),
            iam.PolicyStatement(
                sid="ExerciseTaggedLabs",
                actions=list(permissions.TAGGED_ACTIONS),
                resources=["*"],
                conditions={"StringEquals": {"aws:ResourceTag/Project": PROJECT_TAG}},
            ),
            iam.PolicyStatement(
                sid="LabBucketObjects",
                actions=list(permissions.BUCKET_OBJECT_ACTIONS),
                resources=[f"arn:{partition}:s3:::{lab.stack_id.lower()}-*/*" for lab in LABS],
            ),
            iam.PolicyStatement(
                sid="LabBuckets",
                actions=list(permissions.BUCKET_ACTIONS),
                resources=[f"arn:{partition}:s3:::{lab.stack_id.lower()}-*" for lab in LABS],
            ),
            iam.PolicyStatement(
                sid="LabFunctionLogs",
                actions=list(permissions.LOG_READ_ACTIONS),
                resources=[f"arn:{partition}:logs:*:{account}:log-group:/aws/lambda/{lab.stack_id}-*" for lab in LABS],
            ),
        ]
        policy = iam.ManagedPolicy(self, "LoopPolicy", statements=statements, roles=[role])
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::*]",
            "Describe/List/Get calls of the loop (stacks/ci_role/permissions.py READ_ACTIONS) read inventories "
            "and states across the account, as leftovers must; the data-plane actions on * are limited by "
            "the condition aws:ResourceTag/Project = cloudops-cdk-labs",
        )
        acknowledge(
            policy,
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/{BOOTSTRAP_ROLE_PREFIX}*]",
            "the CDK CLI assumes the bootstrap roles (deploy, file publishing, lookup) of the region it deploys "
            "to; their names end in the account and region, so the prefix covers every region's set and no other role",
        )
        for lab in LABS:
            lower = lab.stack_id.lower()
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{lower}-*]",
                f"the {lab.name} lab's buckets are named by CloudFormation '{lower}-<logical id>-<suffix>': "
                "unknown until deployed",
            )
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{lower}-*/*]",
                f"verify writes and deletes its own test objects in the {lab.name} lab's buckets",
            )
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:/aws/lambda/{lab.stack_id}-*]",
                f"verify reads the {lab.name} lab's function logs; Lambda names the functions at deploy time",
            )
