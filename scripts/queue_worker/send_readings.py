"""Send sample weather readings (and optionally some bad messages) to the queue-worker lab's queue.

    python -m scripts.queue_worker.send_readings --count 20 --bad 2

The queue URL comes from the QueueWorker stack's outputs (CloudFormation), so
nothing needs copying. Good readings are stored by the worker; bad ones are retried
and, after maxReceiveCount receives, land in the dead-letter queue.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from scripts.aws_session import aws_session
from scripts.stack_outputs import OneLineParser, ScriptError, require_output, run, stack_outputs

# Zipcodes and typical temperatures, the guide's 90210 first.
STATIONS = {"90210": 68, "10001": 55, "60601": 50, "98101": 52, "33101": 78, "02134": 49}
# Each breaks one rule of the worker's contract (see lambda_src/queue_worker/logic.py).
BAD_BODIES = (
    "this is not JSON",
    '["90210", 62, "2024-05-01T12:00:00Z"]',
    '{"zipcode": "90210", "temperature_f": 62}',
    '{"zipcode": 90210, "temperature_f": 62, "observed_at": "2024-05-01T12:00:00Z"}',
    '{"zipcode": "90210", "temperature_f": true, "observed_at": "2024-05-01T12:00:00Z"}',
    '{"zipcode": "90210", "temperature_f": 451, "observed_at": "2024-05-01T12:00:00Z"}',
    '{"zipcode": "90210", "temperature_f": 62, "observed_at": "2024-05-01T12:00:00"}',
)
MAX_COUNT = 1000
SQS_BATCH = 10


def sample_readings(count: int, rng: random.Random, now: datetime) -> list[str]:
    """`count` valid reading bodies, one per minute going back from `now`, so their keys differ."""
    zipcodes = list(STATIONS)
    bodies = []
    for i in range(count):
        zipcode = zipcodes[i % len(zipcodes)]
        temperature = round(STATIONS[zipcode] + rng.uniform(-8, 8), 1)
        observed_at = (now - timedelta(minutes=i)).replace(second=0, microsecond=0)
        bodies.append(
            json.dumps({"zipcode": zipcode, "temperature_f": temperature, "observed_at": observed_at.isoformat()})
        )
    return bodies


def bad_bodies(count: int) -> list[str]:
    return [BAD_BODIES[i % len(BAD_BODIES)] for i in range(count)]


def send_bodies(sqs: Any, queue_url: str, bodies: Sequence[str]) -> int:
    """Sends in batches of 10 (SendMessageBatch's limit); returns how many SQS accepted."""
    sent = 0
    for start in range(0, len(bodies), SQS_BATCH):
        chunk = bodies[start : start + SQS_BATCH]
        response = sqs.send_message_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": str(i), "MessageBody": body} for i, body in enumerate(chunk)],
        )
        failed = response.get("Failed", [])
        if failed:
            raise ScriptError(f"SQS refused {len(failed)} message(s): {failed[0].get('Message', failed[0])}")
        sent += len(response.get("Successful", []))
    return sent


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=10, help=f"valid readings to send (1-{MAX_COUNT}, default 10)")
    parser.add_argument("--bad", type=int, default=0, help="bad messages to send as well (default 0)")
    parser.add_argument("--stack-name", default="QueueWorker", help="the lab's stack (default QueueWorker)")
    parser.add_argument("--region", help="AWS region of the stack (default: your AWS CLI configuration)")
    parser.add_argument("--seed", type=int, help="make the sample temperatures repeatable")
    args = parser.parse_args(argv)
    if not 1 <= args.count <= MAX_COUNT:
        parser.error(f"--count must be between 1 and {MAX_COUNT}, not {args.count}")
    if not 0 <= args.bad <= args.count:
        parser.error(f"--bad must be between 0 and --count ({args.count}), not {args.bad}")
    return args


def main(argv: Sequence[str] | None = None, session: Any = None) -> int:
    args = parse_args(argv)
    session = session or aws_session(args.region)
    queue_url = require_output(stack_outputs(session, args.stack_name), "QueueUrl", args.stack_name)
    bodies = sample_readings(args.count, random.Random(args.seed), datetime.now(UTC)) + bad_bodies(args.bad)
    random.Random(args.seed).shuffle(bodies)
    sent = send_bodies(session.client("sqs"), queue_url, bodies)
    print(f"sent {sent} message(s) ({args.count} readings, {args.bad} bad) to {queue_url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
