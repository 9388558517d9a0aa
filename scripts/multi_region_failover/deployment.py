"""What verify and the failover drill know about the deployed lab, read from the DNS stack's outputs."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scripts.multi_region_failover.dns_query import AuthoritativeResolver, Resolver
from scripts.stack_outputs import ScriptError
from stacks.multi_region_failover import names

TIMEOUT_S = 10
# (url) -> (status, JSON body); tests swap it for a stand-in that plays both regions' ALBs.
HttpGet = Callable[[str], tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class Deployment:
    record: str  # www.<zone>
    name_servers: tuple[str, ...]
    health_check_id: str
    scheme: str  # http, or https with a certificate
    regions: Mapping[str, str]  # role -> region: {"primary": "us-east-1", "secondary": "eu-west-1"}
    load_balancers: Mapping[str, str]  # role -> the ALB's DNS name
    down_parameter: str
    table: str

    @classmethod
    def from_outputs(cls, outputs: Mapping[str, str]) -> Deployment:
        wanted = [
            names.OUTPUT_RECORD,
            names.OUTPUT_NAME_SERVERS,
            names.OUTPUT_HEALTH_CHECK,
            names.OUTPUT_SCHEME,
            names.OUTPUT_PRIMARY_REGION,
            names.OUTPUT_SECONDARY_REGION,
            names.OUTPUT_PRIMARY_ALB,
            names.OUTPUT_SECONDARY_ALB,
            names.OUTPUT_DOWN_PARAMETER,
            names.OUTPUT_TABLE,
        ]
        missing = [key for key in wanted if key not in outputs]
        if missing:
            raise ScriptError(f"the stack has no output {missing[0]}: is it the multi-region-failover DNS stack?")
        return cls(
            record=outputs[names.OUTPUT_RECORD],
            name_servers=tuple(server for server in outputs[names.OUTPUT_NAME_SERVERS].split(",") if server),
            health_check_id=outputs[names.OUTPUT_HEALTH_CHECK],
            scheme=outputs[names.OUTPUT_SCHEME],
            regions={
                "primary": outputs[names.OUTPUT_PRIMARY_REGION],
                "secondary": outputs[names.OUTPUT_SECONDARY_REGION],
            },
            load_balancers={
                "primary": outputs[names.OUTPUT_PRIMARY_ALB],
                "secondary": outputs[names.OUTPUT_SECONDARY_ALB],
            },
            down_parameter=outputs[names.OUTPUT_DOWN_PARAMETER],
            table=outputs[names.OUTPUT_TABLE],
        )

    def url(self, role: str, path: str = "/") -> str:
        return f"{self.scheme}://{self.load_balancers[role]}{path}"

    def zone_resolver(self) -> Resolver:
        return AuthoritativeResolver(self.name_servers)


def answered_role(deployment: Deployment, zone: Resolver, public: Resolver) -> str | None:
    """Which region the zone's answer for the record leads to: the ALB whose addresses it holds.

    An alias answer is the ALB's own current addresses, so the two sets overlap; an answer that
    matches neither (a change in flight, an empty answer) is None, and the caller asks again.
    """
    answer = zone.addresses(deployment.record)
    for role, load_balancer in deployment.load_balancers.items():
        if answer and answer & public.addresses(load_balancer):
            return role
    return None


def http_get_json(url: str) -> tuple[int, dict[str, Any]]:
    """GET `url`; an HTTP error status is an answer. With HTTPS the ALB's certificate names the
    learner's domain, not the ALB's DNS name asked here, so only the hostname check is off: the
    answer is read for its region, never trusted with anything."""
    context = ssl.create_default_context()
    context.check_hostname = False
    request = urllib.request.Request(url, headers={"User-Agent": "cloudops-cdk-labs-verify"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S, context=context) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        with error:
            body = error.read()
        try:
            return error.code, json.loads(body or b"{}")
        except json.JSONDecodeError:
            return error.code, {}
