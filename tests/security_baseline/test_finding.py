"""The remediation's pure rules: which events it acts on, and the deny policy it writes."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from guardduty_remediation.finding import (
    ConfigurationError,
    IgnoredEventError,
    Settings,
    Target,
    instance_profile_name,
    parse_finding,
    revoke_policy,
    token_issue_cutoff,
)
from tests.security_baseline.conftest import load_event

ACCOUNT = "123456789012"


@pytest.mark.parametrize(
    ("name", "finding_type"),
    [
        (
            "finding_credential_exfiltration_outside_aws",
            "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
        ),
        (
            "finding_credential_exfiltration_inside_aws",
            "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS",
        ),
    ],
)
def test_both_variants_of_the_guides_finding_name_the_instance_role(name: str, finding_type: str) -> None:
    target = parse_finding(load_event(name), ACCOUNT)
    assert target.role_name == "web-server-role"
    assert target.finding_type == finding_type
    assert target.severity == 8.0


def test_without_a_role_name_the_instance_profile_is_the_way_to_the_role() -> None:
    target = parse_finding(load_event("finding_credential_exfiltration_instance_profile_only"), ACCOUNT)
    assert target == Target(
        finding_id="b3c4d5e6f708192a3b4c5d6e7f809102",
        finding_type="UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
        severity=8.0,
        role_name=None,
        instance_profile_arn="arn:aws:iam::123456789012:instance-profile/web-server-profile",
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("not_a_finding", "not a GuardDuty finding event"),
        ("finding_other_type", "finding type 'Recon:IAMUser/MaliciousIPCaller' is not UnauthorizedAccess:IAMUser/"),
        ("finding_sample", "the finding is a GuardDuty sample finding"),
        ("finding_member_account", "the finding is for account '444455556666', not 123456789012"),
        ("finding_iam_user_keys", "the finding names no role"),
    ],
)
def test_events_it_does_not_act_on_are_ignored_with_the_reason(name: str, reason: str) -> None:
    with pytest.raises(IgnoredEventError) as raised:
        parse_finding(load_event(name), ACCOUNT)
    assert str(raised.value).startswith(reason)


def mutated(change: Any) -> dict[str, Any]:
    event = copy.deepcopy(load_event("finding_credential_exfiltration_outside_aws"))
    change(event["detail"])
    return event


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ("a string", "the event is not a JSON object but str"),
        ({"source": "aws.guardduty", "detail-type": "GuardDuty Finding"}, "the event has no detail object"),
        (mutated(lambda d: d.pop("id")), "the finding has no id"),
        (mutated(lambda d: d.update(severity="high")), "the finding has no numeric severity"),
        (mutated(lambda d: d["service"].update(archived=True)), "the finding is archived"),
        (mutated(lambda d: d["resource"].update(resourceType="Instance")), "resource type 'Instance' is not AccessKey"),
        (mutated(lambda d: d.pop("resource")), "the event has no resource object"),
        (
            mutated(lambda d: d["resource"]["accessKeyDetails"].update(userName="../admin role")),
            "accessKeyDetails.userName is not a valid IAM role name",
        ),
        (
            mutated(lambda d: d["resource"]["accessKeyDetails"].update(userName="r" * 65)),
            "accessKeyDetails.userName is not a valid IAM role name",
        ),
        (
            mutated(
                lambda d: d["resource"].update(
                    instanceDetails={"iamInstanceProfile": {"arn": "arn:aws:iam::444455556666:instance-profile/x"}}
                )
            ),
            "the instance profile belongs to another account",
        ),
    ],
)
def test_malformed_events_are_ignored_with_a_clear_reason(event: Any, reason: str) -> None:
    with pytest.raises(IgnoredEventError) as raised:
        parse_finding(event, ACCOUNT)
    assert str(raised.value) == reason or str(raised.value).startswith(reason)


def test_a_huge_field_is_not_echoed_into_the_log() -> None:
    event = mutated(lambda d: d.update(type="X" * 10_000))
    with pytest.raises(IgnoredEventError) as raised:
        parse_finding(event, ACCOUNT)
    assert len(str(raised.value)) < 200


def test_the_policy_denies_everything_to_sessions_issued_before_now() -> None:
    now = datetime(2024, 5, 1, 9, 7, 33, 250_000, tzinfo=UTC)
    assert revoke_policy(now) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "RevokeOlderSessions",
                "Effect": "Deny",
                "Action": ["*"],
                "Resource": ["*"],
                "Condition": {"DateLessThan": {"aws:TokenIssueTime": "2024-05-01T09:07:33.250Z"}},
            }
        ],
    }


@pytest.mark.parametrize(
    ("now", "cutoff"),
    [
        # Rounded up to the next millisecond: a session issued at .123400 is before the cutoff.
        (datetime(2024, 5, 1, 9, 0, 0, 123_456, tzinfo=UTC), "2024-05-01T09:00:00.124Z"),
        (datetime(2024, 5, 1, 9, 0, 0, 999_001, tzinfo=UTC), "2024-05-01T09:00:01.000Z"),
        (datetime(2024, 5, 1, 9, 0, 0, tzinfo=UTC), "2024-05-01T09:00:00.000Z"),
        # Always UTC with a Z (the guide's utcnow().isoformat() had no zone at all).
        (datetime(2024, 5, 1, 11, 0, 0, tzinfo=timezone(timedelta(hours=2))), "2024-05-01T09:00:00.000Z"),
    ],
)
def test_the_cutoff_is_utc_iso8601_and_never_before_now(now: datetime, cutoff: str) -> None:
    assert token_issue_cutoff(now) == cutoff
    assert datetime.fromisoformat(cutoff.replace("Z", "+00:00")) >= now


def test_remediation_is_off_unless_dry_run_is_exactly_false() -> None:
    assert Settings.from_env({}).dry_run is True
    assert Settings.from_env({"DRY_RUN": "true"}).dry_run is True
    assert Settings.from_env({"DRY_RUN": "False"}).dry_run is False
    with pytest.raises(ConfigurationError, match=r"^DRY_RUN='off' is not a flag: use true or false$"):
        Settings.from_env({"DRY_RUN": "off"})
    with pytest.raises(ConfigurationError, match=r"^ALERT_TOPIC_ARN='x' is not an SNS topic ARN$"):
        Settings.from_env({"ALERT_TOPIC_ARN": "x"})


def test_the_instance_profile_name_comes_from_its_arn_with_or_without_a_path() -> None:
    assert instance_profile_name("arn:aws:iam::123456789012:instance-profile/web") == "web"
    assert instance_profile_name("arn:aws:iam::123456789012:instance-profile/team/app/web") == "web"
    with pytest.raises(IgnoredEventError):
        instance_profile_name("arn:aws:iam::123456789012:role/web")
