"""Configuration section `queue_worker` of each stage in cdk.json."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field, model_validator

from stacks.config import FieldError, LabSection
from stacks.config_types import EmailAddress, LogRetentionDays

# AWS: set an SQS event source's visibility timeout to at least 6x the function timeout.
VISIBILITY_TIMEOUT_FACTOR = 6


class QueueWorkerConfig(LabSection):
    """Lab 2: SQS -> Lambda -> DynamoDB.

    The queue's visibility timeout is derived, not configured: 6x the function timeout
    plus the batching window (AWS's guidance for SQS event sources), so the two cannot
    drift apart.
    """

    function_timeout_seconds: int = Field(
        ge=3, le=120, description="function timeout; visibility timeout = 6x this + batching window"
    )
    function_memory_mb: int = Field(ge=128, le=3008, description="function memory")
    batch_size: int = Field(ge=1, le=100, description="messages per invocation")
    max_batching_window_seconds: int = Field(ge=0, le=300, description="how long the event source gathers a batch")
    max_receive_count: int = Field(ge=1, le=10, description="receives before a message goes to the dead-letter queue")
    oldest_message_age_alarm_seconds: int = Field(
        ge=60, le=86400, description="alarm when the oldest message is older (must outlast a bad message's retries)"
    )
    alarm_email: EmailAddress | None = Field(
        default=None, description="e-mail for the alarms; null: no subscriber (synth warns)"
    )
    log_retention_days: LogRetentionDays = Field(description="days of function logs")

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {"alarm_email": "ops@example.com"}

    @property
    def visibility_timeout_seconds(self) -> int:
        return VISIBILITY_TIMEOUT_FACTOR * self.function_timeout_seconds + self.max_batching_window_seconds

    @model_validator(mode="after")
    def _fits_together(self) -> QueueWorkerConfig:
        # Lambda's SQS event source rejects batches above 10 without a batching window.
        if self.batch_size > 10 and self.max_batching_window_seconds < 1:
            raise FieldError(
                "max_batching_window_seconds",
                self.max_batching_window_seconds,
                "must be at least 1 when batch_size is above 10 (an SQS event source rule)",
            )
        # A bad message stays on the queue for max_receive_count visibility timeouts before SQS
        # dead-letters it; the age alarm must not fire for that (the DLQ alarm does), only when
        # the worker falls behind.
        retried_for = self.max_receive_count * self.visibility_timeout_seconds
        if self.oldest_message_age_alarm_seconds <= retried_for:
            raise FieldError(
                "oldest_message_age_alarm_seconds",
                self.oldest_message_age_alarm_seconds,
                f"must exceed max_receive_count x the queue's visibility timeout ({self.max_receive_count} x "
                f"{self.visibility_timeout_seconds} s = {retried_for} s; the visibility timeout is "
                f"{VISIBILITY_TIMEOUT_FACTOR} x function_timeout_seconds + max_batching_window_seconds)",
            )
        return self
