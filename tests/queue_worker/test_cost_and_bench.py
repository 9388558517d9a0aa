"""The cost and benchmark scripts' arithmetic (not their timing)."""

from __future__ import annotations

import json

import pytest

from queue_worker import logic
from scripts import cost
from scripts.queue_worker import bench as bench_queue_worker
from stacks import cost_model
from stacks.queue_worker import cost as cost_queue_worker


def test_idle_month_is_the_key_the_alarms_and_empty_polls() -> None:
    lines = {line.item.split(" (")[0]: line.usd for line in cost_queue_worker.idle_month()}
    assert lines["KMS customer-managed key"] == pytest.approx(1.00)
    assert lines["CloudWatch alarms"] == pytest.approx(0.30)
    assert lines["SQS empty long polls"] == pytest.approx(648_000 / 1e6 * 0.40)


def test_per_million_messages_follows_the_batch_size() -> None:
    ten = {line.item: line.usd for line in cost_queue_worker.per_million_messages(10, 200, 256)}
    hundred = {line.item: line.usd for line in cost_queue_worker.per_million_messages(100, 200, 256)}
    assert ten["Lambda requests"] == pytest.approx(100_000 / 1e6 * 0.20)
    assert ten["Lambda duration (arm64)"] == pytest.approx(100_000 * 0.2 * 0.25 * 0.0000133334)
    assert ten["DynamoDB writes (on-demand)"] == pytest.approx(0.625)
    # Writes cost the same whatever the batch; invocations get ten times fewer.
    assert hundred["DynamoDB writes (on-demand)"] == ten["DynamoDB writes (on-demand)"]
    assert hundred["Lambda requests"] == pytest.approx(ten["Lambda requests"] / 10)


def test_cost_report_states_its_date_and_asks_for_a_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert cost.main(["--lab", "queue-worker", "--stage", "sandbox"]) == 0
    out = capsys.readouterr().out
    assert f"compiled {cost_model.PRICES_REVIEWED}" in out
    assert "check them" in out


def test_benchmark_batches_are_valid_readings_with_distinct_keys() -> None:
    batches = bench_queue_worker.make_batches(250, 10)
    assert [len(batch["Records"]) for batch in batches] == [10] * 25
    readings = [logic.parse_reading(r["body"]) for batch in batches for r in batch["Records"]]
    assert len({reading.key for reading in readings}) == 250
    assert json.loads(batches[0]["Records"][0]["body"])["zipcode"] == "10000"
