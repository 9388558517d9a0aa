"""Lab 4: API Gateway REST -> Lambda -> DynamoDB (guide 001 "serverless REST API", 002 `Orders`)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from stacks.components.alarm import notify_when_above
from stacks.components.alert_topic import AlertTopic
from stacks.components.log_retention import log_retention
from stacks.components.python_function import python_function
from stacks.serverless_api.config import ServerlessApiConfig
from stacks.serverless_api.findings import acknowledge_findings
from stacks.serverless_api.firewall import RegionalFirewall
from stacks.serverless_api.rest_api import OrdersRestApi

HANDLER = "orders_api.handler.lambda_handler"
# The index lambda_src/orders_api/store.py queries (a test checks the two names agree).
USER_INDEX = "ByUser"
ALARM_PERIOD = cdk.Duration.minutes(5)
METRICS_NAMESPACE = "CloudOpsLabs/ServerlessApi"


class ServerlessApiStack(cdk.Stack):
    """Client -> API Gateway (REST, regional) -> Lambda (Powertools) -> DynamoDB `Orders`.

    Builds:
    - `OrdersTable`: the guide's Orders table, partition key `order_id`, and the `ByUser`
      index (user_id + created_at) for a user's orders newest first; on-demand, point-in-time
      recovery, AWS-managed encryption; retained and deletion-protected in prod.
    - `OrdersFunction`: Python 3.14 arm64 with the public Powertools layer (REST resolver
      with validation, Logger, Tracer, Metrics), X-Ray active tracing, its own log group,
      and a role that may use four item actions on the table and Query on the index only.
    - `OrdersApi` (stacks/serverless_api/rest_api.py): regional REST API, proxy
      integration, stage throttling, JSON access logs, X-Ray, CORS and API key from config.
    - `Firewall` (with `waf`): AWS WAF rate-based rule per IP and two AWS managed groups.
    - Alarms on an encrypted SNS topic: any 5XX, p99 latency, any throttled request (429).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: ServerlessApiConfig,
        protect_data: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        retention = log_retention(config.log_retention_days)

        table = dynamodb.TableV2(
            self,
            "OrdersTable",
            partition_key=dynamodb.Attribute(name="order_id", type=dynamodb.AttributeType.STRING),
            global_secondary_indexes=[
                dynamodb.GlobalSecondaryIndexPropsV2(
                    index_name=USER_INDEX,
                    partition_key=dynamodb.Attribute(name="user_id", type=dynamodb.AttributeType.STRING),
                    # Fixed-width UTC timestamps sort in time order: the page is newest first.
                    sort_key=dynamodb.Attribute(name="created_at", type=dynamodb.AttributeType.STRING),
                    # An order is ~200 bytes: projecting it all saves a read per listed order.
                    projection_type=dynamodb.ProjectionType.ALL,
                )
            ],
            billing=dynamodb.Billing.on_demand(),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryptionV2.aws_managed_key(),
            deletion_protection=protect_data,
            removal_policy=cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY,
        )

        function = self._orders_function(config, retention, table)
        api = OrdersRestApi(
            self,
            "OrdersApi",
            function=function,
            throttle_rate_per_second=config.throttle_rate_per_second,
            throttle_burst=config.throttle_burst,
            retention=retention,
            cors_allow_origins=config.cors_allow_origins,
            api_key=config.api_key,
            api_key_daily_quota=config.api_key_daily_quota,
            account_logging_role=config.account_logging_role,
            protect_data=protect_data,
        )
        firewall = (
            RegionalFirewall(
                self, "Firewall", stage_arn=api.stage.stage_arn, rate_limit=config.waf_rate_limit_per_5_minutes
            )
            if config.waf
            else None
        )

        acknowledge_findings(function=function, api=api, waf=firewall is not None)
        self._alarms(config, api)

        cdk.CfnOutput(self, "TableName", value=table.table_name, description="DynamoDB table of the orders")
        cdk.CfnOutput(self, "FunctionLogGroup", value=function.log_group.log_group_name, description="Function logs")
        cdk.CfnOutput(
            self,
            "AccessLogGroup",
            value=api.access_logs.log_group_name,
            description="API Gateway access logs, one JSON line per request",
        )
        if api.api_key is not None:
            cdk.CfnOutput(
                self,
                "ApiKeyId",
                value=api.api_key.key_id,
                description="The caller key's id: aws apigateway get-api-key --api-key <id> --include-value",
            )
        if firewall is not None:
            cdk.CfnOutput(self, "WebAclArn", value=firewall.web_acl.attr_arn, description="WAF web ACL of the stage")

    def _orders_function(
        self, config: ServerlessApiConfig, retention: logs.RetentionDays, table: dynamodb.TableV2
    ) -> lambda_.Function:
        function = python_function(
            self,
            log_group_id="OrdersLogs",
            role_id="OrdersRole",
            function_id="OrdersFunction",
            package="orders_api",
            handler=HANDLER,
            role_description="Orders API: write logs, X-Ray, read and write orders, query the by-user index",
            log_retention=retention,
            timeout=cdk.Duration.seconds(config.function_timeout_seconds),
            memory_size=config.function_memory_mb,
            environment={
                "TABLE_NAME": table.table_name,
                "CORS_ALLOW_ORIGINS": ",".join(config.cors_allow_origins),
                "POWERTOOLS_SERVICE_NAME": "orders-api",
                "POWERTOOLS_LOG_LEVEL": "INFO",
            },
        ).function
        # The four item actions the code uses, on the table; Query on the one index. Not
        # table.grant(): with an index it would also grant the item actions on index/*.
        iam.Grant.add_to_principal(
            grantee=function,
            actions=["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
            resource_arns=[table.table_arn],
        )
        iam.Grant.add_to_principal(
            grantee=function, actions=["dynamodb:Query"], resource_arns=[f"{table.table_arn}/index/{USER_INDEX}"]
        )
        return function

    def _alarms(self, config: ServerlessApiConfig, api: OrdersRestApi) -> None:
        alerts = AlertTopic(
            self,
            "Alerts",
            display_name="Serverless API alerts",
            email=config.alarm_email,
        )
        # REST APIs publish no metric of throttled requests: count the 429s in the access logs.
        throttled = logs.MetricFilter(
            self,
            "ThrottledRequestsFilter",
            log_group=api.access_logs,
            filter_pattern=logs.FilterPattern.string_value("$.status", "=", "429"),
            metric_namespace=METRICS_NAMESPACE,
            metric_name="ThrottledRequests",
            metric_value="1",
        )
        notify_when_above(
            self,
            "ServerErrorsAlarm",
            metric=api.stage.metric_server_error(statistic=cloudwatch.Stats.SUM, period=ALARM_PERIOD),
            topic=alerts.topic,
            # Every client mistake is a 4xx by design: a 5xx is a fault of ours or of AWS.
            description="The API answered 5XX: read the function's logs by the request id in the answer",
        )
        notify_when_above(
            self,
            "LatencyAlarm",
            metric=api.stage.metric_latency(statistic=cloudwatch.Stats.percentile(99), period=ALARM_PERIOD),
            topic=alerts.topic,
            threshold=config.p99_latency_alarm_ms,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            description=f"p99 latency above {config.p99_latency_alarm_ms} ms in 2 of 3 periods of 5 min",
        )
        notify_when_above(
            self,
            "ThrottledRequestsAlarm",
            metric=throttled.metric(statistic=cloudwatch.Stats.SUM, period=ALARM_PERIOD),
            topic=alerts.topic,
            description="API Gateway answered 429: callers exceed the stage or usage plan throttle",
        )
