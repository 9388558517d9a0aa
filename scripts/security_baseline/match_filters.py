"""Which of the lab's four CIS metric filters count these CloudTrail records, evaluated offline.

    python -m scripts.security_baseline.match_filters record.json
    aws s3 cp s3://BUCKET/AWSLogs/ACCOUNT/CloudTrail/REGION/2024/05/01/FILE.json.gz - | gunzip \\
        | python -m scripts.security_baseline.match_filters -

The input is one CloudTrail record, a CloudTrail log file ({"Records": [...]}), or one
record per line. Each record is printed with the filters that count it; the patterns
come from stacks/security_baseline/filters.py, the evaluator from filter_pattern.py.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scripts.security_baseline.filter_pattern import compile_pattern
from scripts.stack_outputs import OneLineParser, ScriptError, run
from stacks.security_baseline.filters import FILTERS

MAX_BYTES = 50_000_000


def records_in(text: str) -> list[dict[str, Any]]:
    """The CloudTrail records of a record, a log file or JSON lines; ScriptError for anything else."""
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError:
            raise ScriptError(
                "the input is not JSON: give a record, a CloudTrail log file or one record per line"
            ) from None
    if isinstance(data, dict) and isinstance(data.get("Records"), list):
        data = data["Records"]
    records = data if isinstance(data, list) else [data]
    if not records or not all(isinstance(record, dict) for record in records):
        raise ScriptError("expected CloudTrail records (JSON objects), found something else")
    return records


def matches(record: dict[str, Any]) -> list[str]:
    return [f.key for f in FILTERS if compile_pattern(f.pattern).matches(record)]


def describe(record: dict[str, Any]) -> str:
    who = record.get("userIdentity", {}).get("type", "?") if isinstance(record.get("userIdentity"), dict) else "?"
    found = matches(record)
    error = f" {record['errorCode']}" if record.get("errorCode") else ""
    return f"{record.get('eventTime', '?')} {record.get('eventName', '?')} by {who}{error}: {', '.join(found) or '-'}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("file", help="a JSON file, or - for standard input")
    args = parser.parse_args(argv)
    if args.file == "-":
        text = sys.stdin.read(MAX_BYTES + 1)
    else:
        path = Path(args.file)
        if not path.is_file():
            raise ScriptError(f"no such file: {args.file}")
        text = path.read_text(encoding="utf-8", errors="replace")
    if len(text) > MAX_BYTES:
        raise ScriptError(f"the input is larger than {MAX_BYTES // 1_000_000} MB: split it")
    for record in records_in(text):
        print(describe(record))
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
