"""Verify a deployed queue-worker lab: readings reach the table, a bad message reaches the DLQ.

Run by `make verify LAB=queue-worker` (scripts/sandbox/verify.py) with the QueueWorker
stack's outputs (QueueUrl, DeadLetterQueueUrl, TableName, FunctionLogGroup):
- the producer (scripts/send_readings.py) sends a few readings and one bad message;
- every reading lands in the table, with the temperature sent, within 2 minutes;
- the worker reports the bad message: a "rejected message" line with its message id
  in the function's log group (every page of FilterLogEvents, from the time of sending);
- after maxReceiveCount receives the bad message is in the dead-letter queue. That
  takes maxReceiveCount x the visibility timeout (about 9 minutes with the defaults);
  verify then deletes it there, so the DLQ alarm has nothing of verify's to report.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from scripts.queue_worker.send_readings import sample_readings, send_bodies
from scripts.sandbox.checks import CheckResult, Waiter, check
from scripts.sandbox.log_events import matching_events
from scripts.sandbox.waits import until

READINGS = 5
READINGS_TIMEOUT_S = 120
REPORT_TIMEOUT_S = 180
# Time for the last receive to run out and SQS to move the message, beyond the retries themselves.
DEAD_LETTER_MARGIN_S = 120
# The worker rejects temperatures outside -130..140 F (lambda_src/queue_worker/logic.py).
BAD_TEMPERATURE_F = 451
REJECTED = "rejected message"
# While verify looks through the DLQ, what it has read stays hidden this long (then reappears).
SCAN_VISIBILITY_S = 30


def run_checks(session: Any, outputs: dict[str, str], stage: str, wait: Waiter) -> list[CheckResult]:
    trial = Trial(session, outputs, wait)
    return [
        check(f"producer sends {READINGS} readings and 1 bad message", trial.send),
        check("readings land in the table", trial.readings_stored),
        check("worker reports the bad message in its log", trial.bad_message_reported),
        check("bad message ends in the dead-letter queue", trial.bad_message_dead_lettered),
    ]


@dataclass
class Trial:
    """One round trip through the deployed lab; each method is one check."""

    session: Any
    outputs: dict[str, str]
    wait: Waiter
    readings: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    bad_body: str = ""
    bad_message_id: str = ""
    sent_at: datetime | None = None

    def send(self) -> str:
        now = datetime.now(UTC)
        self.sent_at = now
        bodies = sample_readings(READINGS, random.Random(), now)
        sqs = self.session.client("sqs")
        queue_url = self._output("QueueUrl")
        sent = send_bodies(sqs, queue_url, bodies)
        for body in bodies:
            data = json.loads(body)
            key = (data["zipcode"], datetime.fromisoformat(data["observed_at"]).strftime("%Y-%m-%dT%H:%M:%SZ"))
            self.readings[key] = Decimal(str(data["temperature_f"]))
        # Unique to this run (the time to the microsecond), so it is found again in the DLQ.
        self.bad_body = json.dumps(
            {"zipcode": "90210", "temperature_f": BAD_TEMPERATURE_F, "observed_at": now.isoformat()}
        )
        self.bad_message_id = sqs.send_message(QueueUrl=queue_url, MessageBody=self.bad_body)["MessageId"]
        return f"{sent} readings and bad message {self.bad_message_id} sent to {queue_url}"

    def readings_stored(self) -> str:
        self._require_sent()
        dynamodb = self.session.client("dynamodb")
        table = self._output("TableName")
        missing: list[str] = []

        def all_stored() -> bool | None:
            missing.clear()
            for (zipcode, observed_at), temperature in self.readings.items():
                item = dynamodb.get_item(
                    TableName=table, Key={"Zipcode": {"S": zipcode}, "ObservedAt": {"S": observed_at}}
                ).get("Item")
                if item is None or Decimal(item["TemperatureF"]["N"]) != temperature:
                    missing.append(f"{zipcode} {observed_at}")
            return True if not missing else None

        until(
            self.wait,
            f"{len(self.readings)} readings in {table}",
            all_stored,
            timeout_s=READINGS_TIMEOUT_S,
            every_s=5,
            last=lambda: f"{len(missing)} not stored, e.g. {missing[0]}" if missing else "none checked",
        )
        return f"all {len(self.readings)} readings stored in {table} with the temperatures sent"

    def bad_message_reported(self) -> str:
        self._require_sent()
        logs = self.session.client("logs")
        group = self._output("FunctionLogGroup")

        since = self.sent_at or datetime.now(UTC)

        def reported() -> dict[str, Any] | None:
            events = matching_events(logs, group, f'"{self.bad_message_id}"', since)
            return next((event for event in events if REJECTED in event["message"]), None)

        event = until(
            self.wait,
            f'a "{REJECTED}" log line for {self.bad_message_id}',
            reported,
            timeout_s=REPORT_TIMEOUT_S,
            every_s=10,
            last=lambda: f"nothing in {group} yet",
        )
        return f"{group}: {_reason(event['message'])}"

    def bad_message_dead_lettered(self) -> str:
        self._require_sent()
        sqs = self.session.client("sqs")
        dlq_url = self._output("DeadLetterQueueUrl")
        attributes = sqs.get_queue_attributes(
            QueueUrl=self._output("QueueUrl"), AttributeNames=["VisibilityTimeout", "RedrivePolicy"]
        )["Attributes"]
        receives = int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"])
        timeout = receives * int(attributes["VisibilityTimeout"]) + DEAD_LETTER_MARGIN_S

        def dead_lettered() -> str | None:
            # Short polling: it may sample only some of SQS's servers, but the next poll, 15 s
            # later, samples again; the Waiter does the waiting, not the receive.
            messages = sqs.receive_message(
                QueueUrl=dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=SCAN_VISIBILITY_S, WaitTimeSeconds=0
            ).get("Messages", [])
            for message in messages:
                if message["Body"] == self.bad_body:
                    sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
                    return str(message["MessageId"])
            return None

        until(
            self.wait,
            f"the bad message in the dead-letter queue (after {receives} receives)",
            dead_lettered,
            timeout_s=timeout,
            every_s=15,
            last=lambda: "not in the dead-letter queue",
        )
        return f"in {dlq_url} after {receives} receives; verify deleted its own message there"

    def _require_sent(self) -> None:
        if not self.bad_message_id:
            raise AssertionError("nothing was sent (see the first check)")

    def _output(self, key: str) -> str:
        if key not in self.outputs:
            raise AssertionError(f"the stack has no output {key}: is it the queue-worker lab's stack?")
        return self.outputs[key]


def _reason(message: str) -> str:
    """The reason of a Powertools JSON log line, or the line itself."""
    try:
        line = json.loads(message)
    except ValueError:
        return message.strip()[:200]
    return f"{line.get('message', REJECTED)}: {line.get('reason', 'no reason given')}"
