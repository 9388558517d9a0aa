"""The three chores, each against a gateway (aws.Gateway in Lambda; moto-backed in tests).

Each chore returns a Summary and never stops at the first problem: a call that fails for
one volume, snapshot or instance becomes a failure item and the loop goes on. Only a
failed listing ends a chore early (there is nothing to loop over), and it is reported
the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from ops_chores.logic import (
    BACKUP_TAG,
    SCHEDULE_TAG,
    SOURCE_VOLUME_TAG,
    Item,
    Run,
    Summary,
    created_by_this_lab,
    is_expired,
    snapshot_description,
    snapshot_tags,
    tags_of,
)

AWS_ERRORS = (ClientError, BotoCoreError)
LISTING = "(listing)"


class Ec2(Protocol):
    def volumes_tagged(self, key: str, value: str) -> Iterator[dict[str, Any]]: ...
    def snapshots_created_on(self, day: str) -> Iterator[dict[str, Any]]: ...
    def auto_created_snapshots(self) -> Iterator[dict[str, Any]]: ...
    def running_instances_tagged(self, key: str, value: str) -> Iterator[dict[str, Any]]: ...
    def create_snapshot(
        self, volume_id: str, description: str, tags: dict[str, str], *, dry_run: bool
    ) -> str | None: ...
    def delete_snapshot(self, snapshot_id: str, *, dry_run: bool) -> None: ...
    def stop_instance(self, instance_id: str, *, dry_run: bool) -> None: ...


def snapshot_volumes(ec2: Ec2, run: Run, owner_tags: Mapping[str, str] | None = None) -> Summary:
    """Snapshots every volume tagged Backup=true once per day (the run's UTC date).

    Each snapshot gets the guide's tags, its source volume and `owner_tags` (the stack's
    Project, Stage and Lab): it outlives the stack, and `make leftovers` finds it by them.

    Idempotent: a volume that already has an AutoCreated snapshot tagged with today's date
    (pending or completed, from an earlier or retried run) is skipped.
    """
    summary = Summary("snapshot", run.dry_run, run.day)
    day = run.day.isoformat()
    try:
        # A snapshot in state "error" is not a backup: the volume is tried again.
        existing = {
            tags_of(snapshot).get(SOURCE_VOLUME_TAG, ""): snapshot["SnapshotId"]
            for snapshot in ec2.snapshots_created_on(day)
            if snapshot.get("State") != "error"
        }
        volumes = list(ec2.volumes_tagged(*BACKUP_TAG))
    except AWS_ERRORS as error:
        summary.failures.append(Item(LISTING, describe_error(error)))
        return summary
    for volume in volumes:
        volume_id = volume["VolumeId"]
        if volume_id in existing:
            summary.skipped.append(Item(volume_id, f"already snapshotted on {day}: {existing[volume_id]}"))
            continue
        try:
            snapshot_id = ec2.create_snapshot(
                volume_id,
                snapshot_description(volume_id, run.day),
                snapshot_tags(volume_id, run.day, owner_tags),
                dry_run=run.dry_run,
            )
        except AWS_ERRORS as error:
            summary.failures.append(Item(volume_id, describe_error(error)))
            continue
        summary.done.append(Item(volume_id, snapshot_id or "would create a snapshot (dry run)"))
    return summary


def delete_expired_snapshots(ec2: Ec2, run: Run, retention_days: int) -> Summary:
    """Deletes this account's AutoCreated=true snapshots older than `retention_days`; keeps the rest."""
    summary = Summary("cleanup", run.dry_run, run.day)
    try:
        snapshots = list(ec2.auto_created_snapshots())
    except AWS_ERRORS as error:
        summary.failures.append(Item(LISTING, describe_error(error)))
        return summary
    for snapshot in snapshots:
        snapshot_id = snapshot["SnapshotId"]
        # The listing filters on the tag already; checked again because deleting is not undoable.
        if not created_by_this_lab(snapshot):
            summary.skipped.append(Item(snapshot_id, "kept: not tagged AutoCreated=true"))
            continue
        started = snapshot["StartTime"]
        if not is_expired(started, run.now, retention_days):
            age = (run.now - started).days
            summary.skipped.append(Item(snapshot_id, f"kept: {age} day(s) old, retention {retention_days}"))
            continue
        try:
            ec2.delete_snapshot(snapshot_id, dry_run=run.dry_run)
        except AWS_ERRORS as error:
            summary.failures.append(Item(snapshot_id, describe_error(error)))
            continue
        started_on = started.date().isoformat()
        summary.done.append(Item(snapshot_id, ("would delete" if run.dry_run else "deleted") + f" (from {started_on})"))
    return summary


def stop_office_hours_instances(ec2: Ec2, run: Run) -> Summary:
    """Stops every running instance tagged Schedule=office-hours."""
    summary = Summary("stop-instances", run.dry_run, run.day)
    try:
        instances = list(ec2.running_instances_tagged(*SCHEDULE_TAG))
    except AWS_ERRORS as error:
        summary.failures.append(Item(LISTING, describe_error(error)))
        return summary
    for instance in instances:
        instance_id = instance["InstanceId"]
        try:
            ec2.stop_instance(instance_id, dry_run=run.dry_run)
        except AWS_ERRORS as error:
            summary.failures.append(Item(instance_id, describe_error(error)))
            continue
        summary.done.append(Item(instance_id, "would stop (dry run)" if run.dry_run else "stopping"))
    return summary


def describe_error(error: Exception) -> str:
    """One line: the AWS error code and message (never a traceback)."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = details.get("Code", "Error")
        message = details.get("Message", "")
        return f"{code}: {message}".strip().rstrip(":")
    return f"{type(error).__name__}: {error}".splitlines()[0]
