"""Real image bytes for the thumbnailer's tests, generated (no binary files in the repository)."""

from __future__ import annotations

import io
import struct

from PIL import ExifTags, Image

from scripts.s3_events.sample import jpeg_size, sample_jpeg

__all__ = ["halves_jpeg", "jpeg_size", "png_bytes", "sample_jpeg", "truncated_jpeg", "with_declared_size"]


def halves_jpeg(width: int, height: int, *, orientation: int | None = None, mode: str = "RGB") -> bytes:
    """Left half red, right half blue (as stored): shows where EXIF rotation moved each half."""
    image = Image.new("RGB", (width, height), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, width // 2, height))
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    out = io.BytesIO()
    image.convert(mode).save(out, format="JPEG", quality=95, exif=exif)
    return out.getvalue()


def png_bytes(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 30)).save(out, format="PNG")
    return out.getvalue()


def truncated_jpeg() -> bytes:
    """A real 800 x 600 JPEG cut in half: the header is intact, the pixel data is not."""
    data = sample_jpeg(800, 600)
    return data[: len(data) // 2]


def with_declared_size(width: int, height: int) -> bytes:
    """A small JPEG whose header claims width x height: what a decompression bomb looks like to a
    decoder (a few hundred bytes that would need gigabytes once decoded)."""
    data = bytearray(sample_jpeg(16, 16))
    start = data.index(b"\xff\xc0")  # SOF0: marker, length (2), precision (1), height (2), width (2)
    struct.pack_into(">HH", data, start + 5, height, width)
    return bytes(data)
