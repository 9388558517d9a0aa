"""Configuration section `s3_events` of each stage in cdk.json."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, Strict, model_validator

from stacks.config import FieldError, LabSection
from stacks.config_types import EmailAddress, LogRetentionDays, unique_items

# Kept for the runtime, boto3, Pillow, the upload's bytes and the encoder's buffers: a
# margin, not a measurement (this build machine cannot run the arm64 function).
BASE_MEMORY_MB = 256
# A decoded RGB pixel takes 3 bytes; draft mode usually decodes far fewer pixels, but a
# JPEG no larger than the largest thumbnail is decoded in full.
BYTES_PER_PIXEL = 3
# S3 moves objects to STANDARD_IA and ONEZONE_IA only once they are 30 days old.
MIN_IA_DAYS = 30

ThumbnailSize = Annotated[int, Strict(), Field(ge=16, le=4096)]


class S3EventsConfig(LabSection):
    """Lab 7: upload under images/ -> Lambda -> thumbnails/<size>/.

    The function's limits (pixels, side, bytes) reach it as environment variables;
    the memory must hold a full decode of the largest image it accepts.
    """

    thumbnail_sizes: Annotated[
        tuple[ThumbnailSize, ...], Field(strict=False, min_length=1, max_length=8), AfterValidator(unique_items)
    ] = Field(description="longest side of each thumbnail, px (one thumbnails/<size>/ folder each)")
    jpeg_quality: int = Field(ge=1, le=95, description="JPEG quality of the thumbnails")
    max_image_megapixels: int = Field(
        ge=1, le=200, description="larger images are refused as decompression bombs (Pillow's MAX_IMAGE_PIXELS)"
    )
    max_image_side_px: int = Field(ge=1000, le=65535, description="images with a longer side are refused")
    max_upload_mb: int = Field(ge=1, le=200, description="larger uploads are refused without being downloaded")
    function_memory_mb: int = Field(ge=512, le=10240, description="function memory (CPU grows with it)")
    function_timeout_seconds: int = Field(ge=5, le=300, description="function timeout")
    retry_attempts: int = Field(
        ge=0, le=2, description="Lambda's retries of a failed event before the on-failure queue"
    )
    max_event_age_seconds: int = Field(
        ge=60, le=21600, description="an event older than this goes to the on-failure queue unprocessed"
    )
    originals_storage_class: Literal["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"] = Field(
        description="cheaper storage class the originals under images/ move to"
    )
    originals_transition_days: int = Field(ge=0, le=3650, description="days after upload before the move")
    previous_versions_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="null: no versioning; N: versioning on, overwritten or deleted objects kept N days",
    )
    access_log_retention_days: int = Field(ge=1, le=3650, description="days the bucket's access logs are kept")
    log_retention_days: LogRetentionDays = Field(description="days of function logs")
    alarm_email: EmailAddress | None = Field(
        default=None, description="e-mail for the failed-events alarm; null: no subscriber (synth warns)"
    )

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {"alarm_email": "ops@example.com", "previous_versions_days": 30}

    @property
    def max_image_pixels(self) -> int:
        return self.max_image_megapixels * 1_000_000

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @model_validator(mode="after")
    def _fits_together(self) -> S3EventsConfig:
        if self.originals_storage_class == "STANDARD_IA" and self.originals_transition_days < MIN_IA_DAYS:
            raise FieldError(
                "originals_transition_days",
                self.originals_transition_days,
                f"must be at least {MIN_IA_DAYS} for STANDARD_IA (an S3 lifecycle rule)",
            )
        needed = BASE_MEMORY_MB + self.max_image_pixels * BYTES_PER_PIXEL // (1024 * 1024)
        if self.function_memory_mb < needed:
            raise FieldError(
                "function_memory_mb",
                self.function_memory_mb,
                f"must be at least {needed} to decode a {self.max_image_megapixels} MP image "
                f"({BASE_MEMORY_MB} MB + {BYTES_PER_PIXEL} bytes per pixel); raise it or lower max_image_megapixels",
            )
        return self
