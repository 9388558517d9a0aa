"""What an explanation says about one resource that depends on its properties, read from the template.

explanations.toml says what a resource type is; whether this database has a standby,
which path this API resource serves or which services this policy admits differs by lab
and stage, so those words come from the template here, never from the table.
"""

from __future__ import annotations

from typing import Any

from scripts.study.cfn import properties, resources

# Service principals by the name the guides give them.
SERVICE_NAMES = {
    "budgets.amazonaws.com": "Budgets",
    "cloudwatch.amazonaws.com": "CloudWatch",
    "events.amazonaws.com": "EventBridge",
    "lambda.amazonaws.com": "Lambda",
    "s3.amazonaws.com": "S3",
    "sns.amazonaws.com": "SNS",
}
# Policy resources, the property that holds their document, and what the admitted services may do.
POLICIES = {
    "AWS::SNS::TopicPolicy": ("PolicyDocument", "publish"),
    "AWS::SQS::QueuePolicy": ("PolicyDocument", "send messages"),
}


def facts(template: dict[str, Any], logical_id: str) -> str:
    """Sentences to add to the resource's explanation ("" when its type has none)."""
    resource = resources(template)[logical_id]
    kind = resource["Type"]
    if kind == "AWS::RDS::DBInstance":
        return _database(properties(resource))
    if kind == "AWS::RDS::DBSubnetGroup":
        return _subnet_group(template, logical_id)
    if kind == "AWS::ApiGateway::Resource":
        path = api_path(template, logical_id)
        greedy = " (a greedy path variable: every path below it, one integration)" if path.endswith("+}") else ""
        return f"Its path: {path}{greedy}."
    if kind == "AWS::ApiGateway::Method":
        return _method(template, properties(resource))
    if kind in POLICIES:
        key, verb = POLICIES[kind]
        return _admitted(properties(resource).get(key, {}), verb)
    return ""


def _database(props: dict[str, Any]) -> str:
    if props.get("MultiAZ") is True:
        return (
            "Multi-AZ (MultiAZ true): the primary in one AZ, a synchronous standby in another, "
            "and RDS fails over to it (the guide's diagram)."
        )
    return (
        "Single-AZ (MultiAZ false): one instance in one AZ and nothing to fail over to; "
        "db_multi_az: true in cdk.json adds the guide's second instance in another AZ."
    )


def _subnet_group(template: dict[str, Any], logical_id: str) -> str:
    users = [
        props
        for resource in resources(template).values()
        if resource["Type"] == "AWS::RDS::DBInstance"
        and (props := properties(resource)).get("DBSubnetGroupName") == {"Ref": logical_id}
    ]
    if any(props.get("MultiAZ") is True for props in users):
        return "Here Multi-AZ: the primary goes into one of its AZs, the standby into another."
    return "Here single-AZ: the one instance goes into one of its AZs."


def api_path(template: dict[str, Any], logical_id: str) -> str:
    """The URL path of an AWS::ApiGateway::Resource, from its PathPart and its parents'."""
    parts: list[str] = []
    current: str | None = logical_id
    while current is not None:
        props = properties(resources(template)[current])
        parts.insert(0, str(props.get("PathPart", "?")))
        current = _parent_resource(props.get("ParentId"))
    return "/" + "/".join(parts)


def _parent_resource(parent: Any) -> str | None:
    """The parent resource's logical ID; None for the API's root ({"Fn::GetAtt": [api, "RootResourceId"]})."""
    if isinstance(parent, dict) and isinstance(parent.get("Ref"), str):
        return str(parent["Ref"])
    return None


def _method(template: dict[str, Any], props: dict[str, Any]) -> str:
    resource = _parent_resource(props.get("ResourceId"))
    path = api_path(template, resource) if resource is not None else "/"
    integration = props.get("Integration", {}).get("Type", "")
    how = " through the Lambda proxy integration" if integration == "AWS_PROXY" else ""
    return f"Here: {props.get('HttpMethod', '?')} {path}{how}."


def _admitted(document: dict[str, Any], verb: str) -> str:
    services = [
        service
        for statement in document.get("Statement", [])
        if statement.get("Effect") == "Allow"
        for service in _services(statement.get("Principal"))
    ]
    if not services:
        return f"It names no service: only IAM principals of this account whose own policies allow them to {verb}."
    named = ", ".join(f"{SERVICE_NAMES.get(service, service)} ({service})" for service in dict.fromkeys(services))
    return f"Services that may {verb}: {named}."


def _services(principal: Any) -> list[str]:
    if not isinstance(principal, dict):
        return []
    service = principal.get("Service", [])
    return [service] if isinstance(service, str) else [str(name) for name in service]
