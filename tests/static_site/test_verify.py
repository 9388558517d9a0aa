"""scripts/static_site/verify.py against local HTTPS stand-ins (127.0.0.1 only): passes when the
'distribution' serves site/ as the stack configures it, fails one check per fault."""

from __future__ import annotations

import io
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.sandbox.checks import CheckResult, Waiter
from scripts.static_site import verify
from tests.static_site.local_https import SITE, Behaviour, https_server, self_signed_certificate

NAMES = (
    "the site serves site/index.html over HTTPS",
    "the answer carries the security headers",
    "a missing page answers 404 with site/404.html",
    "the bucket refuses a direct request",
)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps += 1


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trust(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A client context that trusts the stand-ins' certificate (and verifies it, host name included)."""
    return ssl.create_default_context(cafile=str(certificate[0]))


@pytest.fixture
def site() -> Behaviour:
    return Behaviour()


@pytest.fixture
def bucket() -> Behaviour:
    return Behaviour(always=403)


@pytest.fixture
def outputs(site: Behaviour, bucket: Behaviour, certificate: tuple[Path, Path]) -> Iterator[dict[str, str]]:
    with https_server(site, *certificate) as site_host, https_server(bucket, *certificate) as bucket_host:
        yield {"SiteUrl": f"https://{site_host}/", "BucketRegionalDomainName": bucket_host}


def run(
    outputs: dict[str, str], context: ssl.SSLContext | None, time: FakeTime | None = None
) -> dict[str, CheckResult]:
    time = time or FakeTime()
    waiter = Waiter(out=io.StringIO(), clock=time.clock, sleep=time.sleep)
    results = verify.run_checks(None, outputs, "sandbox", waiter, ssl_context=context, timeout_s=30)
    assert tuple(result.name for result in results) == NAMES
    return {result.name: result for result in results}


def failures(results: dict[str, CheckResult]) -> dict[str, str]:
    return {name: result.detail for name, result in results.items() if not result.passed}


def test_every_check_passes_when_the_site_is_served_as_configured(
    outputs: dict[str, str], trust: ssl.SSLContext, site: Behaviour, bucket: Behaviour
) -> None:
    results = run(outputs, trust)
    assert failures(results) == {}
    index_size = len((SITE / "index.html").read_bytes())
    assert results[NAMES[0]].detail == f"200 with site/index.html ({index_size} bytes)"
    assert results[NAMES[1]].detail == "HSTS max-age 63072000, CSP, nosniff, frame options DENY"
    # The home page is fetched once for the first two checks; the bucket is asked for index.html
    assert site.requests.count("/") == 1
    assert [path for path in site.requests if path.startswith("/no-such-page-")]
    assert bucket.requests == ["/index.html"]


def test_an_untrusted_certificate_fails_the_https_checks(outputs: dict[str, str]) -> None:
    # Given the system trust store, which does not know the stand-ins' self-signed certificate
    results = run(outputs, None, FakeTime())
    # Then the page is never accepted: HTTPS is verified, not just spoken
    assert not results[NAMES[0]].passed
    assert "not done after 30 s" in results[NAMES[0]].detail


def test_a_stale_deployment_is_named(outputs: dict[str, str], trust: ssl.SSLContext, site: Behaviour) -> None:
    site.pages = {"/index.html": b"<!DOCTYPE html><title>old</title>"}
    assert failures(run(outputs, trust)) == {
        NAMES[0]: "AssertionError: the body (33 bytes) is not site/index.html: deploy again?"
    }


def test_missing_security_headers_are_listed(outputs: dict[str, str], trust: ssl.SSLContext, site: Behaviour) -> None:
    site.headers = {"Strict-Transport-Security": "max-age=300", "X-Frame-Options": "DENY"}
    assert failures(run(outputs, trust)) == {
        NAMES[1]: "AssertionError: strict-transport-security 'max-age=300' (want max-age >= 31536000); "
        "content-security-policy '' (want a default-src and no 'unsafe-inline'); "
        "x-content-type-options None (want nosniff)"
    }


def test_an_inline_friendly_csp_is_refused(outputs: dict[str, str], trust: ssl.SSLContext, site: Behaviour) -> None:
    site.headers = {**site.headers, "Content-Security-Policy": "default-src 'self' 'unsafe-inline'"}
    assert list(failures(run(outputs, trust))) == [NAMES[1]]


def test_a_missing_page_without_the_custom_error_response_fails(
    outputs: dict[str, str], trust: ssl.SSLContext, site: Behaviour
) -> None:
    # Given S3's own answer for a missing key behind OAC (403, no ListBucket) passed through
    site.missing_status, site.missing_body = 403, b"<Error><Code>AccessDenied</Code></Error>"
    assert failures(run(outputs, trust)) == {NAMES[2]: "AssertionError: status 403, expected 404"}


def test_a_bucket_that_answers_directly_fails(
    outputs: dict[str, str], trust: ssl.SSLContext, bucket: Behaviour
) -> None:
    bucket.always = 200
    assert failures(run(outputs, trust)) == {
        NAMES[3]: "AssertionError: the bucket answered 200 to a direct request, expected 403"
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_site_is_waited_for_once_then_reported(trust: ssl.SSLContext) -> None:
    # Given nothing listening at the site's address
    outputs = {"SiteUrl": f"https://127.0.0.1:{free_port()}", "BucketRegionalDomainName": f"127.0.0.1:{free_port()}"}
    time = FakeTime()
    results = run(outputs, trust, time)
    # Then both home-page checks report the timeout, after one wait (not one per check)
    assert results[NAMES[0]].detail == results[NAMES[1]].detail
    assert results[NAMES[0]].detail.startswith("WaitTimeout: https://127.0.0.1:")
    assert time.now == pytest.approx(30)
    assert not results[NAMES[3]].passed


@pytest.mark.parametrize(
    ("outputs", "expected"),
    [
        ({"BucketRegionalDomainName": "b.s3.us-east-1.amazonaws.com"}, "LookupError: the stack has no output SiteUrl"),
        (
            {"SiteUrl": "http://d111.cloudfront.net/", "BucketRegionalDomainName": "b"},
            "ValueError: SiteUrl must be an https:// URL, not 'http://d111.cloudfront.net/'",
        ),
    ],
)
def test_bad_outputs_fail_the_site_checks_with_one_line(outputs: dict[str, str], expected: str) -> None:
    results = run(outputs, None)
    assert [results[name].detail for name in NAMES[:3]] == [expected] * 3


def test_a_missing_bucket_output_fails_only_the_bucket_check(outputs: dict[str, str], trust: ssl.SSLContext) -> None:
    del outputs["BucketRegionalDomainName"]
    assert failures(run(outputs, trust)) == {NAMES[3]: "LookupError: the stack has no output BucketRegionalDomainName"}


def test_verify_needs_no_aws_session() -> None:
    # The checks are plain HTTPS: `session` may be anything (the sandbox loop passes a boto3 Session)
    results: Any = verify.run_checks(object(), {}, "prod", Waiter(out=io.StringIO()))
    assert [result.passed for result in results] == [False] * 4
