"""What `make mutate` found the failover site's tests did not pin: every answer exactly, the
switch's cache measured from when it was read (on a clock that does not start at 0)."""

from __future__ import annotations

import json

import pytest
from failover_site import logic


@pytest.mark.parametrize(
    ("status", "description"),
    [(200, "200 OK"), (404, "404 Not Found"), (405, "405 Method Not Allowed"), (503, "503 Service Unavailable")],
)
def test_every_answer_has_its_exact_alb_response(status: int, description: str) -> None:
    # An ALB Lambda target answers statusCode, statusDescription ("<code> <reason>"), headers, body
    # (Elastic Load Balancing User Guide, "Lambda functions as targets": response format).
    assert logic.Answer(status, {"k": "v"}).as_alb_response() == {
        "statusCode": status,
        "statusDescription": description,
        "isBase64Encoded": False,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
        "body": json.dumps({"k": "v"}),
    }


def test_a_status_without_a_reason_is_described_by_its_code_alone() -> None:
    assert logic.Answer(418, {}).as_alb_response()["statusDescription"] == "418"


def test_the_cache_period_counts_from_the_read_not_from_zero() -> None:
    now = [100.0]
    values = iter(["false", "true"])
    switch = logic.DownSwitch(lambda: next(values), cache_seconds=5, clock=lambda: now[0])
    assert switch.is_down() is False  # read at 100: "false"
    now[0] = 104.9
    assert switch.is_down() is False  # cached
    now[0] = 105.0
    assert switch.is_down() is True  # 5 s after the read: read again


def test_a_cached_down_is_answered_as_down() -> None:
    now = [50.0]
    values = iter(["true", "false"])
    switch = logic.DownSwitch(lambda: next(values), cache_seconds=5, clock=lambda: now[0])
    assert switch.is_down() is True
    now[0] = 52.0
    assert switch.is_down() is True  # the cached value, not the read time


def up() -> logic.DownSwitch:
    return logic.DownSwitch(lambda: "false", cache_seconds=0)


def test_head_is_answered_like_get() -> None:
    # Route 53 health checks use GET; a browser or curl -I sends HEAD: both are answered.
    assert logic.answer("HEAD", "/health", region="r", switch=up(), visit=lambda: 0).status == 200
    # HTTP methods are case-sensitive (RFC 9110, section 9.1): "head" is not HEAD.
    assert logic.answer("head", "/health", region="r", switch=up(), visit=lambda: 0).status == 405


def test_the_refusals_say_what_is_allowed() -> None:
    refused = logic.answer("POST", "/", region="r", switch=up(), visit=lambda: 0)
    assert refused.body == {"message": "method POST not allowed: use GET"}
    missing = logic.answer("GET", "/admin", region="r", switch=up(), visit=lambda: 0)
    assert missing.body == {"message": "not found: try / or /health"}
