"""The states of an RDS-managed master user secret that verify accepts, shared by the labs with one.

RDS reports `MasterUserSecret.SecretStatus` as creating, active, rotating or impaired
(https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_MasterUserSecret.html).
RDS rotates the secret every 7 days by default, so a verify run can meet `rotating`: the
credentials still work. `impaired` means RDS can no longer reach the secret or its KMS key
and cannot rotate it; `creating` means the deploy has not finished making it.
"""

from __future__ import annotations

USABLE = ("active", "rotating")
IMPAIRED = "impaired"


def secret_status_problem(status: str | None) -> str | None:
    """None when `status` is usable; otherwise a one-line reason verify reports."""
    if status in USABLE:
        return None
    if status == IMPAIRED:
        return (
            f"RDS reports the secret as {IMPAIRED}: it cannot reach the secret or its KMS key to rotate it, "
            "see the RDS console"
        )
    return f"the secret's status is {status}, not {' or '.join(USABLE)}"
