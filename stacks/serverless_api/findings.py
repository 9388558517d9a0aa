"""cdk-nag findings that do not apply to this lab, each acknowledged on the construct it names."""

from __future__ import annotations

from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from constructs import IConstruct

from stacks.components.acknowledge import acknowledge
from stacks.serverless_api.rest_api import OrdersRestApi


def _resource(construct: IConstruct) -> IConstruct:
    child = construct.node.default_child
    assert child is not None, f"{construct.node.path} has no CloudFormation resource"
    return child


def acknowledge_findings(*, function: lambda_.Function, api: OrdersRestApi, waf: bool) -> None:
    assert function.role is not None
    acknowledge(
        function.role.node.find_child("DefaultPolicy"),
        "AwsSolutions-IAM5[Resource::*]",
        "X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so active "
        "tracing needs Resource *; the DynamoDB statements name the table and the ByUser index only.",
    )
    acknowledge(
        _resource(function),
        "Serverless-LambdaDLQ",
        "API Gateway invokes the function synchronously and returns its error to the caller; a function "
        "dead-letter queue only receives failed asynchronous invocations, which never happen here.",
    )
    acknowledge(
        _resource(api.api),
        "AwsSolutions-APIG2",
        "The function checks every request in plain Python (orders_api/validation.py, tested to accept exactly "
        "what the models behind docs/serverless-api/openapi.json accept) and answers 400 naming the fields; "
        "proxy methods have no request models for an API Gateway validator to check against.",
    )
    role = api.api.node.try_find_child("CloudWatchRole")
    if role is not None:
        acknowledge(
            role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AmazonAPIGatewayPushToCloudWatchLogs]",
            "This is the account-level role API Gateway assumes to write every API's logs in the region; AWS "
            "documents this managed policy for it, and the log group names API Gateway picks are not known here.",
        )
    for method in api.api.methods:
        if method.http_method == "ANY":
            for rule_id in ("AwsSolutions-APIG4", "AwsSolutions-COG4"):
                acknowledge(
                    method,
                    rule_id,
                    "The guide's orders API is public on purpose: the lab shows throttling, WAF and an optional "
                    "API key (which identifies callers for quotas, it is not authorization); add a Cognito or IAM "
                    "authorizer before it holds real customers' orders.",
                )
    if not waf:
        stage = api.stage
        assert isinstance(stage, apigateway.Stage)
        acknowledge(
            stage,
            "AwsSolutions-APIG3",
            "AWS WAF is the waf option (about 8 USD a month before requests), on in prod; the sandbox stage is "
            "throttled to a few requests per second and holds only test orders.",
        )
