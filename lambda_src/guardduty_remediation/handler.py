"""Lambda entry point for the EventBridge rule on GuardDuty findings: thin wiring only.

Returns what it did: {"status": "ignored" | "dry_run" | "remediated" | "failed", ...}.
An event it does not act on is logged as a warning with the reason and ignored (no
retry). A role that does not exist, that IAM will not let anyone change (a
service-linked role), or that this function may not change (AccessDenied: the role is
not tagged GuardDutyRemediable=true, or it is one the function's policy protects) is a
"failed" result, alerted with what to do: retrying would not help. Any other AWS error is
raised, so Lambda retries the event and the Errors alarm sees it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from guardduty_remediation.aws import Gateway
from guardduty_remediation.finding import (
    POLICY_NAME,
    IgnoredEventError,
    Settings,
    Target,
    parse_finding,
    policy_json,
    revoke_policy,
)

SERVICE = "guardduty-remediation"
# The tag that lets the function's role write to a role (stacks/security_baseline/findings.py).
REMEDIABLE_TAG = ("GuardDutyRemediable", "true")
# IAM's query API answers a refused call with the code AccessDenied.
ACCESS_DENIED = "AccessDenied"
# IAM errors that a retry cannot fix.
FINAL_ERRORS = frozenset({"NoSuchEntity", "UnmodifiableEntity", ACCESS_DENIED})

logger = Logger(service=SERVICE)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    account_id = context.invoked_function_arn.split(":")[4]
    return remediate(event, account_id=account_id, settings=Settings.from_env(os.environ), gateway=Gateway())


def remediate(
    event: Any, *, account_id: str, settings: Settings, gateway: Gateway, now: datetime | None = None
) -> dict[str, Any]:
    try:
        target = parse_finding(event, account_id)
    except IgnoredEventError as reason:
        return _ignored(reason)
    try:
        role_name = target.role_name or gateway.role_of_instance_profile(str(target.instance_profile_arn))
    except IgnoredEventError as reason:
        return _ignored(reason)
    except ClientError as error:
        if _code(error) not in FINAL_ERRORS:
            raise
        return _failed(target, None, error, settings, gateway)

    policy = revoke_policy(now or datetime.now(UTC))
    result: dict[str, Any] = {
        "finding_id": target.finding_id,
        "finding_type": target.finding_type,
        "role_name": role_name,
        "policy_name": POLICY_NAME,
        "policy": policy,
    }
    if settings.dry_run:
        result["status"] = "dry_run"
        logger.warning("dry run: would deny the role's older sessions", extra=result)
    else:
        try:
            gateway.put_role_policy(role_name, POLICY_NAME, policy_json(policy))
        except ClientError as error:
            if _code(error) not in FINAL_ERRORS:
                raise
            return _failed(target, role_name, error, settings, gateway)
        result["status"] = "remediated"
        logger.warning("denied the role's older sessions", extra=result)
    _notify(settings, gateway, result)
    return result


def _ignored(reason: IgnoredEventError) -> dict[str, Any]:
    logger.warning("event ignored", extra={"reason": str(reason)})
    return {"status": "ignored", "reason": str(reason)}


def _failed(
    target: Target, role_name: str | None, error: ClientError, settings: Settings, gateway: Gateway
) -> dict[str, Any]:
    result = {
        "status": "failed",
        "finding_id": target.finding_id,
        "finding_type": target.finding_type,
        "role_name": role_name,
        "reason": f"{_code(error)}: {error.response.get('Error', {}).get('Message', '')}",
    }
    if _code(error) == ACCESS_DENIED and role_name is not None:
        result["action"] = (
            f"this function may change only roles tagged {REMEDIABLE_TAG[0]}={REMEDIABLE_TAG[1]} that are not "
            "bootstrap or administrator roles: revoke the role's sessions by hand (IAM console, the role, "
            "Revoke active sessions), or tag the role and let the next finding do it"
        )
    logger.error("remediation failed", extra=result)
    _notify(settings, gateway, result)
    return result


def _notify(settings: Settings, gateway: Gateway, result: dict[str, Any]) -> None:
    if not settings.alert_topic_arn:
        return
    verb = {"dry_run": "would revoke (dry run)", "remediated": "revoked", "failed": "FAILED to revoke"}
    subject = f"[{SERVICE}] {verb[result['status']]} older sessions of role {result.get('role_name') or '?'}"
    lines = [subject, ""] + [f"{key}: {value}" for key, value in result.items() if key != "policy"]
    gateway.publish(settings.alert_topic_arn, subject, "\n".join(lines) + "\n")


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
