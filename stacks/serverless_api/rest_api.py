"""The orders API's front door: a regional REST API proxying every request to one function."""

from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

# The stage name is part of every URL (https://<id>.execute-api.<region>.amazonaws.com/v1/orders).
# A version, not the lab's stage: a learner deploys one stage per account, and the path stays
# the same in both (docs/serverless-api/openapi.json names it).
STAGE_NAME = "v1"
_F = apigateway.AccessLogField
# One JSON object per request: what a throttled, refused or failed request looks like
# without turning on execution logs' full request dumps. Metric filters read `status`.
ACCESS_LOG_FIELDS = {
    "requestId": _F.context_request_id(),
    "ip": _F.context_identity_source_ip(),
    "requestTime": _F.context_request_time(),
    "httpMethod": _F.context_http_method(),
    "path": _F.context_path(),
    "status": _F.context_status(),
    "protocol": _F.context_protocol(),
    "responseLength": _F.context_response_length(),
    "responseLatency": _F.context_response_latency(),
    "integrationLatency": _F.context_integration_latency(),
    "integrationStatus": _F.context_integration_status(),
    "errorType": _F.context_error_response_type(),
    "errorMessage": _F.context_error_message(),
    "apiKeyId": _F.context_identity_api_key_id(),
    "wafResponseCode": _F.context_waf_response_code(),
    "xrayTraceId": _F.context_xray_trace_id(),
    "userAgent": _F.context_identity_user_agent(),
}


class OrdersRestApi(Construct):
    """A regional REST API with Lambda proxy integration (guide 002 "API Gateway Proxy Integration").

    Defaults:
    - Every path and method goes to the function (`/` and `/{proxy+}`, ANY): the function
      answers unknown routes (404) and wrong methods (405) with the same JSON errors as the
      rest, and its routes are the OpenAPI document's.
    - Stage `v1`: throttling (rate, burst), X-Ray tracing, JSON access logs and ERROR-level
      execution logs (no request bodies: data tracing off), both to log groups the stack
      owns, with retention, deleted with the stack.
    - `account_logging_role`: API Gateway writes logs only once the account (per region)
      names a CloudWatch Logs role; this sets it. It is an account-wide setting: destroying
      the sandbox deletes the role, and the setting then names a role that is gone.
    - CORS preflight answered by API Gateway for the configured origins only (the function
      adds the CORS headers of real responses); none when no origin is configured.
    - With `api_key`: every method but the preflight needs `x-api-key`; a usage plan gives
      each key the stage's throttle and an optional daily quota.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        function: lambda_.IFunction,
        throttle_rate_per_second: int,
        throttle_burst: int,
        retention: logs.RetentionDays,
        cors_allow_origins: tuple[str, ...],
        api_key: bool,
        api_key_daily_quota: int | None,
        account_logging_role: bool,
        protect_data: bool,
    ) -> None:
        super().__init__(scope, construct_id)

        self.access_logs = logs.LogGroup(
            self, "AccessLogs", retention=retention, removal_policy=cdk.RemovalPolicy.DESTROY
        )
        cors = (
            apigateway.CorsOptions(
                allow_origins=list(cors_allow_origins),
                allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
                allow_headers=["Content-Type", "X-Api-Key", "X-Amz-Date", "Authorization", "X-Amz-Security-Token"],
                max_age=cdk.Duration.minutes(10),
            )
            if cors_allow_origins
            else None
        )
        self.api = apigateway.LambdaRestApi(
            self,
            "Api",
            handler=function,
            proxy=True,
            # API Gateway's metrics are keyed by ApiName and Stage, not by id: CDK's default name ("Api")
            # would share the 5XX and latency alarms' metrics with every other REST API of that name and
            # stage in the region (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html).
            # The stack name is unique in the account and region.
            rest_api_name=f"{cdk.Stack.of(self).stack_name}-Orders",
            description="Orders API of the serverless-api lab (guide 001: Lambda + API Gateway + DynamoDB)",
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            default_cors_preflight_options=cors,
            default_method_options=apigateway.MethodOptions(api_key_required=True) if api_key else None,
            cloud_watch_role=account_logging_role,
            # (CDK refuses a removal policy for a role it does not make.)
            cloud_watch_role_removal_policy=(cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY)
            if account_logging_role
            else None,
            deploy_options=apigateway.StageOptions(
                stage_name=STAGE_NAME,
                throttling_rate_limit=throttle_rate_per_second,
                throttling_burst_limit=throttle_burst,
                tracing_enabled=True,
                access_log_destination=apigateway.LogGroupLogDestination(self.access_logs),
                access_log_format=apigateway.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS)),
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                # Per-method metrics are custom metrics (billed each); the stage's are free.
                metrics_enabled=False,
            ),
        )
        self.stage = self.api.deployment_stage
        # API Gateway writes execution logs to a group it names itself and would create on
        # first use, outside the stack and without retention. Made here first, it has both.
        self.execution_logs = logs.LogGroup(
            self,
            "ExecutionLogs",
            log_group_name=f"API-Gateway-Execution-Logs_{self.api.rest_api_id}/{STAGE_NAME}",
            retention=retention,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.stage.node.add_dependency(self.execution_logs)
        self._url_output()

        self.api_key: apigateway.IApiKey | None = None
        if api_key:
            plan = self.api.add_usage_plan(
                "UsagePlan",
                description="Each key: the stage's throttle, and the daily quota if one is configured",
                throttle=apigateway.ThrottleSettings(rate_limit=throttle_rate_per_second, burst_limit=throttle_burst),
                quota=apigateway.QuotaSettings(limit=api_key_daily_quota, period=apigateway.Period.DAY)
                if api_key_daily_quota is not None
                else None,
                api_stages=[apigateway.UsagePlanPerApiStage(api=self.api, stage=self.stage)],
            )
            # API Gateway generates the key's value; `aws apigateway get-api-key --include-value` shows it.
            self.api_key = self.api.add_api_key("ApiKey", description="serverless-api lab caller key")
            plan.add_api_key(self.api_key)

    def _url_output(self) -> None:
        """RestApi makes an output of the stage URL with a hashed id and no description;
        give it a stable id (verify and the README read `ApiUrl`) and say what it is."""
        for child in self.api.node.children:
            if isinstance(child, cdk.CfnOutput) and child.node.id == "Endpoint":
                child.override_logical_id("ApiUrl")
                child.description = "Base URL of the orders API (append orders, e.g. <ApiUrl>orders)"
                return
        raise LookupError("LambdaRestApi made no Endpoint output: the ApiUrl output would be missing")
