"""The pure rules: settings, the run's date, expiry, the summary's text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ops_chores.logic import (
    MAX_SUBJECT,
    ConfigurationError,
    InvalidEventError,
    Item,
    Settings,
    Summary,
    created_by_this_lab,
    is_expired,
    parse_run,
    snapshot_tags,
)

NOW = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
TOPIC = "arn:aws:sns:us-east-1:123456789012:OpsAlerts"


def test_an_empty_environment_means_a_dry_run_with_the_guides_30_days() -> None:
    assert Settings.from_env({}) == Settings(dry_run=True, retention_days=30, alert_topic_arn=None)


def test_settings_are_read_from_the_environment() -> None:
    env = {"DRY_RUN": "false", "RETENTION_DAYS": "7", "ALERT_TOPIC_ARN": TOPIC}
    assert Settings.from_env(env) == Settings(dry_run=False, retention_days=7, alert_topic_arn=TOPIC)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DRY_RUN": "maybe"}, "DRY_RUN='maybe' is not a flag: use true or false"),
        ({"RETENTION_DAYS": "thirty"}, "RETENTION_DAYS='thirty' is not a whole number of days (1-3650)"),
        ({"RETENTION_DAYS": "-1"}, "RETENTION_DAYS='-1' is not a whole number of days (1-3650)"),
        ({"RETENTION_DAYS": "0"}, "RETENTION_DAYS=0 is out of range: use 1-3650"),
        ({"ALERT_TOPIC_ARN": "my-topic"}, "ALERT_TOPIC_ARN='my-topic' is not an SNS topic ARN"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        Settings.from_env(env)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_the_input_can_force_a_dry_run_but_never_lift_one() -> None:
    live = Settings(dry_run=False)
    assert parse_run({"dry_run": True}, live, NOW).dry_run is True
    assert parse_run({}, live, NOW).dry_run is False
    assert parse_run({"dry_run": False}, Settings(dry_run=True), NOW).dry_run is True


def test_the_date_is_the_utc_date_of_the_scheduled_time() -> None:
    # 23:30 at UTC-2 on 1 May is 01:30 UTC on 2 May: a retry after local midnight keeps the same date.
    run = parse_run({"scheduled_time": "2024-05-01T23:30:00-02:00"}, Settings(), NOW)
    assert run.day == date(2024, 5, 2)
    assert parse_run({"scheduled_time": "2024-05-01T02:00:00Z"}, Settings(), NOW).now == NOW
    assert parse_run({}, Settings(), NOW).day == date(2024, 5, 1)


def test_a_console_test_event_is_accepted() -> None:
    assert parse_run({"key1": "value1", "key2": "value2"}, Settings(), NOW).now == NOW
    assert parse_run(None, Settings(), NOW).dry_run is True


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ([], "the input must be a JSON object, not list"),
        ({"dry_run": "yes"}, "dry_run must be true or false"),
        ({"scheduled_time": 1714528800}, "scheduled_time must be an ISO-8601 string"),
        ({"scheduled_time": "yesterday"}, "scheduled_time must be an ISO-8601 date and time"),
        ({"scheduled_time": "2024-05-01T02:00:00"}, "scheduled_time must include a time zone"),
    ],
)
def test_a_bad_input_is_one_line_naming_the_field(event: object, message: str) -> None:
    with pytest.raises(InvalidEventError) as raised:
        parse_run(event, Settings(), NOW)
    assert str(raised.value).startswith(message)


def test_snapshots_carry_the_guides_tags_and_their_source() -> None:
    assert snapshot_tags("vol-1", date(2024, 5, 1)) == {
        "AutoCreated": "true",
        "Date": "2024-05-01",
        "SourceVolume": "vol-1",
    }


@pytest.mark.parametrize(
    ("tags", "ours"),
    [
        ([{"Key": "AutoCreated", "Value": "true"}], True),
        ([{"Key": "AutoCreated", "Value": "True"}], False),
        ([{"Key": "AutoCreated", "Value": "false"}], False),
        ([{"Key": "Backup", "Value": "true"}], False),
        ([], False),
    ],
)
def test_only_autocreated_true_marks_a_snapshot_as_the_labs(tags: list[dict[str, str]], ours: bool) -> None:
    # The guide's cleanup deleted any snapshot with an AutoCreated key, whatever its value.
    assert created_by_this_lab({"Tags": tags}) is ours


def test_expiry_is_strictly_older_than_the_retention() -> None:
    assert is_expired(NOW - timedelta(days=30, seconds=1), NOW, 30)
    assert not is_expired(NOW - timedelta(days=30), NOW, 30)
    assert not is_expired(NOW - timedelta(days=1), NOW, 30)


def test_the_summary_puts_failures_first_and_fits_an_sns_subject() -> None:
    summary = Summary("snapshot", False, date(2024, 5, 1))
    summary.done.append(Item("vol-1", "snap-1"))
    summary.failures.append(Item("vol-2", "InvalidVolume.NotFound: gone"))
    summary.skipped.append(Item("vol-3", "already snapshotted on 2024-05-01: snap-0"))

    assert summary.subject() == "[ops-automation] snapshot 2024-05-01: 1 done, 1 FAILED"
    message = summary.message()
    assert message.index("Failed (1):") < message.index("Done (1):") < message.index("Skipped (1):")
    assert "  vol-2: InvalidVolume.NotFound: gone" in message
    assert summary.to_dict()["counts"] == {"done": 1, "skipped": 1, "failed": 1}

    summary.chore = "x" * 200
    assert len(summary.subject()) == MAX_SUBJECT


def test_an_empty_run_says_so() -> None:
    summary = Summary("cleanup", True, date(2024, 5, 1))
    assert summary.subject() == "[ops-automation] cleanup 2024-05-01: 0 done, ok (dry run)"
    assert "Nothing to do." in summary.message()


def test_owner_tags_come_from_the_environment_and_never_replace_the_guides() -> None:
    settings = Settings.from_env({"OWNER_TAGS": '{"Project": "cloudops-cdk-labs", "Stage": "prod", "Date": "x"}'})
    assert settings.owner_tags == {"Project": "cloudops-cdk-labs", "Stage": "prod", "Date": "x"}
    tags = snapshot_tags("vol-1", date(2024, 5, 1), settings.owner_tags)
    guide = {"AutoCreated": "true", "Date": "2024-05-01", "SourceVolume": "vol-1"}
    assert tags == {"Project": "cloudops-cdk-labs", "Stage": "prod", **guide}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("Project=x", "OWNER_TAGS='Project=x' is not a JSON object of strings"),
        ('{"Project": 1}', """OWNER_TAGS='{"Project": 1}' is not a JSON object of strings"""),
        ('{"aws:cloudformation:stack-name": "x"}', "OWNER_TAGS has 1 tag(s): use at most 47, none starting with aws:"),
    ],
)
def test_bad_owner_tags_are_one_line(raw: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        Settings.from_env({"OWNER_TAGS": raw})
    assert str(raised.value).startswith(message)
