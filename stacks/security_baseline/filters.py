"""The security-baseline lab's four CloudTrail metric filters, as data.

The patterns are the CIS AWS Foundations Benchmark's (v1.4.0 section 4, the same text
as Security Hub's controls CloudWatch.1-4), unchanged, so that a Security Hub check, an
auditor and this lab all read the same filter. The stack creates one metric filter and
one alarm (>= 1 in 5 minutes) per entry; tests evaluate each pattern against sample
CloudTrail records (scripts/security_baseline/samples.py).

No CDK import: the stack, the tests and the verify step (scripts/security_baseline/verify.py) all read it.
"""

from __future__ import annotations

from dataclasses import dataclass

METRIC_NAMESPACE = "CloudOpsLabs/SecurityBaseline"


@dataclass(frozen=True)
class MetricFilter:
    """One CloudTrail metric filter and its alarm."""

    key: str  # construct id prefix and metric name, e.g. "RootAccountUsage"
    title: str
    benchmark: str
    pattern: str
    why: str

    @property
    def metric_name(self) -> str:
        return self.key


ROOT_ACCOUNT_USAGE = MetricFilter(
    key="RootAccountUsage",
    title="root account use",
    benchmark="CIS 1.4.0 4.3, Security Hub CloudWatch.1",
    # invokedBy is set when an AWS service acts with root credentials on the account's behalf;
    # AwsServiceEvent records are AWS's own, not a person using the root user.
    pattern=(
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'
    ),
    why="The root user can do anything and cannot be limited by IAM: any use of it should be rare and noticed.",
)

UNAUTHORIZED_API_CALLS = MetricFilter(
    key="UnauthorizedApiCalls",
    title="unauthorized API calls",
    benchmark="CIS 1.4.0 4.1, Security Hub CloudWatch.2",
    # EC2 reports "Client.UnauthorizedOperation", most other services "AccessDenied" or "AccessDeniedException".
    pattern='{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    why="Denied calls reveal both broken permissions and someone probing what stolen credentials can do.",
)

CONSOLE_SIGNIN_WITHOUT_MFA = MetricFilter(
    key="ConsoleSignInWithoutMfa",
    title="console sign-in without MFA",
    benchmark="CIS 1.4.0 4.2, Security Hub CloudWatch.3",
    # As in the benchmark, this also counts failed sign-ins and federated (SSO) sign-ins, whose
    # MFA happens at the identity provider: the benchmark's stricter variant adds
    # $.userIdentity.type = "IAMUser" && $.responseElements.ConsoleLogin = "Success".
    pattern='{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    why="A password alone is one phishing e-mail away from the console.",
)

IAM_POLICY_CHANGES = MetricFilter(
    key="IamPolicyChanges",
    title="IAM policy changes",
    benchmark="CIS 1.4.0 4.4, Security Hub CloudWatch.4",
    pattern=(
        "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)"
        "||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)"
        "||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)"
        "||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)"
        "||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)"
        "||($.eventName=DetachGroupPolicy)}"
    ),
    why="Permissions that change unseen are how a foothold becomes an administrator.",
)

FILTERS: tuple[MetricFilter, ...] = (
    ROOT_ACCOUNT_USAGE,
    UNAUTHORIZED_API_CALLS,
    CONSOLE_SIGNIN_WITHOUT_MFA,
    IAM_POLICY_CHANGES,
)


def filter_named(key: str) -> MetricFilter:
    for metric_filter in FILTERS:
        if metric_filter.key == key:
            return metric_filter
    raise LookupError(f"no metric filter {key!r}: use one of {', '.join(f.key for f in FILTERS)}")
