"""The chores' settings and summary at their exact values: what `make mutate` found untested.

Above all DRY_RUN=true, the value the stack deploys to the sandbox (stacks/ops_automation/stack.py):
read wrongly, the sandbox's dry run would take real snapshots and stop real instances.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from ops_chores import handler
from ops_chores.logic import (
    MAX_OWNER_TAGS,
    MAX_SUBJECT,
    ConfigurationError,
    InvalidEventError,
    Item,
    Settings,
    Summary,
    created_by_this_lab,
    parse_run,
    tags_of,
)
from tests.ops_automation.conftest import all_snapshots, make_volumes

NOW = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
DAY = date(2024, 5, 1)


@pytest.mark.parametrize("value", ["true", "TRUE", " True ", "1", "yes"])
def test_an_explicit_true_dry_run_is_a_dry_run(value: str) -> None:
    assert Settings.from_env({"DRY_RUN": value}).dry_run is True


@pytest.mark.parametrize("value", ["false", "FALSE", "0", "no"])
def test_an_explicit_false_is_a_live_run(value: str) -> None:
    assert Settings.from_env({"DRY_RUN": value}).dry_run is False


def test_the_deployed_dry_run_snapshots_nothing(
    ec2: Any, context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the function as the sandbox stage deploys it (DRY_RUN=true) and two volumes to back up
    monkeypatch.setenv("DRY_RUN", "true")
    volumes = make_volumes(ec2, 2, {"Backup": "true"})

    # When the schedule invokes it (the schedule's input has no dry_run key)
    result = handler.snapshot_handler({"scheduled_time": "2024-05-01T02:00:00Z"}, context)

    # Then it reports what it would have done, and no snapshot exists
    assert result["dry_run"] is True
    assert sorted(item["item"] for item in result["done"]) == sorted(volumes)
    assert all_snapshots(ec2) == {}


@pytest.mark.parametrize(("value", "days"), [("1", 1), ("3650", 3650), ("30", 30)])
def test_retention_days_at_the_limits_are_accepted(value: str, days: int) -> None:
    assert Settings.from_env({"RETENTION_DAYS": value}).retention_days == days


def test_retention_days_past_the_limit_are_refused() -> None:
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"RETENTION_DAYS": "3651"})
    assert str(refused.value) == "RETENTION_DAYS=3651 is out of range: use 1-3650"


@pytest.mark.parametrize(
    ("scheduled", "moment"),
    [
        ("2024-05-01T02:00:00Z", NOW),
        ("2024-05-01T04:00:00+02:00", NOW),
    ],
)
def test_the_scheduled_time_is_read_with_its_zone(scheduled: str, moment: datetime) -> None:
    run = parse_run({"scheduled_time": scheduled}, Settings(), datetime(2030, 1, 1, tzinfo=UTC))
    assert run.now == moment
    assert run.now.utcoffset() is not None


def test_a_scheduled_time_without_zone_is_refused_with_the_exact_message() -> None:
    with pytest.raises(InvalidEventError) as refused:
        parse_run({"scheduled_time": "2024-05-01T02:00:00"}, Settings(), NOW)
    assert str(refused.value) == "scheduled_time must include a time zone (Z or +HH:MM)"


def test_the_scheduled_time_is_read_as_the_scheduler_writes_it_with_an_upper_case_z() -> None:
    # EventBridge Scheduler's <aws.scheduler.scheduled-time> ends in "Z" (Scheduler user guide,
    # "Adding context attributes"); the function reads exactly that and refuses what it never sends.
    with pytest.raises(InvalidEventError) as refused:
        parse_run({"scheduled_time": "2024-05-01T02:00:00z"}, Settings(), NOW)
    assert str(refused.value) == "scheduled_time must be an ISO-8601 date and time, e.g. 2024-05-01T02:00:00Z"


def test_owner_tags_may_fill_what_ec2_leaves_after_the_guide_s_three() -> None:
    # EC2 allows 50 tags per resource (EC2 User Guide, "Tag restrictions"); the guide's three come on top.
    at_limit = {f"Key{number}": "v" for number in range(MAX_OWNER_TAGS)}
    assert Settings.from_env({"OWNER_TAGS": json.dumps(at_limit)}).owner_tags == at_limit
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"OWNER_TAGS": json.dumps({**at_limit, "OneMore": "v"})})
    assert str(refused.value).startswith(f"OWNER_TAGS has {MAX_OWNER_TAGS + 1} tag(s): use at most {MAX_OWNER_TAGS}")


def test_a_snapshot_without_tags_is_not_the_labs() -> None:
    # EC2 leaves the Tags key out of a snapshot that has none.
    assert tags_of({"SnapshotId": "snap-1"}) == {}
    assert created_by_this_lab({"SnapshotId": "snap-1"}) is False


def summary_with(*, done: int = 0, skipped: int = 0, failed: int = 0, dry_run: bool = False) -> Summary:
    summary = Summary("snapshot", dry_run, DAY)
    summary.done.extend(Item(f"vol-d{i}", "snap-1") for i in range(done))
    summary.skipped.extend(Item(f"vol-s{i}", "already snapshotted") for i in range(skipped))
    summary.failures.extend(Item(f"vol-f{i}", "gone") for i in range(failed))
    return summary


def test_the_summary_as_data_has_every_list() -> None:
    assert summary_with(done=1, skipped=1, failed=1).to_dict() == {
        "chore": "snapshot",
        "dry_run": False,
        "date": "2024-05-01",
        "counts": {"done": 1, "skipped": 1, "failed": 1},
        "done": [{"item": "vol-d0", "detail": "snap-1"}],
        "skipped": [{"item": "vol-s0", "detail": "already snapshotted"}],
        "failures": [{"item": "vol-f0", "detail": "gone"}],
    }


def test_the_report_is_exactly_subject_then_sections() -> None:
    assert summary_with(done=1, skipped=1, failed=1).message() == (
        "[ops-automation] snapshot 2024-05-01: 1 done, 1 FAILED\n"
        "\n"
        "Failed (1):\n"
        "  vol-f0: gone\n"
        "\n"
        "Done (1):\n"
        "  vol-d0: snap-1\n"
        "\n"
        "Skipped (1):\n"
        "  vol-s0: already snapshotted\n"
    )


@pytest.mark.parametrize(("done", "skipped", "failed"), [(1, 0, 0), (0, 1, 0), (0, 0, 1)])
def test_nothing_to_do_is_said_only_when_the_run_had_nothing(done: int, skipped: int, failed: int) -> None:
    assert "Nothing to do." not in summary_with(done=done, skipped=skipped, failed=failed).message()


def test_an_empty_report_is_exactly_its_subject_and_nothing_to_do() -> None:
    assert summary_with(dry_run=True).message() == (
        "[ops-automation] snapshot 2024-05-01: 0 done, ok (dry run)\n\nNothing to do.\n"
    )


def subject_of_length(length: int) -> Summary:
    """A summary whose full subject is `length` characters long."""
    summary = summary_with()
    summary.chore = "c" * (length - len(f"[ops-automation]  {DAY.isoformat()}: 0 done, ok"))
    return summary


@pytest.mark.parametrize("length", [MAX_SUBJECT - 1, MAX_SUBJECT])
def test_a_subject_up_to_100_characters_is_kept_whole(length: int) -> None:
    subject = subject_of_length(length).subject()
    assert len(subject) == length
    assert subject.endswith(": 0 done, ok")


def test_a_longer_subject_is_cut_at_100_characters() -> None:
    summary = subject_of_length(MAX_SUBJECT + 1)
    assert summary.subject() == f"[ops-automation] {summary.chore} 2024-05-01: 0 done, o"
    assert len(summary.subject()) == MAX_SUBJECT
