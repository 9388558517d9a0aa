"""The chores against moto's EC2, over several pages of volumes and snapshots."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ec2.models import ec2_backends

from ops_chores import chores
from ops_chores.aws import Gateway
from ops_chores.logic import Run
from scripts.sandbox import leftovers
from stacks.labs import PROJECT_TAG
from tests.ops_automation.conftest import REGION, Ec2Pager, all_snapshots, make_snapshots, make_volumes

NOW = datetime.now(UTC)


def run(*, dry_run: bool = False, now: datetime = NOW) -> Run:
    return Run(dry_run=dry_run, now=now)


# --- snapshot -------------------------------------------------------------------------------


def test_every_backup_volume_is_snapshotted_with_the_lab_tags_across_pages(
    ec2: Any, gateway: Gateway, pager: Ec2Pager
) -> None:
    # Given 12 volumes tagged Backup=true (3 pages of 5), and volumes that must not be touched
    backed_up = make_volumes(ec2, 12, {"Backup": "true"})
    make_volumes(ec2, 3)
    make_volumes(ec2, 2, {"Backup": "false"})

    # When the snapshot chore runs
    summary = chores.snapshot_volumes(gateway, run())

    # Then each Backup=true volume has exactly one snapshot, tagged as the lab's, and no other volume has one
    snapshots = all_snapshots(ec2)
    assert sorted(tags["SourceVolume"] for tags in snapshots.values()) == sorted(backed_up)
    assert all(tags["AutoCreated"] == "true" and tags["Date"] == NOW.date().isoformat() for tags in snapshots.values())
    assert sorted(item.item for item in summary.done) == sorted(backed_up)
    assert {item.detail for item in summary.done} == set(snapshots)
    assert summary.failures == []
    # and the volumes were read over more than one page
    assert pager.pages["DescribeVolumes"] >= 3


def test_a_dry_run_creates_nothing_and_says_what_it_would_do(ec2: Any, gateway: Gateway) -> None:
    # Given 7 volumes to back up
    volumes = make_volumes(ec2, 7, {"Backup": "true"})

    # When the chore runs in dry-run mode
    summary = chores.snapshot_volumes(gateway, run(dry_run=True))

    # Then no snapshot exists, and the summary lists every volume as "would create"
    assert all_snapshots(ec2) == {}
    assert summary.dry_run is True
    assert sorted(item.item for item in summary.done) == sorted(volumes)
    assert all("would create" in item.detail for item in summary.done)


def test_a_second_run_on_the_same_day_creates_nothing(ec2: Any, gateway: Gateway, pager: Ec2Pager) -> None:
    # Given 11 volumes already snapshotted by a first run today (more than one page of snapshots)
    volumes = make_volumes(ec2, 11, {"Backup": "true"})
    chores.snapshot_volumes(gateway, run())
    first = all_snapshots(ec2)
    pager.pages.clear()

    # When the chore runs again later the same (UTC) day, e.g. a retry
    summary = chores.snapshot_volumes(gateway, run(now=NOW.replace(hour=23, minute=59)))

    # Then no new snapshot exists and every volume is reported as already done
    assert all_snapshots(ec2) == first
    assert summary.done == []
    assert sorted(item.item for item in summary.skipped) == sorted(volumes)
    assert pager.pages["DescribeSnapshots"] >= 3


def test_the_next_day_snapshots_again(ec2: Any, gateway: Gateway) -> None:
    # Given a volume snapshotted on 1 May
    [volume] = make_volumes(ec2, 1, {"Backup": "true"})
    chores.snapshot_volumes(gateway, run(now=datetime(2024, 5, 1, 2, tzinfo=UTC)))

    # When the chore runs on 2 May
    summary = chores.snapshot_volumes(gateway, run(now=datetime(2024, 5, 2, 2, tzinfo=UTC)))

    # Then the volume has a second snapshot, dated 2 May
    assert [item.item for item in summary.done] == [volume]
    assert sorted(tags["Date"] for tags in all_snapshots(ec2).values()) == ["2024-05-01", "2024-05-02"]


def test_a_failed_snapshot_from_earlier_today_does_not_count_as_done(ec2: Any, gateway: Gateway) -> None:
    # Given today's snapshot of a volume ended in state "error"
    [volume] = make_volumes(ec2, 1, {"Backup": "true"})
    chores.snapshot_volumes(gateway, run())
    [failed] = all_snapshots(ec2)
    ec2_backends[DEFAULT_ACCOUNT_ID][REGION].snapshots[failed].status = "error"

    # When the chore runs again
    summary = chores.snapshot_volumes(gateway, run())

    # Then the volume is snapshotted again
    assert [item.item for item in summary.done] == [volume]
    assert len(all_snapshots(ec2)) == 2


def test_one_failing_volume_is_reported_and_the_others_are_still_snapshotted(ec2: Any, gateway: Gateway) -> None:
    # Given 8 volumes, one of which is deleted between the listing and its snapshot (a real race)
    volumes = make_volumes(ec2, 8, {"Backup": "true"})
    doomed = volumes[3]
    ec2.meta.events.register("before-call.ec2.CreateSnapshot", delete_volume_first(doomed))

    # When the chore runs
    summary = chores.snapshot_volumes(gateway, run())

    # Then the 7 others have their snapshot, and the failure names the volume and EC2's error
    assert sorted(tags["SourceVolume"] for tags in all_snapshots(ec2).values()) == sorted(set(volumes) - {doomed})
    assert [(item.item, item.detail.split(":")[0]) for item in summary.failures] == [(doomed, "InvalidVolume.NotFound")]
    assert len(summary.done) == 7


def test_a_failed_listing_is_reported_not_raised(gateway: Gateway, ec2: Any) -> None:
    # Given EC2 refuses DescribeVolumes
    ec2.meta.events.register("before-call.ec2.DescribeVolumes", refuse)

    # When the chore runs
    summary = chores.snapshot_volumes(gateway, run())

    # Then the summary carries one failure saying so
    assert [(item.item, item.detail) for item in summary.failures] == [("(listing)", "UnauthorizedOperation: denied")]


# --- cleanup --------------------------------------------------------------------------------


def test_only_the_labs_snapshots_older_than_the_retention_are_deleted(
    ec2: Any, gateway: Gateway, pager: Ec2Pager
) -> None:
    # Given the lab's snapshots 40 days old (7) and 5 days old (6), and others' snapshots 40 days old
    [volume] = make_volumes(ec2, 1)
    old_ours = make_snapshots(ec2, volume, 7, {"AutoCreated": "true"}, age_days=40)
    young_ours = make_snapshots(ec2, volume, 6, {"AutoCreated": "true"}, age_days=5)
    others = make_snapshots(ec2, volume, 3, {"Team": "data"}, age_days=40)
    others += make_snapshots(ec2, volume, 2, {"AutoCreated": "false"}, age_days=40)

    # When the cleanup runs with a retention of 30 days
    summary = chores.delete_expired_snapshots(gateway, run(), retention_days=30)

    # Then exactly the old ones of the lab are gone: the young ones and the others' survive
    assert sorted(all_snapshots(ec2)) == sorted(young_ours + others)
    assert sorted(item.item for item in summary.done) == sorted(old_ours)
    assert sorted(item.item for item in summary.skipped) == sorted(young_ours)
    assert pager.pages["DescribeSnapshots"] >= 3


def test_a_cleanup_dry_run_deletes_nothing(ec2: Any, gateway: Gateway) -> None:
    # Given 6 expired snapshots of the lab
    [volume] = make_volumes(ec2, 1)
    old = make_snapshots(ec2, volume, 6, {"AutoCreated": "true"}, age_days=31)

    # When the cleanup runs in dry-run mode
    summary = chores.delete_expired_snapshots(gateway, run(dry_run=True), retention_days=30)

    # Then they all still exist and the summary lists them as "would delete"
    assert sorted(all_snapshots(ec2)) == sorted(old)
    assert sorted(item.item for item in summary.done) == sorted(old)
    assert all(item.detail.startswith("would delete") for item in summary.done)


def test_one_failing_deletion_is_reported_and_the_others_are_still_deleted(ec2: Any, gateway: Gateway) -> None:
    # Given 6 expired snapshots, one of which disappears just before its deletion
    [volume] = make_volumes(ec2, 1)
    old = make_snapshots(ec2, volume, 6, {"AutoCreated": "true"}, age_days=60)
    doomed = old[2]
    ec2.meta.events.register("before-call.ec2.DeleteSnapshot", delete_snapshot_first(doomed))

    # When the cleanup runs
    summary = chores.delete_expired_snapshots(gateway, run(), retention_days=30)

    # Then the failure is reported and the 5 others are deleted
    assert all_snapshots(ec2) == {}
    assert [(item.item, item.detail.split(":")[0]) for item in summary.failures] == [
        (doomed, "InvalidSnapshot.NotFound")
    ]
    assert sorted(item.item for item in summary.done) == sorted(set(old) - {doomed})


# --- stop instances ------------------------------------------------------------------------


def test_only_running_office_hours_instances_are_stopped(ec2: Any, gateway: Gateway) -> None:
    # Given running instances with and without Schedule=office-hours
    office = launch(ec2, 3, {"Schedule": "office-hours"})
    always_on = launch(ec2, 2, {"Schedule": "always-on"})
    untagged = launch(ec2, 1, {})

    # When the stop chore runs
    summary = chores.stop_office_hours_instances(gateway, run())

    # Then only the office-hours ones are stopping
    assert {i: states(ec2)[i] for i in office} == dict.fromkeys(office, "stopped")
    assert {i: states(ec2)[i] for i in always_on + untagged} == dict.fromkeys(always_on + untagged, "running")
    assert sorted(item.item for item in summary.done) == sorted(office)


def test_a_stop_dry_run_stops_nothing(ec2: Any, gateway: Gateway) -> None:
    office = launch(ec2, 2, {"Schedule": "office-hours"})

    summary = chores.stop_office_hours_instances(gateway, run(dry_run=True))

    assert {states(ec2)[i] for i in office} == {"running"}
    assert [item.detail for item in summary.done] == ["would stop (dry run)"] * 2


# --- helpers --------------------------------------------------------------------------------


def delete_volume_first(volume_id: str) -> Any:
    def hook(params: dict[str, Any], **_: Any) -> None:
        if params["body"].get("VolumeId") == volume_id:
            boto3.client("ec2", region_name=REGION).delete_volume(VolumeId=volume_id)

    return hook


def delete_snapshot_first(snapshot_id: str) -> Any:
    def hook(params: dict[str, Any], **_: Any) -> None:
        if params["body"].get("SnapshotId") == snapshot_id:
            boto3.client("ec2", region_name=REGION).delete_snapshot(SnapshotId=snapshot_id)

    return hook


def refuse(**_: Any) -> Any:
    from botocore.exceptions import ClientError

    raise ClientError({"Error": {"Code": "UnauthorizedOperation", "Message": "denied"}}, "DescribeVolumes")


def launch(ec2: Any, count: int, tags: dict[str, str]) -> list[str]:
    kwargs: dict[str, Any] = {"ImageId": "ami-12c6146b", "MinCount": count, "MaxCount": count}
    if tags:
        kwargs["TagSpecifications"] = [
            {"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
        ]
    return [instance["InstanceId"] for instance in ec2.run_instances(**kwargs)["Instances"]]


def states(ec2: Any) -> dict[str, str]:
    reservations = ec2.describe_instances()["Reservations"]
    return {i["InstanceId"]: i["State"]["Name"] for r in reservations for i in r["Instances"]}


def test_snapshots_carry_the_owner_tags_and_make_leftovers_finds_them(ec2: Any, gateway: Gateway) -> None:
    # After a prod destroy the cleanup schedule is gone and the snapshots stay, billed; leftovers
    # finds EC2 resources by Project (and a stage by Stage), so the snapshots must carry them.
    [volume] = make_volumes(ec2, 1, {"Backup": "true"})
    owner = {"Project": PROJECT_TAG, "Stage": "prod", "Lab": "ops-automation"}
    chores.snapshot_volumes(gateway, run(), owner)
    [(snapshot_id, snapshot_tags)] = all_snapshots(ec2).items()
    assert snapshot_tags == {**owner, "AutoCreated": "true", "Date": NOW.date().isoformat(), "SourceVolume": volume}
    search = leftovers.find(boto3.Session(region_name=REGION), [REGION], "prod")
    assert [(item.kind, item.name) for item in search.found] == [("EBS snapshot", snapshot_id)]
    assert search.found[0].billable


def test_snapshots_made_before_the_owner_tags_are_found_by_their_description(ec2: Any, gateway: Gateway) -> None:
    # Given a snapshot the chore made with the guide's tags only (before it copied the owner's)
    make_volumes(ec2, 1, {"Backup": "true"})
    chores.snapshot_volumes(gateway, run())
    [snapshot_id] = all_snapshots(ec2)
    # Then leftovers over every stage lists it (a stage filter cannot: it carries no Stage)
    search = leftovers.find(boto3.Session(region_name=REGION), [REGION], None)
    assert [(item.kind, item.name) for item in search.found] == [("EBS snapshot", snapshot_id)]
    assert leftovers.find(boto3.Session(region_name=REGION), [REGION], "prod").found == []
