"""orders_api.logic over whole families of values: what `make mutate` found tested with one value only.

A page token is base64 without its padding, and how much padding comes back depends on the key's
length: one user_id length exercised one case in three. Field names are clipped at exactly 40.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest

from orders_api import logic

CREATED_AT = "2026-05-01T12:00:00.000000Z"
ORDER_ID = "0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e"
USER_ID_CHARACTERS = "AZaz09._@-"


def key_for(user_id: str) -> dict[str, str]:
    return {"user_id": user_id, "created_at": CREATED_AT, "order_id": ORDER_ID}


@pytest.mark.parametrize("length", range(1, 65))
def test_a_page_token_round_trips_for_every_user_id_length(length: int) -> None:
    user_id = (USER_ID_CHARACTERS * 7)[:length]
    token = logic.encode_page_token(key_for(user_id))
    assert "=" not in token
    assert logic.decode_page_token(token, user_id) == key_for(user_id)


def test_the_lengths_cover_every_amount_of_padding() -> None:
    # Base64 pads to a multiple of 4 with no, one or two "=": the lengths above need all three back.
    assert {-len(logic.encode_page_token(key_for("u" * n))) % 4 for n in range(1, 65)} == {0, 1, 2}


def test_a_token_padded_as_base64_prints_it_is_accepted_too() -> None:
    token = logic.encode_page_token(key_for("alice"))
    padded = token + "=" * (-len(token) % 4)
    assert logic.decode_page_token(padded, "alice") == key_for("alice")


def test_a_token_over_512_characters_is_refused_as_invalid() -> None:
    with pytest.raises(logic.ApiError) as refused:
        logic.decode_page_token("A" * (logic.MAX_TOKEN_CHARS + 1), "alice")
    assert refused.value.status == 400
    assert refused.value.body() == {
        "message": "next_token is not valid",
        "fields": {"next_token": logic.RULES["next_token"]},
    }


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("n" * 39, "n" * 39),
        ("n" * 40, "n" * 40),  # exactly the limit: kept whole
        ("n" * 41, "n" * 37 + "..."),  # one over: 37 characters and an ellipsis, 40 in all
        ("n" * 500, "n" * 37 + "..."),
    ],
)
def test_a_field_name_is_clipped_past_40_characters(name: str, shown: str) -> None:
    error = logic.invalid_request([(name, "unknown field")])
    assert error.fields == {shown: "unknown field"}
    assert error.message == f"invalid request: {shown}"


def test_the_fifth_field_is_named_and_the_sixth_is_not() -> None:
    error = logic.invalid_request([(f"f{index}", "unknown field") for index in range(6)])
    assert list(error.fields) == ["f0", "f1", "f2", "f3", "f4"]
    assert error.message == "invalid request: f0, f1, f2, f3, f4"


def test_an_invalid_request_without_names_says_so() -> None:
    error = logic.invalid_request([])
    assert (error.status, error.message, error.fields) == (400, "invalid request", {})


def test_a_page_token_is_compact_json_in_base64() -> None:
    token = logic.encode_page_token(key_for("alice"))
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert raw == f'["alice","{CREATED_AT}","{ORDER_ID}"]'.encode()


def test_a_refused_deletion_says_which_orders_can_go() -> None:
    assert logic.deletion_refused("paid").body() == {
        "message": "an order that is paid cannot be deleted",
        "fields": {"order_id": "only orders that are pending or cancelled can be deleted"},
    }
    assert logic.deletion_refused("paid").status == 409


def test_an_api_error_reads_as_its_message() -> None:
    # Logged as str(error) where it is caught
    assert str(logic.order_not_found()) == "no order with this order_id"


def test_a_body_that_is_not_an_object_has_the_exact_message() -> None:
    with pytest.raises(logic.ApiError) as refused:
        logic.parse_json("[1]")
    assert refused.value.body() == {"message": "the body must be a JSON object", "fields": {"body": "a JSON object"}}


def test_a_body_in_bytes_that_is_not_utf8_is_read_with_replacement_characters() -> None:
    # Bytes are decoded leniently: the bad byte becomes U+FFFD, which the field checks then refuse.
    assert logic.parse_json(b'{"user_id": "al\xffce"}') == {"user_id": "al\ufffdce"}


@pytest.mark.usefixtures("local_time_zone")
def test_timestamps_are_utc_whatever_the_machine_s_time_zone() -> None:
    moment = datetime(2026, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert logic.timestamp(moment) == "2026-05-01T12:00:00.000000Z"
