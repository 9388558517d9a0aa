"""logic.parse_request and the response shape: plain values, no I/O."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from db_lambda import logic


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"action": "add_user", "name": " Ravi ", "email": " Ravi@X.COM"}, logic.AddUser("Ravi", "ravi@x.com")),
        ({"action": "add_user", "name": "Seán O'Brien", "email": "s@x.ie"}, logic.AddUser("Seán O'Brien", "s@x.ie")),
        ({"action": "get_user", "user_id": 42}, logic.GetUser(42)),
        ({"action": "list_users"}, logic.ListUsers(limit=10, name=None)),
        ({"action": "list_users", "limit": 100, "name": "Ravi"}, logic.ListUsers(limit=100, name="Ravi")),
    ],
)  # fmt: skip
def test_valid_events_become_requests(event: dict[str, Any], expected: logic.Request) -> None:
    assert logic.parse_request(event) == expected


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (None, "the event must be a JSON object with an 'action'"),
        ([], "the event must be a JSON object with an 'action'"),
        ({}, "action must be one of: add_user, get_user, list_users"),
        ({"action": "drop_table"}, "action must be one of: add_user, get_user, list_users"),
        ({"action": "add_user", "name": "Ravi"}, "missing field(s) for add_user: email"),
        ({"action": "get_user", "user_id": 1, "admin": True}, "unexpected field(s) for get_user: admin"),
        ({"action": "add_user", "name": 7, "email": "a@b.co"}, "name must be a string, not a number"),
        ({"action": "add_user", "name": "   ", "email": "a@b.co"}, "name must have 1 to 100 characters"),
        ({"action": "add_user", "name": "x" * 101, "email": "a@b.co"}, "name must have 1 to 100 characters"),
        ({"action": "add_user", "name": "Ra\x00vi", "email": "a@b.co"}, "name must not contain control characters"),
        ({"action": "add_user", "name": "Ra\ud800vi", "email": "a@b.co"}, "name must not contain control characters"),
        ({"action": "add_user", "name": "Ravi", "email": "ravi"}, "email must look like name@example.com"),
        ({"action": "add_user", "name": "Ravi", "email": "a@b.co" + "m" * 250}, "at most 254 characters"),
        ({"action": "add_user", "name": "Ravi", "email": None}, "email must be a string, not null"),
        ({"action": "get_user", "user_id": "1"}, "user_id must be an integer, not a string"),
        ({"action": "get_user", "user_id": True}, "user_id must be an integer, not a boolean"),
        ({"action": "get_user", "user_id": 1.0}, "user_id must be an integer, not a number"),
        ({"action": "get_user", "user_id": 0}, "user_id must be between 1 and 9223372036854775807"),
        ({"action": "list_users", "limit": 101}, "limit must be between 1 and 100"),
        ({"action": "list_users", "name": ["Ravi"]}, "name must be a string, not an array"),
    ],
)
def test_invalid_events_are_refused_with_a_message_naming_the_field(event: Any, message: str) -> None:
    with pytest.raises(logic.InvalidRequestError) as raised:
        logic.parse_request(event)
    assert message in str(raised.value)


def test_a_refusal_never_echoes_the_offending_value() -> None:
    # Given a value that could be a secret pasted into the wrong field
    secret = "hunter2-" + "s" * 200
    # When it is refused
    with pytest.raises(logic.InvalidRequestError) as raised:
        logic.parse_request({"action": "add_user", "name": secret, "email": "a@b.co"})
    # Then the message does not contain it
    assert "hunter2" not in str(raised.value)


def test_a_response_has_the_guides_shape_and_a_user_serializes_in_utc() -> None:
    # Given a user created at 10:30 in UTC+05:30
    created = datetime(2024, 5, 1, 16, 0, 0, 123000, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    user = logic.User(user_id=7, name="Ravi", email="ravi@example.com", created_at=created)
    # When it becomes a response
    response = logic.response(201, user.to_json())
    # Then it is the proxy-integration shape, with a UTC time
    assert response["statusCode"] == 201
    assert response["headers"] == {"Content-Type": "application/json"}
    assert json.loads(response["body"]) == {
        "user_id": 7,
        "name": "Ravi",
        "email": "ravi@example.com",
        "created_at": "2024-05-01T10:30:00.123Z",
    }
