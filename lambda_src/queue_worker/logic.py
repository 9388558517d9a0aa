"""Pure domain logic: turn one SQS message body into a validated weather `Reading`.

No AWS, no environment, no I/O: every rule here is testable with plain strings.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

# A reading is about 100 bytes; anything far larger is not a reading, and parsing it
# would only cost memory and time (and deep nesting could exhaust the recursion limit).
MAX_BODY_BYTES = 2048
# Beyond the recorded extremes on Earth (-128.6 F, 134.1 F): a value outside is a sensor or unit error.
MIN_TEMPERATURE_F = -130
MAX_TEMPERATURE_F = 140
FIELDS = ("zipcode", "temperature_f", "observed_at")
# [0-9], not \d: \d also matches non-ASCII digits such as Arabic-Indic ones.
_ZIPCODE = re.compile(r"[0-9]{5}")


class InvalidReadingError(ValueError):
    """A message body that is not a valid reading; the message says why (never echoes the body)."""


@dataclass(frozen=True)
class Reading:
    """One weather observation.

    `observed_at` is normalized to UTC and to whole seconds, so the same observation sent
    twice (at-least-once delivery), even with a different UTC offset, has the same key.
    """

    zipcode: str
    observed_at: datetime
    temperature_f: Decimal

    @property
    def observed_at_key(self) -> str:
        """Fixed-width UTC timestamp: sorts lexicographically in time order (the table's sort key)."""
        return self.observed_at.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def key(self) -> tuple[str, str]:
        return (self.zipcode, self.observed_at_key)


def parse_reading(body: str | None) -> Reading:
    """Parses and validates one message body; raises InvalidReadingError with the reason."""
    if body is None or not body.strip():
        raise InvalidReadingError("empty body")
    size = len(body.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BODY_BYTES:
        raise InvalidReadingError(f"body is {size} bytes, more than {MAX_BODY_BYTES}")
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise InvalidReadingError(f"body is not JSON ({type(error).__name__})") from None
    if not isinstance(data, dict):
        raise InvalidReadingError(f"body must be a JSON object, not {_json_type(data)}")
    missing = [name for name in FIELDS if name not in data]
    if missing:
        raise InvalidReadingError("missing field(s): " + ", ".join(missing))
    unexpected = sorted(set(data) - set(FIELDS))
    if unexpected:
        raise InvalidReadingError("unexpected field(s): " + ", ".join(unexpected[:5]))
    return Reading(
        zipcode=_zipcode(data["zipcode"]),
        observed_at=_observed_at(data["observed_at"]),
        temperature_f=_temperature(data["temperature_f"]),
    )


def _zipcode(value: Any) -> str:
    # A number would lose leading zeros (02134 -> 2134), so only a string is accepted.
    if not isinstance(value, str):
        raise InvalidReadingError(f"zipcode must be a string of 5 digits, not {_json_type(value)}")
    if not _ZIPCODE.fullmatch(value):
        raise InvalidReadingError("zipcode must be exactly 5 digits 0-9")
    return value


def _temperature(value: Any) -> Decimal:
    # bool is an int in Python: JSON true must not become 1 degree.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidReadingError(f"temperature_f must be a number, not {_json_type(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidReadingError("temperature_f must be finite")
    if not MIN_TEMPERATURE_F <= value <= MAX_TEMPERATURE_F:
        raise InvalidReadingError(f"temperature_f must be between {MIN_TEMPERATURE_F} and {MAX_TEMPERATURE_F}")
    # str() keeps the shortest decimal form of a float (62.1, not 62.10000000000000142...).
    return Decimal(str(value))


def _observed_at(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidReadingError(f"observed_at must be an ISO-8601 string, not {_json_type(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidReadingError("observed_at must be an ISO-8601 date and time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidReadingError("observed_at must include a time zone (Z or +HH:MM)")
    return moment.astimezone(UTC).replace(microsecond=0)


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity, which are not JSON.
    raise ValueError(f"{name} is not JSON")


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}
    if value is None:
        return "null"
    return names.get(type(value), "an object" if isinstance(value, dict) else type(value).__name__)
