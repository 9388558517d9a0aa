"""One contract, two descriptions: validation.py (what the function checks, without pydantic)
and models.py (the strict pydantic models openapi.json is generated from).

Hypothesis generates requests, valid ones and near misses (wrong types, booleans, 3
decimals, boundaries, huge and tiny numbers, extra and missing keys, non-ASCII digits in
ids), and each must be accepted by both or refused by both: accepted with the same values,
refused naming the same fields in the same order (at most logic.MAX_NAMED_FIELDS).

Bodies go through JSON text and logic.parse_json, as in the function, so every number is a
Decimal. Query parameters are text: the model types `limit` as an integer, which OpenAPI's
form style writes in decimal digits, so the model gets ASCII digits as an int and anything
else as the string it is (which a strict int refuses).

`--hypothesis-show-statistics` shows how many examples each side accepted and refused.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from orders_api import logic, models, validation

T = TypeVar("T")
EXAMPLES = int(os.environ.get("SERVERLESS_API_EXAMPLES", "300"))
CONTRACT = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True)
KNOWN_ID = "0b7e1b5c-6a7e-4c39-9d7e-2f3a4b5c6d7e"


def half_valid(valid: st.SearchStrategy[Any], *near_misses: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Valid values half of the time (st.one_of would give each near miss as much weight)."""
    return st.booleans().flatmap(lambda is_valid: valid if is_valid else st.one_of(*near_misses))


# Refused wherever a string or a number belongs: the other JSON types.
other_json = st.one_of(
    st.none(),
    st.booleans(),
    st.lists(st.integers().map(Decimal), max_size=2),
    st.dictionaries(st.sampled_from(["value", "amount"]), st.integers().map(Decimal), max_size=1),
)
valid_user_ids = st.from_regex(logic.USER_ID_PATTERN, fullmatch=True)
user_ids = half_valid(
    valid_user_ids,
    st.sampled_from(["", "a" * 64, "a" * 65, "user 42", "user-42\n", "\u0661\u0662", "us\u00e9r", "user\uff0d42"]),
    st.text(max_size=70),
    st.integers().map(Decimal),
    other_json,
)
valid_amounts = st.decimals(min_value="0.01", max_value=logic.MAX_AMOUNT, places=logic.AMOUNT_DECIMALS)
amounts = half_valid(
    valid_amounts,
    # In range and just around it, with 0 to 4 decimals
    st.integers(0, 4).flatmap(
        lambda places: st.decimals(min_value=-1, max_value=1_000_001, places=places, allow_nan=False)
    ),
    # Other exponents of the same digits: 1E+2, 100E-2, 1.5E-1...
    st.tuples(st.integers(-1_000_000, 100_000_000), st.integers(-12, 8)).map(
        lambda pair: Decimal(pair[0]).scaleb(pair[1])
    ),
    st.sampled_from(
        [
            "0",
            "-0",
            "0.00",
            "0.01",
            "0.009",
            "1000000",
            "1000000.00",
            "1000000.001",
            "1000000.01",
            "1e400",
            "1e-400",
            "1E-7",
            "10.100",
            "10.123",
            "1.0000000000000000000000000000001",
            "1" + "0" * 4000,
        ]
    ).map(Decimal),
    st.text(max_size=8),
    other_json,
)
valid_statuses = st.sampled_from(logic.STATUSES)
statuses = half_valid(
    valid_statuses,
    st.sampled_from(["PAID", " paid", "paid ", "refunded", ""]),
    st.text(max_size=10),
    st.integers().map(Decimal),
    other_json,
)
# Unknown keys, among them the documented names misspelled and names that are no field.
extra_keys = st.one_of(
    st.sampled_from(["coupon", "User_id", "amount ", "userId", "status_", "body", "", "x" * 60]),
    st.text(max_size=50),
)
valid_order_ids = st.uuids(version=4).map(str)
order_ids = half_valid(
    valid_order_ids,
    st.uuids().map(str),
    st.uuids(version=4).map(lambda uuid: str(uuid).upper()),
    st.uuids(version=4).map(lambda uuid: str(uuid).replace("0", "\u0660")),
    st.uuids(version=4).map(lambda uuid: str(uuid)[:-1]),
    st.uuids(version=4).map(lambda uuid: str(uuid) + "0"),
    st.uuids(version=4).map(lambda uuid: str(uuid) + "\n"),
    st.uuids(version=4).map(lambda uuid: str(uuid).replace("-", "")),
    st.text(max_size=40),
)


def bodies(valid: dict[str, st.SearchStrategy[Any]], any_value: dict[str, st.SearchStrategy[Any]]) -> Any:
    """JSON objects: a valid one a third of the time; else all documented fields or some, any
    values, unknown keys half of the time, in any order. Sometimes null."""
    some = st.sets(st.sampled_from(list(any_value))).flatmap(
        lambda names: st.fixed_dictionaries({name: any_value[name] for name in sorted(names)})
    )
    known = half_valid(st.fixed_dictionaries(any_value), some)
    unknown = half_valid(
        st.just({}), st.dictionaries(extra_keys.filter(lambda key: key not in any_value), amounts, max_size=7)
    )
    objects = st.tuples(known, unknown).flatmap(
        lambda parts: st.permutations(list({**parts[0], **parts[1]}.items())).map(dict)
    )
    return st.one_of(st.fixed_dictionaries(valid), objects, objects, st.none())


def through_json(value: Any) -> Any:
    """What the function gets: the value written as JSON text, parsed by validation.parse_body."""

    def text(part: Any) -> str:
        if isinstance(part, Decimal):
            return str(part)  # a JSON number, as written (1E+2 stays 1E+2)
        if isinstance(part, dict):
            return "{" + ",".join(f"{json.dumps(key)}:{text(item)}" for key, item in part.items()) + "}"
        if isinstance(part, list):
            return "[" + ",".join(text(item) for item in part) + "]"
        return json.dumps(part)

    return validation.parse_body(text(value))


def models_answer(*attempts: tuple[type[BaseModel], Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """What the models accept (each model's fields) and the fields their errors name (an
    error at () is the body itself), through the function's 400 builder: clipped, at most five."""
    accepted: list[dict[str, Any]] = []
    names: list[str] = []
    for model, value in attempts:
        try:
            accepted.append(model.model_validate(value).model_dump())
        except ValidationError as error:
            names += [str(problem["loc"][0]) if problem["loc"] else "body" for problem in error.errors()]
    return accepted, list(logic.invalid_request((name, "") for name in names).fields)


def function_answer(check: Callable[[], T]) -> tuple[T | None, list[str]]:
    """What validation.py returns, or the fields its 400 names."""
    try:
        value = check()
    except logic.ApiError as error:
        refusal = error
    else:
        event("accepted")
        return value, []
    event("refused")
    assert refusal.status == 400
    assert refusal.message.startswith("invalid request")
    return None, list(refusal.fields)


@CONTRACT
@given(body=bodies({"user_id": valid_user_ids, "amount": valid_amounts}, {"user_id": user_ids, "amount": amounts}))
@example(body={"user_id": "user-42", "amount": Decimal("10.123")})
@example(body={"user_id": "user-42", "amount": True})
@example(body={"user_id": "user-42", "amount": Decimal("1e400")})
@example(body={"user_id": "\u0661\u0662", "amount": Decimal("1E+2")})
@example(body={"user_id": "u", "amount": Decimal("1.0000000000000000000000000000001")})
@example(body={"amount": "10", "coupon": None, "user_id": Decimal(42)})
def test_a_new_order_is_accepted_exactly_when_the_model_accepts_it(body: dict[str, Any] | None) -> None:
    parsed = through_json(body)
    order, refused = function_answer(lambda: validation.new_order(parsed))
    accepted = [] if order is None else [{"user_id": order.user_id, "amount": order.amount}]
    assert models_answer((models.NewOrder, parsed)) == (accepted, refused)
    if order is not None:
        assert str(order.amount) == str(parsed["amount"])  # stored with the digits sent


@CONTRACT
@given(order_id=order_ids, body=bodies({"status": valid_statuses}, {"status": statuses}))
@example(order_id=KNOWN_ID, body={"status": "paid"})
@example(order_id=KNOWN_ID.upper(), body={"status": "PAID", "x": 1})
@example(order_id=KNOWN_ID + "\n", body=None)
def test_a_status_change_is_accepted_exactly_when_the_models_accept_it(
    order_id: str, body: dict[str, Any] | None
) -> None:
    parsed = through_json(body)
    change, refused = function_answer(lambda: validation.status_change(order_id, parsed))
    model_accepted, model_refused = models_answer(
        (models.PathParameters, {"order_id": order_id}), (models.StatusChange, parsed)
    )
    assert model_refused == refused
    if change is not None:
        assert model_accepted == [{"order_id": change.order_id}, {"status": change.status}]


@CONTRACT
@given(order_id=order_ids)
def test_an_order_id_is_accepted_exactly_when_the_model_accepts_it(order_id: str) -> None:
    accepted, refused = function_answer(lambda: validation.order_id(order_id))
    expected = [] if accepted is None else [{"order_id": accepted}]
    assert models_answer((models.PathParameters, {"order_id": order_id})) == (expected, refused)


limits = half_valid(
    st.integers(1, logic.MAX_PAGE_SIZE).map(str),
    st.integers(-5, 250).map(str),
    st.integers(0, 120).map(lambda number: f"{number:05d}"),
    st.sampled_from(["", "5.0", "2.5", "+5", " 5", "5 ", "5\n", "1_0", "1e1", "0x5", "\u0665", "\uff15", "9" * 60]),
    st.text(max_size=5),
)
next_tokens = half_valid(
    st.text(max_size=logic.MAX_TOKEN_CHARS),
    st.text(min_size=logic.MAX_TOKEN_CHARS - 2, max_size=logic.MAX_TOKEN_CHARS + 2),
    st.text(max_size=600),
)
queries = half_valid(
    st.fixed_dictionaries(
        {"user_id": user_ids.filter(lambda value: isinstance(value, str))},
        optional={"limit": limits, "next_token": next_tokens, "utm_source": st.text(max_size=5)},
    ),
    st.fixed_dictionaries({}, optional={"limit": limits, "next_token": next_tokens}),
)


def documented_query(parameters: dict[str, str]) -> dict[str, Any]:
    """The query typed as the document types it: an integer parameter is written in ASCII digits."""
    limit = parameters.get("limit")
    if limit is not None and limit.isascii() and limit.isdigit():
        return {**parameters, "limit": int(limit)}
    return dict(parameters)


@CONTRACT
@given(parameters=queries)
@example(parameters={"user_id": "alice", "limit": "100", "next_token": "A" * logic.MAX_TOKEN_CHARS})
@example(parameters={"user_id": "\u0661", "limit": "\u0665", "next_token": "A" * (logic.MAX_TOKEN_CHARS + 1)})
@example(parameters={"limit": "0"})
def test_a_list_query_is_accepted_exactly_when_the_model_accepts_it(parameters: dict[str, str]) -> None:
    query, refused = function_answer(
        lambda: validation.list_query({name: [value] for name, value in parameters.items()})
    )
    accepted = (
        [] if query is None else [{"user_id": query.user_id, "limit": query.limit, "next_token": query.next_token}]
    )
    assert models_answer((models.ListQuery, documented_query(parameters))) == (accepted, refused)


timestamps = st.datetimes(timezones=st.just(UTC)).map(logic.timestamp)
stored_items = half_valid(
    st.fixed_dictionaries(
        {
            "order_id": valid_order_ids,
            "user_id": valid_user_ids,
            "amount": valid_amounts,
            "status": valid_statuses,
            "created_at": timestamps,
            "updated_at": timestamps,
        }
    ),
    st.fixed_dictionaries(
        {
            "order_id": order_ids,
            "user_id": user_ids,
            "amount": amounts,
            "status": statuses,
            "created_at": half_valid(timestamps, st.text(max_size=30)),
            "updated_at": timestamps,
        }
    ),
)


@CONTRACT
@given(item=stored_items)
def test_what_the_function_answers_for_a_stored_order_is_a_documented_order(item: dict[str, Any]) -> None:
    # The response side: logic.to_order refuses (a 500) what models.Order cannot describe
    try:
        order = logic.to_order(item)
    except logic.StoredOrderError:
        event("refused")
        return
    event("accepted")
    assert models.Order.model_validate(order).model_dump() == order
