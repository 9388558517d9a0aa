"""Acknowledging a cdk-nag 3 finding on the narrowest construct, with a reason."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import IConstruct


def acknowledge(construct: IConstruct, rule_id: str, reason: str) -> None:
    """Records that `rule_id` is accepted on `construct` (and its children) for `reason`.

    Use the bare rule id (`AwsSolutions-RDS11`, granular `AwsSolutions-IAM5[Resource::*]`):
    cdk-nag's validate_scope ignores the prefixed form the CLI prints. The reason must let
    a reviewer check the decision. tests/test_gates.py enforces its length, and runs both packs
    with every acknowledgment switched off: one that hides no finding on `construct` or below it
    fails the suite.
    """
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=rule_id, reason=reason))
