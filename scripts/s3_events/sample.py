"""Generated sample photos (no image files in the repository): a colour gradient with film grain.

The grain matters: a flat gradient compresses to almost nothing and decodes unrealistically
fast; with grain a 12 MP sample is a few MB, like a phone photo. The grain is one noise tile
repeated (JPEG compresses each 8 x 8 block on its own, so repetition does not make it smaller),
which makes a 12 MP sample several times quicker to generate than noise over the whole picture.
"""

from __future__ import annotations

import functools
import io

from PIL import ExifTags, Image

GRAIN_TILE = 256


def sample_jpeg(width: int, height: int, *, orientation: int | None = None, quality: int = 90) -> bytes:
    """A width x height JPEG; `orientation` (1-8) is written as the EXIF Orientation tag."""
    gradient = Image.linear_gradient("L")  # 256 x 256, black to white from top to bottom
    red = gradient.rotate(90).resize((width, height))
    green = gradient.resize((width, height))
    blue = _grain(width, height)
    image = Image.blend(Image.merge("RGB", (red, green, green)), Image.merge("RGB", (blue, blue, blue)), 0.25)
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, exif=exif)
    return out.getvalue()


def _grain(width: int, height: int) -> Image.Image:
    canvas = Image.new("L", (width, height))
    for x in range(0, width, GRAIN_TILE):
        for y in range(0, height, GRAIN_TILE):
            canvas.paste(_grain_tile(), (x, y))
    return canvas


@functools.cache
def _grain_tile() -> Image.Image:
    return Image.effect_noise((GRAIN_TILE, GRAIN_TILE), 64)


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) as stored in a JPEG's header."""
    with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
        return image.size
