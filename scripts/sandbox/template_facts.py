"""What a synthesized template asks of the account on deploy day, read from the template alone.

The preflight's deploy-day checks (scripts/sandbox/deploy_day.py) ask AWS about these:
the SSM parameters CloudFormation resolves, the RDS engine versions and classes, the EC2
instance types, the Availability Zones picked by position (`Fn::Select` over `Fn::GetAZs`),
the ALB listener certificates, and the resources an account may hold only one of per
region (a GuardDuty detector, an AWS Config recorder and delivery channel).
Values that are tokens (`Ref`, `Fn::GetAtt` ...) are not known before the deploy and are skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

SSM_PARAMETER_TYPE = "AWS::SSM::Parameter::Value<"
# The bootstrap version parameter: the preflight's bootstrap check reads it already.
BOOTSTRAP_PARAMETER = "BootstrapVersion"
# {{resolve:ssm:name}} or {{resolve:ssm:name:version}} (not ssm-secure: SecureString).
DYNAMIC_SSM = re.compile(r"\{\{resolve:ssm:([^:}]+)(?::\d+)?\}\}")
DETECTOR = "AWS::GuardDuty::Detector"
CONFIG_RECORDER = "AWS::Config::ConfigurationRecorder"
DELIVERY_CHANNEL = "AWS::Config::DeliveryChannel"


@dataclass(frozen=True)
class DbInstance:
    engine: str
    version: str
    instance_class: str


@dataclass(frozen=True)
class TemplateFacts:
    ssm_parameters: tuple[str, ...]
    db_instances: tuple[DbInstance, ...]
    instance_types: tuple[str, ...]
    zone_positions: tuple[int, ...]  # indexes into Fn::GetAZs, in the stack's region
    certificates: tuple[str, ...]  # ACM certificate ARNs of load balancer listeners
    resource_types: frozenset[str]


def template_facts(template: dict[str, Any]) -> TemplateFacts:
    resources: dict[str, Any] = template.get("Resources", {})
    by_type = [(resource.get("Type", ""), resource.get("Properties", {})) for resource in resources.values()]
    return TemplateFacts(
        ssm_parameters=tuple(sorted(_ssm_parameters(template))),
        db_instances=tuple(sorted(set(_db_instances(by_type)), key=str)),
        instance_types=tuple(sorted(set(_instance_types(by_type)))),
        zone_positions=tuple(sorted(set(_zone_positions(resources)))),
        certificates=tuple(sorted(set(_certificates(by_type)))),
        resource_types=frozenset(kind for kind, _ in by_type),
    )


def _ssm_parameters(template: dict[str, Any]) -> set[str]:
    names = {
        str(parameter["Default"])
        for key, parameter in template.get("Parameters", {}).items()
        if key != BOOTSTRAP_PARAMETER
        and str(parameter.get("Type", "")).startswith(SSM_PARAMETER_TYPE)
        and isinstance(parameter.get("Default"), str)
    }
    names |= set(DYNAMIC_SSM.findall(json.dumps(template.get("Resources", {}))))
    return names


def _db_instances(by_type: list[tuple[str, dict[str, Any]]]) -> Iterator[DbInstance]:
    for kind, properties in by_type:
        if kind != "AWS::RDS::DBInstance":
            continue
        values = (properties.get("Engine"), properties.get("EngineVersion"), properties.get("DBInstanceClass"))
        if all(isinstance(value, str) for value in values):
            yield DbInstance(*values)  # type: ignore[arg-type]


def _instance_types(by_type: list[tuple[str, dict[str, Any]]]) -> Iterator[str]:
    for kind, properties in by_type:
        if kind == "AWS::EC2::Instance":
            value = properties.get("InstanceType")
        elif kind == "AWS::EC2::LaunchTemplate":
            value = properties.get("LaunchTemplateData", {}).get("InstanceType")
        else:
            continue
        if isinstance(value, str):
            yield value


def _zone_positions(node: Any) -> Iterator[int]:
    """Every i of {"Fn::Select": [i, {"Fn::GetAZs": ...}]} anywhere in `node`."""
    if isinstance(node, dict):
        select = node.get("Fn::Select")
        if isinstance(select, list) and len(select) == 2 and _is_get_azs(select[1]) and str(select[0]).isdigit():
            yield int(select[0])
        for value in node.values():
            yield from _zone_positions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _zone_positions(value)


def _is_get_azs(node: Any) -> bool:
    return isinstance(node, dict) and "Fn::GetAZs" in node


def _certificates(by_type: list[tuple[str, dict[str, Any]]]) -> Iterator[str]:
    for kind, properties in by_type:
        if kind not in {"AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::ListenerCertificate"}:
            continue
        for certificate in properties.get("Certificates", []):
            arn = certificate.get("CertificateArn") if isinstance(certificate, dict) else None
            if isinstance(arn, str) and arn.startswith("arn:"):
                yield arn
