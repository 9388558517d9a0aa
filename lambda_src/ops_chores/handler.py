"""Lambda entry points, one per chore (each its own function and schedule): thin wiring only.

Each reads its settings from the environment when invoked (never at import), runs its
chore, logs and returns the summary, and publishes it to ALERT_TOPIC_ARN when that is
set: the daily report, with the failures first. Per-item failures do not fail the
invocation (a retry would redo the items that worked); a bad environment or input does.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from ops_chores import chores
from ops_chores.aws import Gateway
from ops_chores.logic import SERVICE, Run, Settings, Summary, parse_run

logger = Logger(service=SERVICE)

Chore = Callable[[Gateway, Run, Settings], Summary]


@logger.inject_lambda_context
def snapshot_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run_chore(lambda gateway, run, settings: chores.snapshot_volumes(gateway, run, settings.owner_tags), event)


@logger.inject_lambda_context
def cleanup_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run_chore(
        lambda gateway, run, settings: chores.delete_expired_snapshots(gateway, run, settings.retention_days), event
    )


@logger.inject_lambda_context
def stop_instances_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run_chore(lambda gateway, run, _: chores.stop_office_hours_instances(gateway, run), event)


def run_chore(
    chore: Chore,
    event: Any,
    *,
    gateway: Gateway | None = None,
    env: dict[str, str] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    settings = Settings.from_env(os.environ if env is None else env)
    run = parse_run(event, settings, now or datetime.now(UTC))
    gateway = gateway or Gateway()
    summary = chore(gateway, run, settings)
    result = summary.to_dict()
    log = logger.error if summary.failures else logger.info
    log(summary.subject(), extra={"summary": result})
    if settings.alert_topic_arn:
        # Not caught: if the report cannot be sent, the invocation fails and the Errors alarm says so.
        gateway.publish(settings.alert_topic_arn, summary.subject(), summary.message())
    return result
