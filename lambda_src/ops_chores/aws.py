"""The only module that talks to AWS: EC2 (volumes, snapshots, instances) and SNS.

- Every Describe call goes through a paginator: the guide's cleanup_old_snapshots read
  one page of describe_snapshots and silently missed the rest.
- In a dry run the mutating calls are still made, with DryRun=True: EC2 then answers
  DryRunOperation when the call would have been allowed and UnauthorizedOperation when
  not, so a dry run also proves the function's IAM permissions, and changes nothing.
- Errors are not caught here: the chores decide which ones are per-item failures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from ops_chores.logic import AUTO_CREATED_TAG, DATE_TAG

# DescribeVolumes/DescribeSnapshots accept up to 500/1000 per page; 500 keeps each call short.
PAGE_SIZE = 500
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})


class Gateway:
    """EC2 and SNS calls for the chores. `page_size` is small in tests to force several pages."""

    def __init__(self, ec2: Any = None, sns: Any = None, *, page_size: int = PAGE_SIZE) -> None:
        self._ec2 = ec2
        self._sns = sns
        self._page_size = page_size

    @property
    def ec2(self) -> Any:
        if self._ec2 is None:
            self._ec2 = boto3.client("ec2", config=_CONFIG)
        return self._ec2

    @property
    def sns(self) -> Any:
        if self._sns is None:
            self._sns = boto3.client("sns", config=_CONFIG)
        return self._sns

    def volumes_tagged(self, key: str, value: str) -> Iterator[dict[str, Any]]:
        yield from self._paginate("describe_volumes", "Volumes", Filters=[_tag_filter(key, value)])

    def snapshots_created_on(self, day: str) -> Iterator[dict[str, Any]]:
        """This account's AutoCreated snapshots whose Date tag is `day`."""
        filters = [_tag_filter(*AUTO_CREATED_TAG), _tag_filter(DATE_TAG, day)]
        yield from self._paginate("describe_snapshots", "Snapshots", OwnerIds=["self"], Filters=filters)

    def auto_created_snapshots(self) -> Iterator[dict[str, Any]]:
        """This account's snapshots tagged AutoCreated=true (OwnerIds=self: never a shared or public one)."""
        filters = [_tag_filter(*AUTO_CREATED_TAG)]
        yield from self._paginate("describe_snapshots", "Snapshots", OwnerIds=["self"], Filters=filters)

    def running_instances_tagged(self, key: str, value: str) -> Iterator[dict[str, Any]]:
        filters = [_tag_filter(key, value), {"Name": "instance-state-name", "Values": ["running"]}]
        for reservation in self._paginate("describe_instances", "Reservations", Filters=filters):
            yield from reservation.get("Instances", [])

    def create_snapshot(self, volume_id: str, description: str, tags: dict[str, str], *, dry_run: bool) -> str | None:
        """The new snapshot's id; None in a dry run that would have succeeded."""
        tag_list = [{"Key": key, "Value": value} for key, value in tags.items()]
        # Tagged in the same call (tag-on-create): IAM can then require ec2:CreateAction=CreateSnapshot
        # for CreateTags, and no snapshot ever exists without its AutoCreated tag.
        response = _dry_run_aware(
            self.ec2.create_snapshot,
            dry_run,
            VolumeId=volume_id,
            Description=description,
            TagSpecifications=[{"ResourceType": "snapshot", "Tags": tag_list}],
        )
        return None if response is None else str(response["SnapshotId"])

    def delete_snapshot(self, snapshot_id: str, *, dry_run: bool) -> None:
        _dry_run_aware(self.ec2.delete_snapshot, dry_run, SnapshotId=snapshot_id)

    def stop_instance(self, instance_id: str, *, dry_run: bool) -> None:
        _dry_run_aware(self.ec2.stop_instances, dry_run, InstanceIds=[instance_id])

    def publish(self, topic_arn: str, subject: str, message: str) -> None:
        self.sns.publish(TopicArn=topic_arn, Subject=subject, Message=message)

    def _paginate(self, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        paginator = self.ec2.get_paginator(operation)
        for page in paginator.paginate(**params, PaginationConfig={"PageSize": self._page_size}):
            yield from page.get(key, [])


def _tag_filter(key: str, value: str) -> dict[str, Any]:
    return {"Name": f"tag:{key}", "Values": [value]}


def _dry_run_aware(call: Any, dry_run: bool, **params: Any) -> dict[str, Any] | None:
    if not dry_run:
        response: dict[str, Any] = call(**params)
        return response
    try:
        call(DryRun=True, **params)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "DryRunOperation":
            return None
        raise
    # EC2 always answers a DryRun with an error; success here means the call ignored DryRun.
    raise RuntimeError(f"{call.__name__} did not honour DryRun=True")
