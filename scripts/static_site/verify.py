"""`verify` for the static-site lab: the distribution serves the repository's site/ over
HTTPS with the security headers, and the bucket itself turns a direct request away.

Checks, each independent of the others' outcome:
- the site's URL (HTTPS) answers 200 with exactly site/index.html;
- that answer carries HSTS, a content security policy, nosniff and frame options;
- an address with no page answers 404 with exactly site/404.html (the custom error page);
- the bucket's own regional URL answers 403 (Origin Access Control: only CloudFront gets in).
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scripts.sandbox.checks import CheckResult, Waiter, check

SITE = Path(__file__).resolve().parents[2] / "site"
SITE_URL_OUTPUT = "SiteUrl"
BUCKET_DOMAIN_OUTPUT = "BucketRegionalDomainName"
ONE_YEAR_S = 31_536_000
TIMEOUT_S = 10


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to check (HTTP -> HTTPS, a wrong bucket region), not something to follow."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str, context: ssl.SSLContext | None) -> Answer:
    """GET without following redirects; an HTTP error status is an answer, not an exception."""
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _NoRedirects())
    # No Accept-Encoding: the body comes back as stored, to compare byte for byte with site/.
    request = urllib.request.Request(url, headers={"User-Agent": "cloudops-cdk-labs-verify"})
    try:
        with opener.open(request, timeout=TIMEOUT_S) as response:
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def site_url(outputs: Mapping[str, str]) -> str:
    if SITE_URL_OUTPUT not in outputs:
        raise LookupError(f"the stack has no output {SITE_URL_OUTPUT}")
    url = outputs[SITE_URL_OUTPUT]
    if urlsplit(url).scheme != "https":
        raise ValueError(f"{SITE_URL_OUTPUT} must be an https:// URL, not {url!r}")
    return url if url.endswith("/") else url + "/"


def bucket_url(outputs: Mapping[str, str]) -> str:
    if BUCKET_DOMAIN_OUTPUT not in outputs:
        raise LookupError(f"the stack has no output {BUCKET_DOMAIN_OUTPUT}")
    return f"https://{outputs[BUCKET_DOMAIN_OUTPUT]}/index.html"


def expect_page(answer: Answer, status: int, page: str) -> str:
    expected = (SITE / page).read_bytes()
    if answer.status != status:
        raise AssertionError(f"status {answer.status}, expected {status}")
    if answer.body != expected:
        raise AssertionError(f"the body ({len(answer.body)} bytes) is not site/{page}: deploy again?")
    return f"{status} with site/{page} ({len(expected)} bytes)"


def expect_security_headers(answer: Answer) -> str:
    headers = answer.headers
    problems = []
    hsts = headers.get("strict-transport-security", "")
    max_age = next((part.split("=", 1)[1] for part in hsts.split(";") if part.strip().startswith("max-age=")), "0")
    if not max_age.strip().isdigit() or int(max_age) < ONE_YEAR_S:
        problems.append(f"strict-transport-security {hsts!r} (want max-age >= {ONE_YEAR_S})")
    csp = headers.get("content-security-policy", "")
    if "default-src" not in csp or "'unsafe-inline'" in csp:
        problems.append(f"content-security-policy {csp!r} (want a default-src and no 'unsafe-inline')")
    if headers.get("x-content-type-options", "").lower() != "nosniff":
        problems.append(f"x-content-type-options {headers.get('x-content-type-options')!r} (want nosniff)")
    if headers.get("x-frame-options", "").upper() not in ("DENY", "SAMEORIGIN"):
        problems.append(f"x-frame-options {headers.get('x-frame-options')!r} (want DENY)")
    if problems:
        raise AssertionError("; ".join(problems))
    return f"HSTS max-age {max_age.strip()}, CSP, nosniff, frame options {headers['x-frame-options']}"


def run_checks(
    session: Any,
    outputs: dict[str, str],
    stage: str,
    wait: Waiter,
    *,
    ssl_context: ssl.SSLContext | None = None,
    timeout_s: float = 300,
) -> list[CheckResult]:
    """The four checks of the module docstring. `session` and `stage` are unused: the checks are
    plain HTTPS requests, the same in both stages. `ssl_context` defaults to the system's trust store.
    """
    home: list[Answer | Exception] = []  # the home page is fetched once, for two checks

    def home_page() -> Answer:
        if not home:
            url = site_url(outputs)

            def reachable() -> Answer | None:
                # A fresh distribution's name can take a moment to resolve everywhere.
                try:
                    return fetch(url, ssl_context)
                except (urllib.error.URLError, TimeoutError, ConnectionError):
                    return None

            try:
                home.append(wait.until(f"{url} to answer", reachable, timeout_s=timeout_s, every_s=10))
            except Exception as error:  # kept: the second check reports it without waiting again
                home.append(error)
        if isinstance(home[0], Exception):
            raise home[0]
        return home[0]

    def missing_page() -> str:
        url = site_url(outputs) + f"no-such-page-{uuid.uuid4().hex[:8]}"
        return expect_page(fetch(url, ssl_context), 404, "404.html")

    def bucket_refuses() -> str:
        answer = fetch(bucket_url(outputs), ssl_context)
        if answer.status != 403:
            raise AssertionError(f"the bucket answered {answer.status} to a direct request, expected 403")
        return "403: only the distribution may read the bucket"

    checks: list[tuple[str, Callable[[], str]]] = [
        ("the site serves site/index.html over HTTPS", lambda: expect_page(home_page(), 200, "index.html")),
        ("the answer carries the security headers", lambda: expect_security_headers(home_page())),
        ("a missing page answers 404 with site/404.html", missing_page),
        ("the bucket refuses a direct request", bucket_refuses),
    ]
    return [check(name, action) for name, action in checks]
