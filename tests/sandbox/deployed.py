"""Stand-ins for what a real account holds: a bootstrap, deployed lab stacks (moto CloudFormation)."""

from __future__ import annotations

import json
from typing import Any

# The smallest template moto's CloudFormation deploys: one queue, optional outputs.
QUEUE = {"Queue": {"Type": "AWS::SQS::Queue"}}


def create_stack(
    session: Any,
    region: str,
    name: str,
    *,
    outputs: dict[str, str] | None = None,
    tags: dict[str, str] | None = None,
) -> str:
    template = {
        "Resources": QUEUE,
        "Outputs": {key: {"Value": value} for key, value in (outputs or {}).items()},
    }
    stack_id: str = session.client("cloudformation", region_name=region).create_stack(
        StackName=name,
        TemplateBody=json.dumps(template),
        Tags=[{"Key": key, "Value": value} for key, value in (tags or {}).items()],
    )["StackId"]
    return stack_id


def bootstrap(session: Any, region: str, version: int = 30) -> None:
    """What `cdk bootstrap` leaves that deployments read: the version parameter."""
    session.client("ssm", region_name=region).put_parameter(
        Name="/cdk-bootstrap/hnb659fds/version", Value=str(version), Type="String"
    )
