"""orders_api.validation on what `make mutate` found untested: trailing zeros between decimals,
and a body that is neither an object nor missing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from orders_api import logic, validation


@pytest.mark.parametrize(
    ("text", "places"),
    [("1.0010", 3), ("1.001000", 3), ("1.50", 1), ("1.000", 0), ("100", 0), ("1E+2", 0), ("0.0100", 2)],
)
def test_decimals_are_counted_up_to_the_last_non_zero_digit(text: str, places: int) -> None:
    assert validation.decimal_places(Decimal(text)) == places


def test_an_amount_with_three_decimals_and_a_trailing_zero_is_refused() -> None:
    assert validation.is_amount(Decimal("1.0010")) is False
    assert validation.is_amount(Decimal("1.0100")) is True


@pytest.mark.parametrize("body", [[], "x", Decimal(1)])
def test_a_body_that_is_not_an_object_is_named_as_the_body(body: Any) -> None:
    # parse_json refuses these first; a caller that skipped it still gets the body named, not a crash.
    with pytest.raises(logic.ApiError) as refused:
        validation.new_order(body)
    assert refused.value.fields == {"body": "a JSON object"}


def test_no_body_at_all_is_required() -> None:
    with pytest.raises(logic.ApiError) as refused:
        validation.new_order(None)
    assert refused.value.fields == {"body": "required: a JSON object"}
