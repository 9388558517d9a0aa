"""Offline fixtures for the ops chores: moto EC2/SNS/SQS, and EC2 answers cut into pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ec2.models import ec2_backends

from ops_chores.aws import Gateway
from tests.harness import fake_lambda_context

REGION = "us-east-1"
ZONE = f"{REGION}a"
# Small pages, so a handful of volumes already spans several: the smallest MaxResults EC2 accepts is 5.
PAGE_SIZE = 5


class Ec2Pager:
    """Cuts moto's DescribeVolumes/DescribeSnapshots answers into pages, as EC2 does.

    moto 5.2.5 ignores MaxResults for these two operations and returns every match at
    once, so a loop that never follows NextToken would pass against plain moto. This hook
    takes MaxResults/NextToken off the request before moto sees it and cuts moto's full
    (filtered) answer into a page of MaxResults items plus a NextToken, the way EC2 does.
    `pages` counts the pages served per operation, so tests can assert that paging happened.
    """

    KEYS: ClassVar[dict[str, str]] = {"DescribeVolumes": "Volumes", "DescribeSnapshots": "Snapshots"}

    def __init__(self, client: Any) -> None:
        self.pages: Counter[str] = Counter()
        for operation in self.KEYS:
            client.meta.events.register(f"before-parameter-build.ec2.{operation}", self._take_paging)
            client.meta.events.register(f"after-call.ec2.{operation}", self._cut_page)

    def _take_paging(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if "MaxResults" in params:
            context["page"] = (int(params.pop("MaxResults")), int(params.pop("NextToken", "0")))

    def _cut_page(self, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        if "page" not in context:
            return
        size, start = context["page"]
        key = self.KEYS[model.name]
        everything = parsed.get(key, [])
        parsed[key] = everything[start : start + size]
        parsed.pop("NextToken", None)
        if start + size < len(everything):
            parsed["NextToken"] = str(start + size)
        self.pages[model.name] += 1


@pytest.fixture
def context() -> LambdaContext:
    return fake_lambda_context("OpsAutomation-Snapshot", account=DEFAULT_ACCOUNT_ID, remaining_ms=60_000)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None) -> Iterator[None]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    # moto's hundreds of built-in AMIs each bring a snapshot that every DescribeSnapshots
    # then serializes and filters: seconds per call on a loaded machine. The tests need none.
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    with mock_aws():
        yield


@pytest.fixture
def ec2(aws: None) -> Any:
    return boto3.client("ec2", region_name=REGION)


@pytest.fixture
def pager(ec2: Any) -> Ec2Pager:
    """Pages the `ec2` client's answers like EC2 (see Ec2Pager)."""
    return Ec2Pager(ec2)


@pytest.fixture
def gateway(ec2: Any, pager: Ec2Pager) -> Gateway:
    return Gateway(ec2=ec2, sns=boto3.client("sns", region_name=REGION), page_size=PAGE_SIZE)


def make_volumes(ec2: Any, count: int, tags: dict[str, str] | None = None) -> list[str]:
    spec = [{"ResourceType": "volume", "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()]}]
    return [
        ec2.create_volume(AvailabilityZone=ZONE, Size=1, **({"TagSpecifications": spec} if tags else {}))["VolumeId"]
        for _ in range(count)
    ]


def make_snapshots(ec2: Any, volume_id: str, count: int, tags: dict[str, str], age_days: float = 0) -> list[str]:
    """`count` snapshots of `volume_id` with `tags`, started `age_days` ago (set in moto's model:
    the API has no way to create an old snapshot)."""
    spec = [{"ResourceType": "snapshot", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]
    ids = [ec2.create_snapshot(VolumeId=volume_id, TagSpecifications=spec)["SnapshotId"] for _ in range(count)]
    backend = ec2_backends[DEFAULT_ACCOUNT_ID][REGION]
    for snapshot_id in ids:
        started = backend.snapshots[snapshot_id].start_time
        backend.snapshots[snapshot_id].start_time = started - timedelta(days=age_days)
    return ids


def all_snapshots(ec2: Any) -> dict[str, dict[str, str]]:
    """Every snapshot this account owns that carries tags: id -> tags (moto's built-in AMI snapshots have none)."""
    client = boto3.client("ec2", region_name=REGION)  # unpaged: the tests' own view
    snapshots = client.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    return {s["SnapshotId"]: {t["Key"]: t["Value"] for t in s.get("Tags", [])} for s in snapshots if s.get("Tags")}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
