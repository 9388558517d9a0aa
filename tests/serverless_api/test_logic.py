"""orders_api.logic: page tokens, the body parser, how validation errors are worded."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from orders_api import logic

KEY = {
    "user_id": "alice",
    "created_at": "2026-05-01T12:00:00.000000Z",
    "order_id": "0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e",
}


def test_a_page_token_round_trips_for_its_user() -> None:
    token = logic.encode_page_token(KEY)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert logic.decode_page_token(token, "alice") == KEY


@pytest.mark.parametrize(
    "forged",
    [
        {**KEY, "user_id": "bob"},
        {**KEY, "created_at": "yesterday"},
        {**KEY, "order_id": "../../etc"},
    ],
)
def test_a_token_with_other_values_is_refused(forged: dict[str, str]) -> None:
    token = logic.encode_page_token(forged)
    with pytest.raises(logic.ApiError) as refused:
        logic.decode_page_token(token, "alice")
    assert (refused.value.status, list(refused.value.fields)) == (400, ["next_token"])


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"null",
        b"[]",
        b'["alice"]',
        b'["alice", 1, 2]',
        b'{"user_id": "alice"}',
        b"\xff\xfe",
        b'["alice","a","b","c"]',
    ],
)
def test_a_token_that_is_not_three_strings_is_refused(raw: bytes) -> None:
    with pytest.raises(logic.ApiError):
        logic.decode_page_token(base64.urlsafe_b64encode(raw).decode().rstrip("="), "alice")


@pytest.mark.parametrize("token", ["%%%", "a", "A" * (logic.MAX_TOKEN_CHARS + 1)])
def test_a_token_that_is_not_base64_or_too_long_is_refused(token: str) -> None:
    with pytest.raises(logic.ApiError):
        logic.decode_page_token(token, "alice")


def test_timestamps_sort_as_text_in_time_order_whatever_the_offset() -> None:
    moments = [
        datetime(2026, 5, 1, 12, 0, 0, 5, tzinfo=UTC),
        datetime(2026, 5, 1, 14, 0, 1, tzinfo=timezone(timedelta(hours=2))),  # 12:00:01 UTC
        datetime(2026, 5, 1, 12, 0, 2, tzinfo=UTC),
    ]
    stamps = [logic.timestamp(moment) for moment in moments]
    assert stamps == ["2026-05-01T12:00:00.000005Z", "2026-05-01T12:00:01.000000Z", "2026-05-01T12:00:02.000000Z"]
    assert sorted(stamps) == stamps


def test_new_order_ids_are_version_4_uuids_the_api_accepts() -> None:
    import re

    ids = {logic.new_order_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(re.fullmatch(logic.ORDER_ID_PATTERN, order_id) for order_id in ids)


def test_numbers_in_a_body_are_exact_decimals() -> None:
    assert logic.parse_json('{"amount": 0.29, "n": 3}') == {"amount": Decimal("0.29"), "n": Decimal(3)}
    assert logic.parse_json(b'{"a": 1}') == {"a": Decimal(1)}
    assert logic.parse_json("null") is None


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": -Infinity}', "[" * 100_000 + "]" * 100_000, "{", ""])
def test_what_is_not_json_is_a_json_decode_error(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        logic.parse_json(text)


@pytest.mark.parametrize("text", ["[]", '"x"', "1", "true"])
def test_a_body_that_is_not_an_object_is_a_400(text: str) -> None:
    with pytest.raises(logic.ApiError) as refused:
        logic.parse_json(text)
    assert (refused.value.status, refused.value.fields) == (400, {"body": logic.RULES["body"]})


def test_an_invalid_request_names_fields_and_rules_and_never_values() -> None:
    # The wording of each rule is validation.py's (test_validation.py); logic words the 400
    problems = [
        ("amount", "must be " + logic.RULES["amount"]),
        ("user_id", "required: " + logic.RULES["user_id"]),
        ("SECRET" * 20, "unknown field (allowed: user_id, amount)"),
    ]
    error = logic.invalid_request(problems)
    assert error.status == 400
    clipped = next(name for name in error.fields if name.startswith("SECRET"))
    assert len(clipped) == logic.MAX_FIELD_NAME_CHARS
    assert error.fields == {"amount": problems[0][1], "user_id": problems[1][1], clipped: problems[2][1]}
    assert error.message == f"invalid request: amount, user_id, {clipped}"
    assert "SECRET" not in json.dumps(error.body()).replace(clipped, "")


def test_at_most_five_fields_are_named() -> None:
    problems = [(f"f{index}", "unknown field") for index in range(50)]
    assert len(logic.invalid_request(problems).fields) == logic.MAX_NAMED_FIELDS


def test_a_refused_transition_says_where_the_order_may_go() -> None:
    assert logic.transition_refused("paid", "cancelled").fields == {"status": "allowed from paid: shipped"}
    assert logic.transition_refused("shipped", "paid").fields == {"status": "allowed from shipped: none"}
    assert logic.transition_refused("pending", "shipped").fields == {"status": "allowed from pending: paid, cancelled"}


def test_to_order_sends_amounts_as_numbers() -> None:
    item = {**KEY, "amount": Decimal("999999.99"), "status": "paid", "updated_at": KEY["created_at"]}
    assert json.dumps(logic.to_order(item)["amount"]) == "999999.99"


@pytest.mark.parametrize(
    ("change", "wrong"),
    [
        ({"status": "SECRET"}, "status"),
        ({"amount": Decimal(0)}, "amount"),
        ({"amount": "SECRET"}, "amount"),
        ({"user_id": "SECRET SECRET"}, "user_id"),
        ({"created_at": "SECRET"}, "created_at"),
        ({"order_id": None, "updated_at": 1}, "order_id, updated_at"),
    ],
)
def test_a_stored_item_the_document_cannot_describe_is_our_error(change: dict[str, Any], wrong: str) -> None:
    # A response that breaks the documented Order would be a 200 with a lie: a 500 instead
    item = {**KEY, "amount": Decimal("1.5"), "status": "paid", "updated_at": KEY["created_at"], **change}
    with pytest.raises(logic.StoredOrderError) as refused:
        logic.to_order(item)
    assert str(refused.value) == f"the stored order has unexpected {wrong}"
