"""Value types the labs' config sections share: each check says what is allowed.

A check raises ValueError with the allowed values; `stacks.config` turns it into the
one-line ConfigError that names the key and the value.
"""

from __future__ import annotations

import ipaddress
import re
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, Strict

# Values CloudWatch Logs accepts for RetentionInDays (a log group rejects others at deploy).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827)

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
# family[generation][attributes].size, e.g. t3.micro, t4g.small, m7i-flex.large, c6gn.16xlarge
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d+xlarge)$")
_ACM_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


def _matching(pattern: re.Pattern[str], allowed: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(allowed)
        return value

    return check


EmailAddress = Annotated[
    str, AfterValidator(_matching(_EMAIL, "must be an e-mail address like ops@example.com, or null"))
]
InstanceTypeName = Annotated[
    str,
    AfterValidator(
        _matching(
            _INSTANCE_TYPE, "must be an EC2 instance type like t3.micro or t4g.small (family.size, no 'db.' prefix)"
        )
    ),
]
AcmCertificateArn = Annotated[
    str,
    AfterValidator(
        _matching(_ACM_ARN, "must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/UUID), or null")
    ),
]
RegionName = Annotated[str, AfterValidator(_matching(_REGION, "must be an AWS region name like us-east-1"))]
LogRetentionDays = Literal[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827]
assert typing.get_args(LogRetentionDays) == LOG_RETENTION_DAYS


def private_cidr(min_prefix: int, max_prefix: int) -> Any:
    """A private IPv4 CIDR type with a prefix length in [min_prefix, max_prefix]."""
    allowed = f"must be a private IPv4 CIDR (10/8, 172.16/12 or 192.168/16) with a /{min_prefix}-/{max_prefix} prefix"

    def check(value: str) -> str:
        try:
            network = ipaddress.ip_network(value, strict=True)
        except ValueError:
            raise ValueError(allowed + " and no host bits set") from None
        private = network.version == 4 and any(
            network.subnet_of(ipaddress.IPv4Network(block))
            for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
        )
        if not private or not min_prefix <= network.prefixlen <= max_prefix:
            raise ValueError(allowed)
        return value

    return Annotated[str, AfterValidator(check)]


def unique_items(values: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(set(values)) != len(values):
        raise ValueError("must not repeat an item")
    return values


def amounts(low: float, high: float, *, max_items: int) -> Any:
    """A JSON list of 1..max_items distinct numbers in [low, high], read as a tuple of floats."""
    item = Annotated[float, Strict(), Field(ge=low, le=high)]
    # strict=False on the container only: JSON has lists, the section keeps an immutable tuple.
    return Annotated[
        tuple[item, ...], Field(strict=False, min_length=1, max_length=max_items), AfterValidator(unique_items)
    ]
