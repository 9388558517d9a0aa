"""Pure image logic with Pillow: one JPEG in, one JPEG thumbnail per size out. No AWS, no I/O.

How a hostile or broken upload is refused before it costs memory or time:
- only the JPEG decoder is allowed (`formats=["JPEG"]`): a PNG renamed .jpg is refused, and
  Pillow's many other parsers are never reached by untrusted bytes;
- the header is read first (Image.open does not decode pixels): more pixels than
  `max_pixels` (Pillow's own decompression-bomb check, set to our limit and made an error
  rather than a warning) or a side longer than `max_side` is refused before any decoding;
- truncated or corrupt data fails the decode (LOAD_TRUNCATED_IMAGES stays off).

Speed: JPEG "draft" mode asks libjpeg to decode at 1/2, 1/4 or 1/8 scale (DCT scaling),
never below the largest thumbnail, so a 12 MP photo is decoded at about 1000 x 750 instead
of 4000 x 3000: less work and a sixteenth of the memory. Every size is resized from that
one decoded image with Lanczos.

EXIF orientation is applied (a portrait phone photo stays portrait), then the thumbnail is
written without EXIF: no camera data or GPS position leaks into a public-looking thumbnail.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from thumbnailer.settings import Settings

JPEG_MAGIC = b"\xff\xd8\xff"  # start of image + the first marker
# Pillow raises these for data it cannot decode; which one depends on where the data breaks.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError)


class InvalidImageError(ValueError):
    """An upload that cannot become thumbnails; the message says why (never echoes the data)."""


@dataclass(frozen=True)
class Thumbnail:
    size: int
    width: int
    height: int
    data: bytes


def fit(width: int, height: int, size: int) -> tuple[int, int]:
    """The dimensions with the longest side `size`, aspect kept; smaller images are not enlarged."""
    longest = max(width, height)
    if longest <= size:
        return width, height
    scale = size / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def make_thumbnails(data: bytes, settings: Settings) -> list[Thumbnail]:
    """One JPEG per size in `settings.sizes`; raises InvalidImageError for an upload to skip."""
    if not data:
        raise InvalidImageError("the object is empty (0 bytes)")
    if len(data) > settings.max_bytes:
        raise InvalidImageError(f"the object is {len(data):,} bytes, more than {settings.max_bytes:,}")
    try:
        with _pixel_limit(settings.max_pixels):
            image, full_size = _open_checked(data, settings)
            return _resize_all(image, full_size, settings)
    except InvalidImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidImageError(f"decompression bomb refused: {error}") from None
    except UnidentifiedImageError:
        if data.startswith(JPEG_MAGIC):
            raise InvalidImageError("truncated or corrupt JPEG: no readable header") from None
        raise InvalidImageError("not a JPEG image") from None
    except _DECODE_ERRORS as error:
        raise InvalidImageError(f"truncated or corrupt JPEG: {error}") from None


def _open_checked(data: bytes, settings: Settings) -> tuple[Image.Image, tuple[int, int]]:
    """The decoded (drafted, upright) image and the full size of the upright original."""
    image = Image.open(io.BytesIO(data), formats=["JPEG"])  # reads the header only
    width, height = image.size
    if max(width, height) > settings.max_side:
        raise InvalidImageError(f"the image is {width} x {height} px; at most {settings.max_side} px per side")
    # Orientations 5-8 turn the picture a quarter: its upright width is the stored height.
    turned = image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8)
    full_size = (height, width) if turned else (width, height)
    # Draft for the largest thumbnail, in stored (un-rotated) orientation: fit() keeps the
    # aspect, so the box is right whichever way EXIF later rotates the image.
    image.draft("RGB", fit(width, height, max(settings.sizes)))
    image.load()  # decodes now: a truncated file fails here, inside the error handling
    oriented = ImageOps.exif_transpose(image)
    if oriented.mode not in ("RGB", "L"):  # CMYK JPEGs exist (print workflows); thumbnails are RGB
        oriented = oriented.convert("RGB")
    return oriented, full_size


def _resize_all(image: Image.Image, full_size: tuple[int, int], settings: Settings) -> list[Thumbnail]:
    thumbnails = []
    for size in settings.sizes:
        # Sized from the original, not from the draft: the draft's rounding must not shift a pixel.
        width, height = fit(*full_size, size)
        resized = image if (width, height) == image.size else image.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        resized.save(out, format="JPEG", quality=settings.quality)  # no exif=: metadata is dropped
        thumbnails.append(Thumbnail(size=size, width=width, height=height, data=out.getvalue()))
    return thumbnails


@contextmanager
def _pixel_limit(max_pixels: int) -> Iterator[None]:
    """Pillow's bomb check at our limit, and its warning (between 1x and 2x the limit) an error.

    MAX_IMAGE_PIXELS is process-wide, so it is restored afterwards; Lambda runs one event
    at a time per process, so nothing else sees the temporary value.
    """
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def sizes_of(thumbnails: Sequence[Thumbnail]) -> dict[int, tuple[int, int]]:
    """{128: (128, 96), ...}: for logs."""
    return {thumbnail.size: (thumbnail.width, thumbnail.height) for thumbnail in thumbnails}
