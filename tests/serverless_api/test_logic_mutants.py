"""orders_api.logic over whole families of values: what `make mutate` found tested with one value only.

A page token is base64 without its padding, and how much padding comes back depends on the key's
length: one user_id length exercised one case in three. Field names are clipped at exactly 40.
"""

from __future__ import annotations

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
