"""An evaluator for the subset of CloudWatch Logs JSON filter patterns that the lab's
metric filters use, so that each pattern can be tested offline against sample
CloudTrail records (moto does not evaluate metric filters).

Supported, as in CloudWatch's syntax for JSON log events:
- the whole pattern in braces: `{ ... }`
- selectors `$.a.b` and `$.list[0]`
- `=` and `!=` against a "quoted" or bare string, where `*` matches any run of
  characters (`"AccessDenied*"`, `*UnauthorizedOperation`), or against a number;
  `<`, `<=`, `>`, `>=` against a number
- `NOT EXISTS`, `EXISTS`, `IS NULL`, `IS TRUE`, `IS FALSE`
- `&&`, `||` and parentheses

Choices where CloudWatch's documentation is silent, each on the cautious side:
- `=` and `!=` need the field to exist: a missing field matches neither (CloudTrail
  records always carry the fields the lab's patterns compare with `!=`).
- Strings compare only with strings and numbers only with numbers.
- `&&` and `||` mixed at one level without parentheses is an error, not a guess at
  precedence.
The deployed lab's `verify` step asks CloudWatch itself (TestMetricFilter) with the same
samples, so these choices are checked against the real evaluator in a sandbox account.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<punct>[{}()])
      | (?P<logic>&&|\|\|)
      | (?P<op>!=|<=|>=|=|<|>)
      | (?P<selector>\$(?:\.[A-Za-z0-9_@-]+|\[[0-9]+\])+)
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<word>[^\s(){}"=!<>&|]+)
    )""",
    re.VERBOSE,
)
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_MISSING = object()

Path = tuple[str | int, ...]
Predicate = Callable[[Any], bool]


class PatternError(ValueError):
    """The pattern is outside the supported subset or malformed; the message says where."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    position: int


@dataclass(frozen=True)
class FilterPattern:
    """A compiled pattern: `matches(message)` is True when CloudWatch would count the log event."""

    text: str
    _predicate: Predicate

    def matches(self, message: str | dict[str, Any]) -> bool:
        """`message` is a log event: a JSON text (as CloudTrail delivers it) or an already parsed object."""
        if isinstance(message, str):
            try:
                message = json.loads(message)
            except ValueError:
                return False  # a JSON pattern never matches a non-JSON event
        return isinstance(message, dict) and self._predicate(message)


def compile_pattern(text: str) -> FilterPattern:
    parser = _Parser(_tokenize(text))
    parser.expect("punct", "{")
    predicate = parser.expression()
    parser.expect("punct", "}")
    if parser.peek() is not None:
        raise PatternError(f"text after the closing brace: {parser.peek_text()}")
    return FilterPattern(text, predicate)


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            raise PatternError(
                f"cannot read the pattern at character {position + 1}: {text[position : position + 20]!r}"
            )
        kind = match.lastgroup
        tokens.append(Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: Sequence[Token]) -> None:
        self._tokens = tokens
        self._index = 0

    def peek(self) -> Token | None:
        return self._tokens[self._index] if self._index < len(self._tokens) else None

    def peek_text(self) -> str:
        token = self.peek()
        return "the end of the pattern" if token is None else f"{token.text!r} at character {token.position + 1}"

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise PatternError("the pattern ends too early")
        self._index += 1
        return token

    def expect(self, kind: str, text: str | None = None) -> Token:
        token = self.peek()
        if token is None or token.kind != kind or (text is not None and token.text != text):
            raise PatternError(f"expected {text or kind} but found {self.peek_text()}")
        return self.take()

    def expression(self) -> Predicate:
        terms = [self.term()]
        operators: set[str] = set()
        while (token := self.peek()) is not None and token.kind == "logic":
            operators.add(self.take().text)
            terms.append(self.term())
        if len(operators) > 1:
            raise PatternError("&& and || are mixed without parentheses: add them to say which comes first")
        if not operators:
            return terms[0]
        if operators == {"&&"}:
            return lambda event: all(term(event) for term in terms)
        return lambda event: any(term(event) for term in terms)

    def term(self) -> Predicate:
        token = self.peek()
        if token is not None and token.text == "(":
            self.take()
            inner = self.expression()
            self.expect("punct", ")")
            return inner
        path = _path(self.expect("selector").text)
        token = self.take()
        if token.kind == "op":
            return _comparison(path, token.text, self._value(token.text))
        if token.kind == "word":
            return self._keyword(path, token)
        raise PatternError(f"expected an operator after the selector, found {token.text!r}")

    def _keyword(self, path: Path, token: Token) -> Predicate:
        if token.text == "EXISTS":
            return lambda event: _lookup(event, path) is not _MISSING
        if token.text == "NOT":
            self.expect("word", "EXISTS")
            return lambda event: _lookup(event, path) is _MISSING
        if token.text == "IS":
            constant = self.expect("word").text
            expected = {"NULL": None, "TRUE": True, "FALSE": False}
            if constant not in expected:
                raise PatternError(f"IS must be followed by NULL, TRUE or FALSE, not {constant!r}")
            wanted = expected[constant]
            return lambda event: _lookup(event, path) is wanted
        raise PatternError(f"unknown keyword {token.text!r} at character {token.position + 1}")

    def _value(self, operator: str) -> str | float:
        token = self.take()
        if token.kind == "string":
            value: str | float = json.loads(token.text)
        elif token.kind == "word":
            value = float(token.text) if _NUMBER.fullmatch(token.text) else token.text
        else:
            raise PatternError(f"expected a value after {operator}, found {token.text!r}")
        if operator in ("<", "<=", ">", ">=") and not isinstance(value, float):
            raise PatternError(f"{operator} compares numbers only, not {value!r}")
        return value


def _path(selector: str) -> Path:
    parts: list[str | int] = []
    for name, index in re.findall(r"\.([A-Za-z0-9_@-]+)|\[([0-9]+)\]", selector[1:]):
        parts.append(name if name else int(index))
    return tuple(parts)


def _lookup(event: Any, path: Path) -> Any:
    value = event
    for part in path:
        if isinstance(part, int):
            if not isinstance(value, list) or part >= len(value):
                return _MISSING
            value = value[part]
        else:
            if not isinstance(value, dict) or part not in value:
                return _MISSING
            value = value[part]
    return value


def _comparison(path: Path, operator: str, expected: str | float) -> Predicate:
    equal = _string_equal(expected) if isinstance(expected, str) else _number_equal(expected)
    if operator in ("=", "!="):
        wanted = operator == "="

        def compare(event: Any) -> bool:
            value = _lookup(event, path)
            return value is not _MISSING and equal(value) is wanted

        return compare
    assert isinstance(expected, float)  # _value() allows only numbers with <, <=, >, >=
    order: Callable[[float], bool] = {
        "<": lambda value: value < expected,
        "<=": lambda value: value <= expected,
        ">": lambda value: value > expected,
        ">=": lambda value: value >= expected,
    }[operator]

    def ordered(event: Any) -> bool:
        value = _lookup(event, path)
        return _is_number(value) and order(float(value))

    return ordered


def _string_equal(expected: str) -> Predicate:
    regex = re.compile(".*".join(re.escape(piece) for piece in expected.split("*")), re.DOTALL)
    return lambda value: isinstance(value, str) and regex.fullmatch(value) is not None


def _number_equal(expected: float) -> Predicate:
    return lambda value: _is_number(value) and float(value) == expected


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
