"""The thumbnailer's settings, read from the function's environment (set by the stack's config).

Pure: `from_environment` takes a mapping, so every rule is testable without touching os.environ.
A bad value is a deployment mistake, not a bad upload: it raises ConfigurationError, the
invocation fails, and the event ends in the on-failure destination after the retries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MIN_SIZE = 16
MAX_SIZE = 4096
MAX_SIZES = 8


class ConfigurationError(RuntimeError):
    """A variable of the function's environment is invalid; the message names it and what is allowed."""


@dataclass(frozen=True)
class Settings:
    """What to make and what to refuse.

    Defaults: 128/256/512 px on the longest side; at most 50 million pixels (a 48 MP phone
    photo passes, a decompression bomb does not) and 20,000 px on either side (a 60,000 x 10
    strip has few pixels but is no photo); at most 30 MB per upload; JPEG quality 85.
    """

    sizes: tuple[int, ...] = (128, 256, 512)
    max_pixels: int = 50_000_000
    max_side: int = 20_000
    max_bytes: int = 30 * 1024 * 1024
    quality: int = 85
    source_prefix: str = "images/"
    thumbnail_prefix: str = "thumbnails/"
    suffix: str = ".jpg"


# Variable name -> (Settings field, smallest allowed, largest allowed) for the integer settings.
_INTEGERS = {
    "MAX_IMAGE_PIXELS": ("max_pixels", 1_000_000, 200_000_000),
    "MAX_IMAGE_SIDE": ("max_side", 1_000, 65_535),  # 65,535: the largest side a JPEG can declare
    "MAX_OBJECT_BYTES": ("max_bytes", 1024, 200 * 1024 * 1024),
    "JPEG_QUALITY": ("quality", 1, 95),  # above 95 Pillow's JPEG encoder only grows files
}


def from_environment(environ: Mapping[str, str]) -> Settings:
    """Settings from variables such as THUMBNAIL_SIZES="128,256,512"; a missing variable keeps its default."""
    defaults = Settings()
    values: dict[str, object] = {}
    if "THUMBNAIL_SIZES" in environ:
        values["sizes"] = parse_sizes(environ["THUMBNAIL_SIZES"])
    for name, (field, low, high) in _INTEGERS.items():
        if name in environ:
            values[field] = _integer(name, environ[name], low, high)
    source = environ.get("SOURCE_PREFIX", defaults.source_prefix)
    thumbnails = environ.get("THUMBNAIL_PREFIX", defaults.thumbnail_prefix)
    check_prefixes(source, thumbnails)
    return Settings(**values, source_prefix=source, thumbnail_prefix=thumbnails)  # type: ignore[arg-type]


def parse_sizes(text: str) -> tuple[int, ...]:
    """ "512, 128,256" -> (128, 256, 512): distinct whole pixel counts, smallest first."""
    parts = [part.strip() for part in text.split(",")]
    if not text.strip() or any(not part.isascii() or not part.isdigit() for part in parts):
        raise ConfigurationError(
            f"THUMBNAIL_SIZES={text!r}: write whole pixel counts separated by commas, e.g. 128,256,512"
        )
    sizes = sorted({int(part) for part in parts})
    if len(sizes) > MAX_SIZES:
        raise ConfigurationError(f"THUMBNAIL_SIZES={text!r}: at most {MAX_SIZES} sizes, not {len(sizes)}")
    if sizes[0] < MIN_SIZE or sizes[-1] > MAX_SIZE:
        raise ConfigurationError(f"THUMBNAIL_SIZES={text!r}: each size must be between {MIN_SIZE} and {MAX_SIZE}")
    return tuple(sizes)


def check_prefixes(source: str, thumbnails: str) -> None:
    """The two folders must be distinct and disjoint: a thumbnail under the source prefix would
    trigger the function again (an endless loop of invocations, each billed)."""
    for name, value in (("SOURCE_PREFIX", source), ("THUMBNAIL_PREFIX", thumbnails)):
        if len(value) < 2 or not value.endswith("/") or value.startswith("/"):
            raise ConfigurationError(f"{name}={value!r}: must be a folder such as images/ (ending with /)")
    if source.startswith(thumbnails) or thumbnails.startswith(source):
        raise ConfigurationError(
            f"SOURCE_PREFIX={source!r} and THUMBNAIL_PREFIX={thumbnails!r} overlap: "
            "thumbnails would trigger the function again"
        )


def _integer(name: str, text: str, low: int, high: int) -> int:
    stripped = text.strip().replace("_", "")
    if not stripped.isascii() or not stripped.isdigit() or not low <= int(stripped) <= high:
        raise ConfigurationError(f"{name}={text!r}: must be a whole number between {low:,} and {high:,}")
    return int(stripped)
