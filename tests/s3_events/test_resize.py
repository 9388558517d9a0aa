"""thumbnailer.resize with real, generated images: sizes, orientation, and every kind of bad upload."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.s3_events.images import halves_jpeg, png_bytes, sample_jpeg, truncated_jpeg, with_declared_size
from thumbnailer import resize
from thumbnailer.settings import Settings

SETTINGS = Settings()  # 128/256/512


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (4000, 3000, [(128, 96), (256, 192), (512, 384)]),  # 12 MP landscape: a draft-mode decode
        (1500, 2000, [(96, 128), (192, 256), (384, 512)]),  # portrait
        (1000, 1000, [(128, 128), (256, 256), (512, 512)]),
        (2001, 999, [(128, 64), (256, 128), (512, 256)]),  # odd sizes: the draft's rounding must not show
        (300, 200, [(128, 85), (256, 171), (300, 200)]),  # smaller than 512: never enlarged
    ],
)
def test_each_size_is_a_jpeg_whose_longest_side_is_that_size(
    width: int, height: int, expected: list[tuple[int, int]]
) -> None:
    # Given a real JPEG of width x height
    data = sample_jpeg(width, height)
    # When thumbnails are made
    thumbnails = resize.make_thumbnails(data, SETTINGS)
    # Then there is one per size, with the reported dimensions, decodable as JPEG
    assert [t.size for t in thumbnails] == [128, 256, 512]
    assert [(t.width, t.height) for t in thumbnails] == expected
    for thumbnail in thumbnails:
        image = decoded(thumbnail.data)
        assert image.format == "JPEG"
        assert image.size == (thumbnail.width, thumbnail.height)


@pytest.mark.parametrize(
    ("orientation", "top", "bottom"),
    [
        (6, "red", "blue"),  # stored on its side, turned clockwise for display: the left half becomes the top
        (8, "blue", "red"),  # turned counter-clockwise: the right half becomes the top
    ],
)
def test_exif_orientation_is_applied_and_no_exif_is_kept(orientation: int, top: str, bottom: str) -> None:
    # Given a landscape-stored photo (left half red, right half blue) tagged to display as portrait
    data = halves_jpeg(800, 400, orientation=orientation)
    # When thumbnails are made
    thumbnails = resize.make_thumbnails(data, SETTINGS)
    # Then they are portrait, with the halves where a viewer would see them, and carry no EXIF
    colours = {"red": (255, 0, 0), "blue": (0, 0, 255)}
    for thumbnail in thumbnails:
        image = decoded(thumbnail.data).convert("RGB")
        assert image.width < image.height
        assert _near(image.getpixel((image.width // 2, 2)), colours[top])
        assert _near(image.getpixel((image.width // 2, image.height - 3)), colours[bottom])
        assert dict(image.getexif()) == {}
    assert (thumbnails[-1].width, thumbnails[-1].height) == (256, 512)


@pytest.mark.parametrize("mode", ["L", "CMYK"])
def test_grayscale_and_cmyk_jpegs_make_thumbnails(mode: str) -> None:
    thumbnails = resize.make_thumbnails(halves_jpeg(640, 480, mode=mode), SETTINGS)
    assert [(t.width, t.height) for t in thumbnails] == [(128, 96), (256, 192), (512, 384)]
    assert {decoded(t.data).mode for t in thumbnails} == {"L" if mode == "L" else "RGB"}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the object is empty (0 bytes)"),
        (png_bytes(), "not a JPEG image"),  # a PNG renamed .jpg
        (b"GIF89a" + b"\x00" * 64, "not a JPEG image"),
        (b"hello, I am a text file named photo.jpg\n", "not a JPEG image"),
        (truncated_jpeg(), "truncated or corrupt JPEG: image file is truncated"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "truncated or corrupt JPEG"),
        # A decompression bomb: a few hundred bytes declaring 9000 x 9000 (81 MP > 50 MP) ...
        (with_declared_size(9000, 9000), "decompression bomb refused: Image size (81000000 pixels) exceeds"),
        # ... or 20000 x 20000 (400 MP: beyond twice the limit, where Pillow itself raises)
        (with_declared_size(20000, 20000), "decompression bomb refused: Image size (400000000 pixels) exceeds"),
        # Few pixels, but a side no photo has
        (with_declared_size(60000, 100), "the image is 60000 x 100 px; at most 20000 px per side"),
    ],
    ids=["zero-bytes", "png", "gif", "text", "truncated", "header-only", "bomb", "big-bomb", "huge-side"],
)
def test_bad_uploads_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(resize.InvalidImageError) as refused:
        resize.make_thumbnails(data, SETTINGS)
    assert str(refused.value).startswith(reason)


def test_an_upload_over_the_byte_limit_is_refused_before_decoding() -> None:
    data = sample_jpeg(200, 100)
    with pytest.raises(resize.InvalidImageError, match=f"the object is {len(data):,} bytes, more than 1,024"):
        resize.make_thumbnails(data, Settings(max_bytes=1024))


def test_the_pixel_limit_follows_the_settings_and_pillows_global_is_restored() -> None:
    # Given Pillow's process-wide limit, and a 2000 x 1500 (3 MP) photo
    before = Image.MAX_IMAGE_PIXELS
    data = sample_jpeg(2000, 1500)
    # When the limit is 2 MP, it is refused; at 3 MP it passes
    with pytest.raises(resize.InvalidImageError, match="decompression bomb"):
        resize.make_thumbnails(data, Settings(max_pixels=2_000_000))
    assert len(resize.make_thumbnails(data, Settings(max_pixels=3_000_000))) == 3
    # Then the global is what it was, whatever happened
    assert before == Image.MAX_IMAGE_PIXELS


@pytest.mark.parametrize(
    ("width", "height", "size", "expected"),
    [(4000, 3000, 128, (128, 96)), (1, 5000, 128, (1, 128)), (5000, 1, 128, (128, 1)), (100, 50, 128, (100, 50))],
)
def test_fit_keeps_the_aspect_and_never_enlarges(width: int, height: int, size: int, expected: tuple[int, int]) -> None:
    assert resize.fit(width, height, size) == expected


def _near(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(int(a) - b) < 40 for a, b in zip(pixel, colour, strict=True))
