"""Sample CloudTrail records for each metric filter: records it must count and records it must not.

The records (cloudtrail_samples.json) have the shape CloudTrail delivers to CloudWatch
Logs, one record per log event, with documentation addresses (RFC 5737) and example
account and key ids. The tests evaluate them offline with filter_pattern.py; the
verify step sends the same records to CloudWatch's TestMetricFilter in the account.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SAMPLES_FILE = Path(__file__).with_name("cloudtrail_samples.json")


@dataclass(frozen=True)
class Sample:
    why: str
    record: dict[str, Any]

    @property
    def message(self) -> str:
        """The record as the log event CloudWatch Logs receives: one line of JSON."""
        return json.dumps(self.record, separators=(",", ":"))


@dataclass(frozen=True)
class FilterSamples:
    matches: tuple[Sample, ...]
    does_not_match: tuple[Sample, ...]


@cache
def samples_for(key: str) -> FilterSamples:
    """The samples of the metric filter `key` (e.g. "RootAccountUsage")."""
    data = _load()
    if key not in data:
        raise LookupError(f"no samples for metric filter {key!r}: {SAMPLES_FILE.name} has {', '.join(data)}")
    entry = data[key]
    return FilterSamples(
        matches=tuple(Sample(s["why"], s["record"]) for s in entry["matches"]),
        does_not_match=tuple(Sample(s["why"], s["record"]) for s in entry["does_not_match"]),
    )


@cache
def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLES_FILE.read_text(encoding="utf-8"))
    return data
