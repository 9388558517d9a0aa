"""The filter-pattern evaluator, on small events whose answer is obvious."""

from __future__ import annotations

from typing import Any

import pytest

from scripts.security_baseline.filter_pattern import PatternError, compile_pattern

EVENT: dict[str, Any] = {
    "eventName": "ConsoleLogin",
    "errorCode": "Client.UnauthorizedOperation",
    "userIdentity": {"type": "Root", "arn": "arn:aws:iam::123456789012:root"},
    "additionalEventData": {"MFAUsed": "No"},
    "resources": [{"ARN": "arn:aws:s3:::bucket"}, {"ARN": "arn:aws:s3:::other"}],
    "latency": 250,
    "readOnly": False,
    "responseElements": None,
}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ('{ $.eventName = "ConsoleLogin" }', True),
        ("{ $.eventName = ConsoleLogin }", True),
        ('{ $.eventName = "consolelogin" }', False),  # case-sensitive
        ('{ $.eventName = "Console" }', False),  # whole value, not a substring
        ('{ $.errorCode = "*UnauthorizedOperation" }', True),
        ('{ $.errorCode = "Client.*" }', True),
        ('{ $.errorCode = "AccessDenied*" }', False),
        ("{ $.errorCode = Client.*Operation }", True),
        ('{ $.userIdentity.type = "Root" }', True),
        ('{ $.userIdentity.type != "Root" }', False),
        ('{ $.userIdentity.type != "IAMUser" }', True),
        ('{ $.additionalEventData.MFAUsed != "Yes" }', True),
        ('{ $.resources[1].ARN = "arn:aws:s3:::other" }', True),
        ('{ $.resources[2].ARN = "*" }', False),
        ("{ $.userIdentity.invokedBy NOT EXISTS }", True),
        ("{ $.userIdentity.type NOT EXISTS }", False),
        ("{ $.userIdentity.type EXISTS }", True),
        ("{ $.responseElements IS NULL }", True),
        ("{ $.readOnly IS FALSE }", True),
        ("{ $.readOnly IS TRUE }", False),
        ("{ $.latency > 200 }", True),
        ("{ $.latency <= 200 }", False),
        ("{ $.latency = 250 }", True),
        ('{ $.latency = "250" }', False),  # strings compare with strings only
        ("{ $.eventName > 1 }", False),
    ],
)
def test_one_comparison(pattern: str, expected: bool) -> None:
    assert compile_pattern(pattern).matches(EVENT) is expected


@pytest.mark.parametrize(
    "pattern",
    ['{ $.sourceIPAddress = "*" }', '{ $.sourceIPAddress != "203.0.113.45" }', "{ $.missing.deeper = x }"],
)
def test_a_missing_field_matches_neither_equal_nor_not_equal(pattern: str) -> None:
    assert compile_pattern(pattern).matches(EVENT) is False


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ('{ $.eventName = "ConsoleLogin" && $.userIdentity.type = "Root" }', True),
        ('{ $.eventName = "ConsoleLogin" && $.userIdentity.type = "IAMUser" }', False),
        ('{ ($.eventName = "X") || ($.userIdentity.type = "Root") }', True),
        ('{ ($.eventName = "X") || ($.eventName = "Y") }', False),
        ('{ ($.eventName = "X" || $.eventName = "ConsoleLogin") && $.latency > 100 }', True),
        ('{ ($.eventName = "X" || $.eventName = "ConsoleLogin") && $.latency > 300 }', False),
        ('{ (($.eventName = "X")) }', False),
    ],
)
def test_logic_and_parentheses(pattern: str, expected: bool) -> None:
    assert compile_pattern(pattern).matches(EVENT) is expected


def test_a_json_text_event_is_parsed_and_a_non_json_event_never_matches() -> None:
    pattern = compile_pattern('{ $.eventName = "ConsoleLogin" }')
    assert pattern.matches('{"eventName": "ConsoleLogin"}') is True
    assert pattern.matches("ConsoleLogin") is False
    assert pattern.matches('["ConsoleLogin"]') is False


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ('$.eventName = "x"', "expected { but found '$.eventName'"),
        ('{ $.eventName = "x"', "expected } but found the end of the pattern"),
        ('{ $.a = "x" && $.b = "y" || $.c = "z" }', "&& and || are mixed without parentheses"),
        ('{ $.a = "x" } extra', "text after the closing brace: 'extra' at character 15"),
        ('{ $.a > "x" }', "> compares numbers only, not 'x'"),
        ("{ $.a IS MAYBE }", "IS must be followed by NULL, TRUE or FALSE, not 'MAYBE'"),
        ("{ $.a LIKE x }", "unknown keyword 'LIKE'"),
        ('{ eventName = "x" }', "expected selector but found 'eventName'"),
        ("{ $.a = }", "expected a value after =, found '}'"),
        ("{ $.a = ", "the pattern ends too early"),
    ],
)
def test_patterns_outside_the_subset_are_one_line_errors(pattern: str, message: str) -> None:
    with pytest.raises(PatternError) as raised:
        compile_pattern(pattern)
    assert str(raised.value).startswith(message)
