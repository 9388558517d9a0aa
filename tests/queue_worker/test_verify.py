"""scripts/queue_worker/verify.py against moto, with the real handler standing in for Lambda.

`LambdaStandIn.tick` does what the event source mapping and Lambda do between two of
verify's polls: receive a batch, run `queue_worker.handler.process_records`, delete what
it did not report, and ship the handler's own log lines to the function's log group.
Receives use a visibility timeout of 0, as if the real one (181 s) had passed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import ANY, Stubber
from moto import mock_aws

from queue_worker import handler
from scripts.queue_worker import verify
from scripts.queue_worker.readings_table import create_readings_table
from tests.sandbox.fakes import FakeTime, moto_session

REGION = "eu-west-1"
MAX_RECEIVE_COUNT = 3
VISIBILITY_TIMEOUT = 181
SENT = f"producer sends {verify.READINGS} readings and 1 bad message"
STORED = "readings land in the table"
REPORTED = "worker reports the bad message in its log"
DEAD_LETTERED = "bad message ends in the dead-letter queue"


class LogShipper(logging.Handler):
    """Collects the handler's log lines, formatted by Powertools as in Lambda."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(handler.logger.registered_formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class LambdaStandIn:
    def __init__(self, session: Any, outputs: dict[str, str]) -> None:
        self.session = session
        self.outputs = outputs
        self.invocations = 0
        self.shipper = LogShipper()

    def tick(self) -> None:
        sqs = self.session.client("sqs")
        messages = sqs.receive_message(
            QueueUrl=self.outputs["QueueUrl"], MaxNumberOfMessages=10, VisibilityTimeout=0, AttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            return
        self.invocations += 1
        records = [
            {"messageId": m["MessageId"], "body": m["Body"], "attributes": m.get("Attributes", {})} for m in messages
        ]
        # The standard logger under Powertools' Logger: where its records go, as in Lambda.
        function_logger = logging.getLogger(handler.logger.name)
        function_logger.addHandler(self.shipper)
        try:
            response = handler.process_records(
                records, table_name=self.outputs["TableName"], client=self.session.client("dynamodb")
            )
        finally:
            function_logger.removeHandler(self.shipper)
        failed = {item["itemIdentifier"] for item in response["batchItemFailures"]}
        for message in messages:
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=self.outputs["QueueUrl"], ReceiptHandle=message["ReceiptHandle"])
        self._ship()

    def _ship(self) -> None:
        logs = self.session.client("logs")
        group = self.outputs["FunctionLogGroup"]
        stream = f"invocation-{self.invocations}"
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        now = int(time.time() * 1000)
        events = [{"timestamp": now, "message": line} for line in self.shipper.lines]
        self.shipper.lines.clear()
        if events:
            logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events)


@pytest.fixture
def session(fake_aws_credentials: None) -> Iterator[Any]:
    with mock_aws():
        yield moto_session(REGION)


@pytest.fixture
def outputs(session: Any) -> dict[str, str]:
    """What the QueueWorker stack creates and outputs."""
    sqs = session.client("sqs")
    dlq_url = sqs.create_queue(QueueName="QueueWorker-DeadLetterQueue")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(
        QueueName="QueueWorker-Queue",
        Attributes={
            "VisibilityTimeout": str(VISIBILITY_TIMEOUT),
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT}),
        },
    )["QueueUrl"]
    table = create_readings_table(session.client("dynamodb"), "QueueWorker-ReadingsTable")
    session.client("logs").create_log_group(logGroupName="QueueWorker-WorkerLogs")
    return {
        "QueueUrl": queue_url,
        "DeadLetterQueueUrl": dlq_url,
        "TableName": table,
        "FunctionLogGroup": "QueueWorker-WorkerLogs",
    }


def run(session: Any, outputs: dict[str, str], time: FakeTime) -> dict[str, Any]:
    results = verify.run_checks(session, outputs, "sandbox", time.waiter())
    return {result.name: result for result in results}


def test_a_working_lab_stores_the_readings_and_dead_letters_the_bad_message(
    session: Any, outputs: dict[str, str]
) -> None:
    # Given a worker that runs whenever verify waits
    worker = LambdaStandIn(session, outputs)
    time = FakeTime(on_sleep=worker.tick)
    # When verify runs
    results = run(session, outputs, time)
    # Then every check passes
    assert list(results) == [SENT, STORED, REPORTED, DEAD_LETTERED]
    assert all(result.passed for result in results.values()), results
    assert results[STORED].detail == "all 5 readings stored in QueueWorker-ReadingsTable with the temperatures sent"
    assert results[REPORTED].detail.startswith("QueueWorker-WorkerLogs: rejected message: ")
    assert "temperature" in results[REPORTED].detail, "the worker's reason is shown"
    assert results[DEAD_LETTERED].detail.endswith("after 3 receives; verify deleted its own message there")
    # And the table holds the readings, while verify's bad message is gone from the DLQ
    assert session.client("dynamodb").scan(TableName=outputs["TableName"])["Count"] == 5
    dlq = session.client("sqs").get_queue_attributes(
        QueueUrl=outputs["DeadLetterQueueUrl"], AttributeNames=["ApproximateNumberOfMessages"]
    )
    assert dlq["Attributes"]["ApproximateNumberOfMessages"] == "0"
    # And the wait for the DLQ said what it waited for and how long it may take
    assert "waiting for the bad message in the dead-letter queue (after 3 receives): 0 s of at most 663 s" in (
        time.out.getvalue()
    )


def test_without_a_worker_every_wait_times_out_with_what_was_missing(session: Any, outputs: dict[str, str]) -> None:
    time = FakeTime()  # nothing consumes the queue
    results = run(session, outputs, time)
    assert results[SENT].passed
    assert results[STORED].detail.startswith(
        "WaitTimeout: 5 readings in QueueWorker-ReadingsTable: not done after 120 s (last: 5 not stored, e.g. "
    )
    assert results[REPORTED].detail == (
        f'WaitTimeout: a "rejected message" log line for {_sent_id(results)}: not done after 180 s '
        "(last: nothing in QueueWorker-WorkerLogs yet)"
    )
    assert results[DEAD_LETTERED].detail.startswith("WaitTimeout: the bad message in the dead-letter queue")
    assert "not done after 663 s" in results[DEAD_LETTERED].detail
    assert time.now >= 120 + 180 + 663


def test_a_stack_without_a_queue_fails_the_send_and_says_nothing_was_sent(
    session: Any, outputs: dict[str, str]
) -> None:
    outputs.pop("QueueUrl")
    results = run(session, outputs, FakeTime())
    assert (
        results[SENT].detail == "AssertionError: the stack has no output QueueUrl: is it the queue-worker lab's stack?"
    )
    for name in (STORED, REPORTED, DEAD_LETTERED):
        assert results[name].detail == "AssertionError: nothing was sent (see the first check)"


def _sent_id(results: dict[str, Any]) -> str:
    return str(results[SENT].detail.split("bad message ")[1].split(" sent")[0])


def test_the_report_is_found_on_a_later_page_after_empty_ones(session: Any) -> None:
    # Real CloudWatch Logs may answer FilterLogEvents with partly full or empty pages that carry a
    # nextToken; only a page without nextToken ends the search. moto never does, so a Stubber does:
    # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
    logs = session.client("logs")
    trial = verify.Trial(
        StubbedLogs(session, logs), {"FunctionLogGroup": "QueueWorker-WorkerLogs"}, FakeTime().waiter()
    )
    trial.bad_message_id = "b1d0c0de-0000-4000-8000-000000000001"
    trial.sent_at = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    line = json.dumps({"message": verify.REJECTED, "reason": "temperature_f 451 is out of range"})
    # The search is bounded: it starts a minute (clock skew) before the message was sent.
    expected = {
        "logGroupName": "QueueWorker-WorkerLogs",
        "filterPattern": f'"{trial.bad_message_id}"',
        "startTime": int(trial.sent_at.timestamp() * 1000) - 60_000,
    }
    with Stubber(logs) as stub:
        stub.add_response("filter_log_events", {"events": [], "nextToken": "page-2"}, expected)
        stub.add_response("filter_log_events", {"events": [], "nextToken": "page-3"}, {**expected, "nextToken": ANY})
        stub.add_response(
            "filter_log_events",
            {"events": [{"message": line, "timestamp": 1, "logStreamName": "s", "eventId": "1"}]},
            {**expected, "nextToken": "page-3"},
        )
        detail = trial.bad_message_reported()
        stub.assert_no_pending_responses()
    assert detail == "QueueWorker-WorkerLogs: rejected message: temperature_f 451 is out of range"


class StubbedLogs:
    """A session whose logs client is the one given (with its Stubber)."""

    def __init__(self, session: Any, logs: Any) -> None:
        self._session, self._logs = session, logs

    def client(self, name: str) -> Any:
        return self._logs if name == "logs" else self._session.client(name)
