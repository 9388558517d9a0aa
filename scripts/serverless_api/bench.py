"""Benchmark of the orders API's handler, offline (a benchmark, not a timed test).

    python -m scripts.serverless_api.bench                 # 7 imports, 200 rounds of 4 requests
    python -m scripts.serverless_api.bench --rounds 500 --imports 11

Reports
- the handler module's import time (the cold start's share that is ours), median of
  --imports fresh `python` processes, each importing `orders_api.handler` once with the
  environment Lambda gives it (LAMBDA_TASK_ROOT set: Tracer on and patching botocore, the
  X-Ray SDK in its Lambda mode). Target: under 300 ms. Interleaved with it, the import of
  the libraries alone (LIBRARIES_IMPORT): the floor that no change to our modules can lower;
- per-request time against the local API (`make api-local`, started here as a separate
  process on 127.0.0.1): each round creates an order, reads it, pays it and lists the
  user's orders over HTTP. Median and p99 of each kind and of all requests. Target: p99
  within 3x the median. It measures our code plus botocore, moto's in-memory DynamoDB and
  the HTTP round trip on this machine, not Lambda or DynamoDB latency: compare it between
  commits on one machine.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from scripts.stack_outputs import OneLineParser, ScriptError, run

REPO = Path(__file__).resolve().parents[2]
LAMBDA_SRC = REPO / "lambda_src"
IMPORT_TARGET_MS = 300
P99_TARGET_RATIO = 3.0
USERS = 10


def lambda_environment(task_root: str) -> dict[str, str]:
    """The environment Lambda starts the function with, as far as the import depends on it
    (LAMBDA_TASK_ROOT turns Tracer on; lambda_src is the asset root)."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(LAMBDA_SRC),
        "LAMBDA_TASK_ROOT": task_root,
        "AWS_LAMBDA_FUNCTION_NAME": "orders-api-bench",
        "AWS_REGION": "us-east-1",
        "TABLE_NAME": "BenchOrders",
    }


HANDLER_IMPORT = "import orders_api.handler"
# What the handler cannot do without, set up as api.py sets it up: botocore (the DynamoDB
# calls), Powertools' REST resolver, Logger, Metrics and Tracer patching botocore. The
# handler's import minus this is the share of our own modules.
LIBRARIES_IMPORT = (
    "import botocore.session; "
    "from aws_lambda_powertools import Logger, Metrics, Tracer; "
    "from aws_lambda_powertools.event_handler import APIGatewayRestResolver; "
    "Logger(service='bench'); Metrics(namespace='Bench', service='bench'); "
    "Tracer(service='bench', patch_modules=('botocore',)); APIGatewayRestResolver()"
)


def import_times(runs: int, statement: str = HANDLER_IMPORT) -> list[float]:
    """Seconds to run `statement` (an import) in a fresh interpreter set up as Lambda sets it up."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    with tempfile.TemporaryDirectory() as task_root:
        environment = lambda_environment(task_root)
        return [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(runs)
        ]


def interleaved_import_times(runs: int) -> tuple[list[float], list[float]]:
    """The handler's and the libraries' import times, alternating, so that both see the same load."""
    handler: list[float] = []
    libraries: list[float] = []
    for _ in range(runs):
        handler += import_times(1)
        libraries += import_times(1, LIBRARIES_IMPORT)
    return handler, libraries


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 200 samples is the 198th smallest)."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


class LocalApiProcess:
    """`python -m scripts.serverless_api.local_api --port 0 --quiet`, stopped on exit."""

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scripts.serverless_api.local_api", "--port", "0", "--quiet"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        first_line = self.process.stdout.readline()
        match = re.search(r"http://(127\.0\.0\.1:\d+)", first_line)
        if match is None:
            self.__exit__()
            raise ScriptError(f"the local API did not start: {first_line.strip() or 'no output'}")
        return match.group(1)

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def timed(
    connection_for: Callable[[], http.client.HTTPConnection], method: str, path: str, body: Any = None
) -> tuple[float, Any]:
    connection = connection_for()
    headers = {"Content-Type": "application/json"} if body is not None else {}
    data = json.dumps(body) if body is not None else None
    started = time.perf_counter()
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    raw = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status >= 300:
        raise ScriptError(f"{method} {path} answered {response.status}: {raw[:200]!r}")
    return elapsed, json.loads(raw) if raw else None


def request_times(rounds: int, warmup: int = 20) -> dict[str, list[float]]:
    """Seconds per request, by kind, for `rounds` rounds after `warmup` unmeasured ones."""
    samples: dict[str, list[float]] = {
        "POST /orders": [],
        "GET /orders/{id}": [],
        "PATCH /orders/{id}": [],
        "GET /orders": [],
    }
    with LocalApiProcess() as address:

        def connection() -> http.client.HTTPConnection:
            return http.client.HTTPConnection(address, timeout=30)

        for index in range(warmup + rounds):
            user = f"user-{index % USERS}"
            post, order = timed(connection, "POST", "/orders", {"user_id": user, "amount": 10 + index % 90})
            get, _ = timed(connection, "GET", f"/orders/{order['order_id']}")
            patch, _ = timed(connection, "PATCH", f"/orders/{order['order_id']}", {"status": "paid"})
            listing, _ = timed(connection, "GET", f"/orders?user_id={user}&limit=20")
            if index >= warmup:
                for kind, seconds in zip(samples, (post, get, patch, listing), strict=True):
                    samples[kind].append(seconds)
    return samples


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description="Benchmark the orders API handler: import time and per-request time.")
    parser.add_argument("--imports", type=int, default=7, help="fresh processes for the import time (default 7)")
    parser.add_argument(
        "--rounds", type=int, default=200, help="rounds of 4 requests against the local API (default 200)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.imports <= 50:
        parser.error("--imports must be between 1 and 50")
    if not 1 <= args.rounds <= 5000:
        parser.error("--rounds must be between 1 and 5000")

    imports, library_imports = interleaved_import_times(args.imports)
    samples = request_times(args.rounds)
    # Other work on the machine slows both measurements: the load average says how busy it was.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s), load average {load:.1f}")
    import_ms = statistics.median(imports) * 1000
    verdict = "within" if import_ms < IMPORT_TARGET_MS else "over"
    print(
        f"handler import time: median {import_ms:.0f} ms, {verdict} the {IMPORT_TARGET_MS} ms target "
        f"({args.imports} fresh processes: " + ", ".join(f"{t * 1000:.0f}" for t in imports) + " ms)"
    )
    libraries_ms = statistics.median(library_imports) * 1000
    print(
        f"  of which the libraries alone (botocore, Powertools resolver, Logger, Metrics, Tracer): "
        f"median {libraries_ms:.0f} ms, interleaved with the above"
    )
    everything = [seconds for kind in samples.values() for seconds in kind]
    print(f"per request against the local API ({args.rounds} rounds after 20 warm-up rounds):")
    for kind, seconds in samples.items():
        median = statistics.median(seconds) * 1000
        p99 = percentile(seconds, 0.99) * 1000
        ratio = p99 / median
        mark = "within" if ratio <= P99_TARGET_RATIO else "over"
        print(
            f"  {kind:20s} median {median:6.2f} ms  p99 {p99:6.2f} ms  "
            f"p99/median {ratio:4.2f} ({mark} the {P99_TARGET_RATIO:.0f}x target)"
        )
    # All kinds together: the p99 is the slowest kind's tail (a list reads 20 orders), so the
    # ratio mixes kinds rather than measuring a tail; the target applies per kind above.
    median = statistics.median(everything) * 1000
    print(f"  {'all requests':20s} median {median:6.2f} ms  p99 {percentile(everything, 0.99) * 1000:6.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
