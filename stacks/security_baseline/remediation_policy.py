"""The remediation role's IAM write: which roles it may write the session-revoking policy into."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam

# The tag a learner puts on a role to let the remediation revoke its sessions (the handler names it too).
REMEDIABLE_TAG = ("GuardDutyRemediable", "true")
# Roles the remediation may never write to, whatever their tags: PutRolePolicy can write any policy
# into a role it may touch, so these stay out of its reach by an explicit Deny.
PROTECTED_ROLES = (
    "cdk-hnb659fds-*",  # the CDK bootstrap roles (deploy, file and image publishing, lookup, CloudFormation execution)
    "aws-reserved/*",  # IAM Identity Center's AWSReservedSSO_* roles live under this path
    "*AWSReservedSSO_*",
    "OrganizationAccountAccessRole",  # the role AWS Organizations creates for the management account
    "admin/*",  # roles under an admin path
    "*Admin*",  # AdministratorAccess-style names; ARN matching is case-sensitive, hence both spellings
    "*admin*",
)


def remediation_write_statements(role: iam.IRole) -> list[iam.PolicyStatement]:
    """With `enforce`: PutRolePolicy on roles tagged remediable only, and never on a protected one or its own.

    PutRolePolicy has no condition key on the policy's content, so IAM cannot hold the function to
    the AWSRevokeOlderSessions deny it writes; what IAM can limit is which roles it writes to. The
    role resource type supports aws:ResourceTag/${TagKey}
    (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html,
    https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html). The role holds no
    iam:TagRole, so it cannot make a role remediable itself.
    """
    stack = cdk.Stack.of(role)

    def roles(name: str) -> str:
        return stack.format_arn(service="iam", region="", resource="role", resource_name=name)

    return [
        iam.PolicyStatement(
            sid="DenyOlderSessionsOfRolesTaggedRemediable",
            actions=["iam:PutRolePolicy"],
            resources=[roles("*")],
            conditions={"StringEquals": {f"aws:ResourceTag/{REMEDIABLE_TAG[0]}": REMEDIABLE_TAG[1]}},
        ),
        iam.PolicyStatement(
            sid="NeverEditItsOwnRole",
            effect=iam.Effect.DENY,
            actions=["iam:PutRolePolicy"],
            resources=[role.role_arn],
        ),
        iam.PolicyStatement(
            sid="NeverEditBootstrapOrAdministratorRoles",
            effect=iam.Effect.DENY,
            actions=["iam:PutRolePolicy"],
            resources=[roles(name) for name in PROTECTED_ROLES],
        ),
    ]
