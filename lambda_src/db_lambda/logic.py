"""Pure request logic: a direct-invoke event becomes a validated request; results become responses.

No AWS, no database, no environment: every rule here is testable with plain values.
The responses keep the guide's shape ({"statusCode", "body": JSON string}), so an API
Gateway proxy integration could front the function unchanged.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# The column sizes of the `users` table (db.py): longer values would be cut or refused by MySQL.
MAX_NAME_CHARS = 100
MAX_EMAIL_CHARS = 254  # the longest address SMTP can carry (RFC 5321)
DEFAULT_LIMIT = 10  # the guide's "SELECT * FROM users LIMIT 10"
MAX_LIMIT = 100
MAX_USER_ID = 2**63 - 1
ACTIONS = ("add_user", "get_user", "list_users")
_FIELDS = {"add_user": ("name", "email"), "get_user": ("user_id",), "list_users": ("limit", "name")}
_REQUIRED = {"add_user": ("name", "email"), "get_user": ("user_id",), "list_users": ()}
# Deliberately loose (one @, a dot in the domain, no spaces): mail delivery is the real test.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class InvalidRequestError(ValueError):
    """An event that is not a valid request; the message names the field (never echoes its value)."""


@dataclass(frozen=True)
class AddUser:
    name: str
    email: str


@dataclass(frozen=True)
class GetUser:
    user_id: int


@dataclass(frozen=True)
class ListUsers:
    limit: int = DEFAULT_LIMIT
    name: str | None = None


Request = AddUser | GetUser | ListUsers


@dataclass(frozen=True)
class User:
    """One row of the `users` table."""

    user_id: int
    name: str
    email: str
    created_at: datetime  # UTC

    def to_json(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "name": self.name,
            "email": self.email,
            "created_at": self.created_at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }


def parse_request(event: Any) -> Request:
    """Validates one event, e.g. {"action": "add_user", "name": "Ravi", "email": "ravi@example.com"}."""
    if not isinstance(event, dict):
        raise InvalidRequestError("the event must be a JSON object with an 'action'")
    action = event.get("action")
    if action not in ACTIONS:
        raise InvalidRequestError("action must be one of: " + ", ".join(ACTIONS))
    fields = {name: value for name, value in event.items() if name != "action"}
    unexpected = sorted(str(name) for name in set(fields) - set(_FIELDS[action]))
    if unexpected:
        raise InvalidRequestError(f"unexpected field(s) for {action}: " + ", ".join(unexpected[:5]))
    missing = [name for name in _REQUIRED[action] if name not in fields]
    if missing:
        raise InvalidRequestError(f"missing field(s) for {action}: " + ", ".join(missing))
    if action == "add_user":
        return AddUser(name=_name(fields["name"]), email=_email(fields["email"]))
    if action == "get_user":
        return GetUser(user_id=_integer("user_id", fields["user_id"], 1, MAX_USER_ID))
    name = fields.get("name")
    return ListUsers(
        limit=_integer("limit", fields.get("limit", DEFAULT_LIMIT), 1, MAX_LIMIT),
        name=None if name is None else _name(name),
    )


def response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def error(status: int, message: str) -> dict[str, Any]:
    return response(status, {"message": message})


def _name(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidRequestError(f"name must be a string, not {_json_type(value)}")
    name = value.strip()
    if not 1 <= len(name) <= MAX_NAME_CHARS:
        raise InvalidRequestError(f"name must have 1 to {MAX_NAME_CHARS} characters")
    # Quotes and apostrophes are fine (O'Brien): the SQL is parameterized. Control and
    # format characters are not names, and lone surrogates cannot be stored as UTF-8.
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in name):
        raise InvalidRequestError("name must not contain control characters")
    return name


def _email(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidRequestError(f"email must be a string, not {_json_type(value)}")
    email = value.strip().lower()
    if len(email) > MAX_EMAIL_CHARS or not _EMAIL.fullmatch(email) or not email.isascii():
        raise InvalidRequestError(
            f"email must look like name@example.com (ASCII, at most {MAX_EMAIL_CHARS} characters)"
        )
    return email


def _integer(field: str, value: Any, low: int, high: int) -> int:
    # bool is an int in Python: JSON true must not become user 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequestError(f"{field} must be an integer, not {_json_type(value)}")
    if not low <= value <= high:
        raise InvalidRequestError(f"{field} must be between {low} and {high}")
    return value


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}
    if value is None:
        return "null"
    return names.get(type(value), "an object" if isinstance(value, dict) else type(value).__name__)
