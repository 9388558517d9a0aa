"""logic.parse_reading: pure validation, no AWS."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from queue_worker import logic


def body(**overrides: Any) -> str:
    reading: dict[str, Any] = {"zipcode": "90210", "temperature_f": 62, "observed_at": "2024-05-01T12:00:00Z"}
    reading.update(overrides)
    return json.dumps(reading)


def test_a_valid_reading_is_parsed_into_the_guide_s_shape() -> None:
    # Given the guide's example reading / When it is parsed
    reading = logic.parse_reading(body(temperature_f=62.1))
    # Then the zipcode stays a string and the temperature is an exact decimal
    assert reading == logic.Reading(
        zipcode="90210", observed_at=datetime(2024, 5, 1, 12, tzinfo=UTC), temperature_f=Decimal("62.1")
    )
    assert reading.key == ("90210", "2024-05-01T12:00:00Z")


def test_the_same_instant_in_another_time_zone_has_the_same_key() -> None:
    # Given one observation sent with two UTC offsets (and sub-second noise)
    utc = logic.parse_reading(body(observed_at="2024-05-01T12:00:00Z"))
    berlin = logic.parse_reading(body(observed_at="2024-05-01T14:00:00.250+02:00"))
    # Then both are the same reading with the same item key, so a redelivery overwrites the item
    assert utc == berlin
    assert utc.key == berlin.key


def test_the_sort_key_orders_readings_in_time() -> None:
    keys = [
        logic.parse_reading(body(observed_at=moment)).observed_at_key
        for moment in ("2024-05-01T09:59:59+00:00", "2024-05-01T10:00:00.900Z", "2024-05-01T12:00:01+02:00")
    ]
    assert keys == sorted(keys) == ["2024-05-01T09:59:59Z", "2024-05-01T10:00:00Z", "2024-05-01T10:00:01Z"]


@pytest.mark.parametrize("temperature", [-130, 140, 0, -0.5, 99.99])
def test_temperatures_within_the_plausible_range_are_accepted(temperature: float) -> None:
    assert logic.parse_reading(body(temperature_f=temperature)).temperature_f == Decimal(str(temperature))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, "empty body"),
        ("", "empty body"),
        ("   \n", "empty body"),
        ("x" * (logic.MAX_BODY_BYTES + 1), "more than 2048"),
        ("{" + '"a": 1, ' * 300 + '"b": 2}', "more than 2048"),
        ("zipcode=90210", "not JSON"),
        ('{"zipcode": "90210",', "not JSON"),
        ("[" * 2000, "not JSON"),  # nesting deep enough to hit the recursion limit
        ('{"zipcode": "90210", "temperature_f": NaN, "observed_at": "2024-05-01T12:00:00Z"}', "not JSON"),
        ('{"zipcode": "90210", "temperature_f": Infinity, "observed_at": "2024-05-01T12:00:00Z"}', "not JSON"),
        ('["90210", 62]', "must be a JSON object, not an array"),
        ('"90210"', "must be a JSON object, not a string"),
        ("62", "must be a JSON object, not a number"),
        ("null", "must be a JSON object, not null"),
        (json.dumps({"zipcode": "90210"}), "missing field(s): temperature_f, observed_at"),
        (body(humidity=40), "unexpected field(s): humidity"),
        (body(zipcode=90210), "zipcode must be a string of 5 digits, not a number"),
        (body(zipcode="9021"), "exactly 5 digits"),
        (body(zipcode="902100"), "exactly 5 digits"),
        (body(zipcode="9021a"), "exactly 5 digits"),
        (body(zipcode="\u0669\u0660\u0662\u0661\u0660"), "exactly 5 digits"),  # Arabic-Indic digits
        (body(zipcode=" 90210"), "exactly 5 digits"),
        (body(temperature_f=True), "temperature_f must be a number, not a boolean"),
        (body(temperature_f="62"), "temperature_f must be a number, not a string"),
        (body(temperature_f=None), "temperature_f must be a number, not null"),
        (body(temperature_f=[62]), "temperature_f must be a number, not an array"),
        (body(temperature_f=451), "between -130 and 140"),
        (body(temperature_f=-130.1), "between -130 and 140"),
        (body(temperature_f=10**400), "between -130 and 140"),
        (body(observed_at=1714564800), "observed_at must be an ISO-8601 string, not a number"),
        (body(observed_at="yesterday"), "ISO-8601 date and time"),
        (body(observed_at="2024-02-30T12:00:00Z"), "ISO-8601 date and time"),
        (body(observed_at="2024-05-01T12:00:00"), "must include a time zone"),
        (body(observed_at="2024-05-01"), "must include a time zone"),
    ],
)
def test_a_bad_body_is_rejected_with_its_reason(raw: str | None, reason: str) -> None:
    with pytest.raises(logic.InvalidReadingError) as caught:
        logic.parse_reading(raw)
    assert reason in str(caught.value)


def test_the_reason_never_echoes_the_body() -> None:
    secret = "s3cr3t-value"
    with pytest.raises(logic.InvalidReadingError) as caught:
        logic.parse_reading(body(zipcode=secret))
    assert secret not in str(caught.value)
