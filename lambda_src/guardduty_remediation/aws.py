"""The only module that talks to AWS: IAM (the instance profile's role, the inline policy) and SNS."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from guardduty_remediation.finding import IgnoredEventError, instance_profile_name

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})


class Gateway:
    def __init__(self, iam: Any = None, sns: Any = None) -> None:
        self._iam = iam
        self._sns = sns

    @property
    def iam(self) -> Any:
        if self._iam is None:
            self._iam = boto3.client("iam", config=_CONFIG)
        return self._iam

    @property
    def sns(self) -> Any:
        if self._sns is None:
            self._sns = boto3.client("sns", config=_CONFIG)
        return self._sns

    def role_of_instance_profile(self, arn: str) -> str:
        """The role in the instance profile (a profile holds at most one)."""
        profile = self.iam.get_instance_profile(InstanceProfileName=instance_profile_name(arn))["InstanceProfile"]
        roles = profile.get("Roles", [])
        if not roles:
            raise IgnoredEventError("the instance profile holds no role")
        return str(roles[0]["RoleName"])

    def put_role_policy(self, role_name: str, policy_name: str, document: str) -> None:
        self.iam.put_role_policy(RoleName=role_name, PolicyName=policy_name, PolicyDocument=document)

    def publish(self, topic_arn: str, subject: str, message: str) -> None:
        self.sns.publish(TopicArn=topic_arn, Subject=subject[:100], Message=message)
