"""Lambda entry point behind each region's ALB: thin wiring of `logic` to SSM and DynamoDB."""

from __future__ import annotations

import os
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from failover_site import logic

logger = Logger(service="failover-site")
REGION = os.environ.get("AWS_REGION", "")


def _read_switch() -> str:
    value: str = _clients()["ssm"].get_parameter(Name=os.environ["DOWN_PARAMETER"])["Parameter"]["Value"]
    return value


_CLIENTS: dict[str, Any] = {}


def _clients() -> dict[str, Any]:
    # Created on first use, once per execution environment (not at import: the tests set moto up first).
    if not _CLIENTS:
        _CLIENTS["ssm"] = boto3.client("ssm")
        _CLIENTS["dynamodb"] = boto3.client("dynamodb")
    return _CLIENTS


SWITCH = logic.DownSwitch(_read_switch, cache_seconds=float(os.environ.get("DOWN_CACHE_SECONDS", "5")))


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    method = str(event.get("httpMethod", "GET"))
    path = str(event.get("path", "/"))
    result = logic.answer(
        method,
        path,
        region=os.environ.get("AWS_REGION", REGION),
        switch=SWITCH,
        visit=lambda: logic.count_visit(_clients()["dynamodb"], os.environ["TABLE_NAME"]),
    )
    if result.status >= 500:
        logger.warning("answering 503: the region's down switch is on", extra={"path": path})
    return result.as_alb_response()
