"""GuardDuty sample findings are ignored in every shape GuardDuty marks them, even with remediation on.

GuardDuty marks a sample in `service.additionalInfo`. Its API (GetFindings,
ServiceAdditionalInfo) has only `type` and `value`, and `value` is a JSON *string*:
`{"value": "{\"sample\":true}", "type": "default"}`
(https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ServiceAdditionalInfo.html).
EventBridge events of samples have carried a top-level `"sample": true` as well
(finding_sample.json) or alone (older events). "Generate sample findings" makes one
finding of every type, InstanceCredentialExfiltration included, with placeholder values
(https://docs.aws.amazon.com/guardduty/latest/ug/sample_findings.html): with
`remediation: enforce` a click must not make the function call PutRolePolicy.
The fixtures' sources are in events/SOURCES.toml.
"""

from __future__ import annotations

from typing import Any

import pytest

from guardduty_remediation import handler
from guardduty_remediation.finding import IgnoredEventError, Settings, parse_finding
from tests.security_baseline.conftest import load_event

ACCOUNT = "123456789012"
SAMPLE_SHAPES = ["finding_sample", "finding_sample_value_only", "finding_sample_top_level_only"]


class RecordingGateway:
    """Records the IAM calls the handler would make; a sample must lead to none."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def role_of_instance_profile(self, arn: str) -> str:
        self.calls.append(("GetInstanceProfile", arn))
        return "web-server-role"

    def put_role_policy(self, role_name: str, policy_name: str, document: str) -> None:
        self.calls.append(("PutRolePolicy", role_name))

    def publish(self, topic_arn: str, subject: str, message: str) -> None:
        self.calls.append(("Publish", subject))


@pytest.mark.parametrize("name", SAMPLE_SHAPES)
def test_a_sample_finding_is_recognised_in_each_shape(name: str) -> None:
    with pytest.raises(IgnoredEventError, match="the finding is a GuardDuty sample finding"):
        parse_finding(load_event(name), ACCOUNT)


@pytest.mark.parametrize("name", SAMPLE_SHAPES)
def test_with_remediation_on_a_sample_finding_changes_no_role(name: str) -> None:
    # Given remediation is enforced
    gateway = RecordingGateway()

    # When a sample finding of the remediated type arrives
    result = handler.remediate(
        load_event(name),
        account_id=ACCOUNT,
        settings=Settings(dry_run=False),
        gateway=gateway,  # type: ignore[arg-type]
    )

    # Then nothing is called: no PutRolePolicy on the placeholder role
    assert result == {"status": "ignored", "reason": "the finding is a GuardDuty sample finding"}
    assert gateway.calls == []


@pytest.mark.parametrize(
    "additional_info",
    [
        {"value": '{"sample":false}', "type": "default"},
        {"value": "{}", "type": "default"},
        {"value": "not json", "type": "default"},
        {"value": "[true]", "type": "default"},
        {"sample": "true"},
        {},
    ],
)
def test_a_real_finding_is_not_taken_for_a_sample(additional_info: dict[str, Any]) -> None:
    event = load_event("finding_sample_value_only")
    event["detail"]["service"]["additionalInfo"] = additional_info

    target = parse_finding(event, ACCOUNT)

    assert target.role_name == "GeneratedFindingUserName"
