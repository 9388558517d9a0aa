"""Benchmark of the queue worker's handler, offline (a benchmark, not a timed test).

    python -m scripts.queue_worker.bench                 # 2,000 records, batches of 10, 5 runs
    python -m scripts.queue_worker.bench --records 5000 --batch-size 100 --runs 7

Reports
- records per second through `lambda_handler` (parse, validate, BatchWriteItem) against
  moto's in-process DynamoDB, median of --runs runs: it measures the handler's own
  overhead plus botocore and moto, not DynamoDB's latency, so compare it between
  commits on one machine, not with production;
- the handler module's import time (a cold start's share that is ours), median of
  --runs fresh `python` processes, each importing `queue_worker.handler` once.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scripts.queue_worker.readings_table import create_readings_table
from scripts.stack_outputs import OneLineParser

REPO = Path(__file__).resolve().parents[2]
LAMBDA_SRC = REPO / "lambda_src"
TABLE = "BenchReadings"


class _Context:
    function_name = "bench"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"


def make_batches(records: int, batch_size: int) -> list[dict[str, Any]]:
    bodies = [
        json.dumps(
            {
                "zipcode": f"{10000 + i % 500:05d}",
                "temperature_f": 40 + i % 50,
                "observed_at": f"2024-05-01T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z",
            }
        )
        for i in range(records)
    ]
    return [
        {
            "Records": [
                {"messageId": f"m{start + j}", "body": body}
                for j, body in enumerate(bodies[start : start + batch_size])
            ]
        }
        for start in range(0, records, batch_size)
    ]


def throughput_runs(records: int, batch_size: int, runs: int) -> list[float]:
    """Records per second for each run, each against a fresh moto table."""
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1", TABLE_NAME=TABLE
    )
    # Keep the per-batch INFO line out of the measurement's output (it still runs through the logger).
    os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(LAMBDA_SRC))
    import boto3
    from moto import mock_aws

    from queue_worker import handler, store

    batches = make_batches(records, batch_size)
    rates = []
    for _ in range(runs):
        store.default_client.cache_clear()
        with mock_aws():
            create_readings_table(boto3.client("dynamodb"), TABLE)
            store.default_client()  # client creation is a cold-start cost, not a per-record one
            start = time.perf_counter()
            for event in batches:
                response = handler.lambda_handler(event, _Context())  # type: ignore[arg-type]
                assert response == {"batchItemFailures": []}, response
            rates.append(records / (time.perf_counter() - start))
    return rates


def import_times(runs: int) -> list[float]:
    """Seconds to import queue_worker.handler in a fresh interpreter, per run."""
    code = "import time; t = time.perf_counter(); import queue_worker.handler; print(time.perf_counter() - t)"
    env = {"PYTHONPATH": str(LAMBDA_SRC), "PATH": os.environ.get("PATH", "")}
    return [
        float(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description="Benchmark the queue worker's handler against moto.")
    parser.add_argument("--records", type=int, default=2000, help="records per run (default 2000)")
    parser.add_argument("--batch-size", type=int, default=10, help="records per invocation (default 10, as cdk.json)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    args = parser.parse_args(argv)
    if not 1 <= args.records <= 100_000:
        parser.error("--records must be between 1 and 100000")
    if not 1 <= args.batch_size <= 100:
        parser.error("--batch-size must be between 1 and 100")
    if not 1 <= args.runs <= 50:
        parser.error("--runs must be between 1 and 50")

    imports = import_times(args.runs)
    rates = throughput_runs(args.records, args.batch_size, args.runs)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)")
    print(
        f"handler throughput against moto: median {statistics.median(rates):,.0f} records/s "
        f"({args.records} records in batches of {args.batch_size}, {args.runs} runs: "
        + ", ".join(f"{rate:,.0f}" for rate in rates)
        + ")"
    )
    print(
        f"handler import time: median {statistics.median(imports) * 1000:.0f} ms "
        f"({args.runs} fresh processes: " + ", ".join(f"{t * 1000:.0f}" for t in imports) + " ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
