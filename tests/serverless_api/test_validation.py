"""orders_api.validation: what each request must be, and how a refusal is worded (examples;
test_contract.py checks it against the documented models with generated requests)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from orders_api import logic, validation

KNOWN_ID = "0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e"


def refusal(call: Any, *args: Any) -> logic.ApiError:
    with pytest.raises(logic.ApiError) as refused:
        call(*args)
    assert refused.value.status == 400
    return refused.value


def test_a_valid_order_is_returned_typed_with_its_exact_amount() -> None:
    body = logic.parse_json('{"user_id": "user-42", "amount": 0.29}')
    assert validation.new_order(body) == validation.NewOrder(user_id="user-42", amount=Decimal("0.29"))


@pytest.mark.parametrize("text", ["0.01", "25.5", "1000000", "1000000.00", "10.100", "1E+2", "100E-2", "0.1e1"])
def test_amounts_with_at_most_two_decimals_in_range_are_accepted(text: str) -> None:
    assert validation.is_amount(Decimal(text))


@pytest.mark.parametrize(
    "value",
    [
        Decimal(0),
        Decimal("-0.0"),
        Decimal(-5),
        Decimal("0.009"),
        Decimal("10.123"),
        Decimal("1000000.01"),
        Decimal("1e-400"),
        Decimal("1e400"),
        # 31 decimals: Decimal.normalize() would round this to 1 (28 digits)
        Decimal("1.0000000000000000000000000000001"),
        Decimal("NaN"),
        Decimal("Infinity"),
        True,
        "10",
        10,
        10.5,
        None,
        [Decimal(1)],
    ],
    ids=repr,
)
def test_anything_else_is_not_an_amount(value: Any) -> None:
    assert not validation.is_amount(value)


@pytest.mark.parametrize(
    ("text", "places"), [("10", 0), ("10.1", 1), ("10.100", 1), ("1E+2", 0), ("100E-2", 0), ("1E-7", 7), ("0.00", 2)]
)
def test_decimal_places_count_the_exact_value_without_trailing_zeros(text: str, places: int) -> None:
    assert validation.decimal_places(Decimal(text)) == places


@pytest.mark.parametrize(("text", "number"), [("1", 1), ("05", 5), ("100", 100), ("0" * 5000 + "7", 7)])
def test_a_limit_is_ascii_digits_from_1_to_100(text: str, number: int) -> None:
    assert validation.whole_number(text, 1, 100) == number


@pytest.mark.parametrize(
    "text", ["0", "101", "", "-1", "+5", " 5", "5 ", "5\n", "5.0", "2.5", "1e1", "1_0", "\u0665", "\uff15", "9" * 5000]
)
def test_anything_else_is_not_a_limit(text: str) -> None:
    assert validation.whole_number(text, 1, 100) is None


def test_a_refused_order_names_fields_and_rules_and_never_values() -> None:
    body = {"amount": Decimal(0), "SECRET" * 20: "SECRET"}
    error = refusal(validation.new_order, body)
    clipped = "SECRET" * 6 + "S..."
    assert len(clipped) == logic.MAX_FIELD_NAME_CHARS
    assert error.fields == {
        "user_id": "required: " + logic.RULES["user_id"],
        "amount": "must be " + logic.RULES["amount"],
        clipped: "unknown field (allowed: user_id, amount)",
    }
    assert error.message == f"invalid request: user_id, amount, {clipped}"
    assert "SECRET" not in json.dumps(error.body()).replace(clipped, "")


def test_known_fields_come_first_in_the_documented_order_then_unknown_ones_as_sent() -> None:
    body = {"zz": 1, "amount": "x", "aa": 2, "user_id": 1}
    assert list(refusal(validation.new_order, body).fields) == ["user_id", "amount", "zz", "aa"]


def test_at_most_five_fields_are_named() -> None:
    body = {f"f{index}": index for index in range(50)}
    error = refusal(validation.new_order, body)
    assert list(error.fields) == ["user_id", "amount", "f0", "f1", "f2"]
    assert len(logic.invalid_request((f"f{index}", "x") for index in range(50)).fields) == logic.MAX_NAMED_FIELDS


def test_a_body_that_is_not_json_is_one_body_field() -> None:
    error = refusal(validation.parse_body, '{"amount": ')
    assert (error.message, error.fields) == ("the body is not valid JSON", {"body": logic.RULES["body"]})


@pytest.mark.parametrize("text", [None, "", "null"])
def test_no_body_or_null_is_a_missing_body(text: str | None) -> None:
    error = refusal(validation.new_order, validation.parse_body(text))
    assert (error.message, error.fields) == ("invalid request: body", {"body": "required: " + logic.RULES["body"]})


def test_a_status_change_names_a_bad_order_id_before_the_body() -> None:
    assert validation.status_change(KNOWN_ID, {"status": "paid"}) == validation.StatusChange(KNOWN_ID, "paid")
    bad_id_and_body = refusal(validation.status_change, "abc", {"status": "PAID", "x": 1})
    assert list(bad_id_and_body.fields) == ["order_id", "status", "x"]
    assert list(refusal(validation.status_change, "abc", None).fields) == ["order_id", "body"]
    assert refusal(validation.status_change, KNOWN_ID, {}).fields == {"status": "required: " + logic.RULES["status"]}


@pytest.mark.parametrize("value", ["abc", KNOWN_ID.upper(), KNOWN_ID + "\n", KNOWN_ID.replace("0", "\u0660", 1), ""])
def test_an_order_id_is_a_lowercase_version_4_uuid(value: str) -> None:
    assert validation.order_id(KNOWN_ID) == KNOWN_ID
    assert refusal(validation.order_id, value).fields == {"order_id": "must be " + logic.RULES["order_id"]}


def test_a_list_query_has_defaults_and_ignores_other_parameters() -> None:
    query = validation.list_query({"user_id": ["alice"], "utm_source": ["x", "y"]})
    assert query == validation.ListQuery(user_id="alice", limit=logic.DEFAULT_PAGE_SIZE, next_token=None)
    assert validation.list_query({"user_id": ["a"], "limit": ["7"], "next_token": ["t"]}).limit == 7


@pytest.mark.parametrize(
    ("parameters", "fields"),
    [
        ({}, {"user_id": "required: " + logic.RULES["user_id"]}),
        ({"user_id": ["a", "b"]}, {"user_id": "must be " + logic.RULES["user_id"]}),
        ({"user_id": ["a"], "limit": ["1", "2"]}, {"limit": "must be " + logic.RULES["limit"]}),
        ({"user_id": ["a"], "next_token": ["A" * 513]}, {"next_token": "must be " + logic.RULES["next_token"]}),
        (
            {"limit": ["x"], "next_token": ["A" * 600], "user_id": [" a"]},
            {name: "must be " + logic.RULES[name] for name in ("user_id", "limit", "next_token")},
        ),
    ],
)
def test_a_bad_list_query_names_each_bad_parameter(parameters: dict[str, list[str]], fields: dict[str, str]) -> None:
    assert refusal(validation.list_query, parameters).fields == fields
