"""logic.parse_reading at its exact limits and with its exact words: what `make mutate` found untested.

test_logic.py checks that each bad body is refused for the right reason (a part of the message);
here the whole message is pinned, since it is what the function logs for an operator, and each
limit is tried at, just under and just over its value.
"""

from __future__ import annotations

import json
import time
from datetime import UTC

import pytest

from queue_worker import logic

VALID = {"zipcode": "90210", "temperature_f": 62, "observed_at": "2024-05-01T12:00:00Z"}


def padded_to(size: int) -> str:
    """A valid reading of exactly `size` bytes of UTF-8 (JSON allows whitespace between tokens)."""
    text = json.dumps(VALID)
    return text[:-1] + " " * (size - len(text.encode())) + "}"


@pytest.mark.parametrize("size", [logic.MAX_BODY_BYTES - 1, logic.MAX_BODY_BYTES])
def test_a_body_up_to_exactly_2048_bytes_is_a_reading(size: int) -> None:
    body = padded_to(size)
    assert len(body.encode()) == size
    assert logic.parse_reading(body).zipcode == "90210"


def test_a_body_of_2049_bytes_is_refused_with_its_size() -> None:
    with pytest.raises(logic.InvalidReadingError) as refused:
        logic.parse_reading(padded_to(logic.MAX_BODY_BYTES + 1))
    assert str(refused.value) == "body is 2049 bytes, more than 2048"


def test_the_limit_counts_bytes_not_characters() -> None:
    # 700 three-byte characters: 700 characters, 2100 bytes.
    with pytest.raises(logic.InvalidReadingError) as refused:
        logic.parse_reading(json.dumps({**VALID, "note": "\u20ac" * 700}, ensure_ascii=False))
    assert str(refused.value).startswith("body is 21")


def test_at_most_five_unexpected_fields_are_named_in_order() -> None:
    extra = {name: 1 for name in ("g", "f", "e", "d", "c", "b", "a")}
    with pytest.raises(logic.InvalidReadingError) as refused:
        logic.parse_reading(json.dumps({**VALID, **extra}))
    assert str(refused.value) == "unexpected field(s): a, b, c, d, e"


def raw_reading(**fields: str) -> str:
    """A reading with some fields given as raw JSON text (for values json.dumps cannot write)."""
    values = {name: json.dumps(value) for name, value in VALID.items()} | fields
    return "{" + ", ".join(f'"{name}": {value}' for name, value in values.items()) + "}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "empty body"),
        ("zipcode=90210", "body is not JSON (JSONDecodeError)"),
        ("[" * 2000, "body is not JSON (RecursionError)"),
        (raw_reading(temperature_f="NaN"), "body is not JSON (ValueError)"),
        ("[]", "body must be a JSON object, not an array"),
        ('{"zipcode": "90210"}', "missing field(s): temperature_f, observed_at"),
        (raw_reading(zipcode='"9021"'), "zipcode must be exactly 5 digits 0-9"),
        (raw_reading(zipcode="1.5"), "zipcode must be a string of 5 digits, not a number"),
        (raw_reading(zipcode="{}"), "zipcode must be a string of 5 digits, not an object"),
        # 1e400 is valid JSON; Python reads it as an infinite float.
        (raw_reading(temperature_f="1e400"), "temperature_f must be finite"),
        (raw_reading(temperature_f="141"), "temperature_f must be between -130 and 140"),
        (raw_reading(observed_at='"yesterday"'), "observed_at must be an ISO-8601 date and time"),
        (raw_reading(observed_at='"2024-05-01T12:00:00"'), "observed_at must include a time zone (Z or +HH:MM)"),
        (raw_reading(observed_at="false"), "observed_at must be an ISO-8601 string, not a boolean"),
    ],
)
def test_each_refusal_has_its_exact_message(body: str, message: str) -> None:
    with pytest.raises(logic.InvalidReadingError) as refused:
        logic.parse_reading(body)
    assert str(refused.value) == message


@pytest.mark.usefixtures("local_time_zone")
def test_the_time_is_utc_whatever_the_machine_s_time_zone() -> None:
    assert time.timezone == 5 * 3600
    reading = logic.parse_reading(raw_reading(observed_at='"2024-05-01T14:00:00+02:00"'))
    assert reading.observed_at.utcoffset() is not None
    assert reading.observed_at.tzinfo == UTC
    assert reading.observed_at_key == "2024-05-01T12:00:00Z"
