"""Lambda entry point behind API Gateway's proxy integration: observability wiring only.

The routes are in api.py. Metrics are flushed only when a request recorded one (a write),
so reads do not print Powertools' "no metrics to publish" warning on every call.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api import api

logger = api.logger
tracer = api.tracer
metrics = api.metrics


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return api.resolve(event, context)
    finally:
        if metrics.metric_set:
            metrics.flush_metrics()
