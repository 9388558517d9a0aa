"""Configuration section `fanout` of each stage in cdk.json."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field

from stacks.config import LabSection
from stacks.config_types import EmailAddress


class FanoutConfig(LabSection):
    """Lab 6: SNS topic -> three SQS queues with filter policies.

    The routing itself (which queue gets which event) is not configuration: it is the
    lab's subject, kept as data in stacks/fanout/filters.py for the stack, the scripts
    and the tests alike.
    """

    queue_retention_days: int = Field(
        ge=1, le=14, description="days an event waits in billing/shipping/analytics before SQS drops it"
    )
    max_receive_count: int = Field(
        ge=1, le=10, description="receives before a message a consumer keeps failing on goes to its queue's DLQ"
    )
    alarm_email: EmailAddress | None = Field(
        default=None, description="e-mail for the dead-letter alarms; null: no subscriber (synth warns)"
    )

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {"alarm_email": "orders-ops@example.com"}
