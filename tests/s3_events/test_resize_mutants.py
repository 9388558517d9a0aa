"""thumbnailer.resize on what `make mutate` found untested: all eight EXIF orientations, the exact
byte and side limits, and the quality of the largest thumbnail (not just its dimensions)."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageStat

from tests.s3_events.images import sample_jpeg
from thumbnailer import resize
from thumbnailer.settings import Settings

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


def quadrants_jpeg(width: int, height: int, orientation: int) -> bytes:
    """Stored (before any rotation): red top left, green top right, blue bottom left, white bottom right."""
    image = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    for colour, box in (
        (RED, (0, 0, half_w, half_h)),
        (GREEN, (half_w, 0, width, half_h)),
        (BLUE, (0, half_h, half_w, height)),
        (WHITE, (half_w, half_h, width, height)),
    ):
        image.paste(colour, box)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, exif=exif)
    return out.getvalue()


# What a viewer sees for each EXIF Orientation value (EXIF 2.32, tag 0x0112: where the stored
# 0th row and 0th column go), as (top left, top right, bottom left, bottom right).
DISPLAYED = {
    1: (RED, GREEN, BLUE, WHITE),  # as stored
    2: (GREEN, RED, WHITE, BLUE),  # mirrored left-right
    3: (WHITE, BLUE, GREEN, RED),  # turned 180 degrees
    4: (BLUE, WHITE, RED, GREEN),  # mirrored top-bottom
    5: (RED, BLUE, GREEN, WHITE),  # mirrored along the top-left diagonal
    6: (BLUE, RED, WHITE, GREEN),  # turned 90 degrees clockwise
    7: (WHITE, GREEN, BLUE, RED),  # mirrored along the top-right diagonal
    8: (GREEN, WHITE, RED, BLUE),  # turned 90 degrees counter-clockwise
}


@pytest.mark.parametrize("orientation", sorted(DISPLAYED))
def test_every_exif_orientation_is_shown_as_a_viewer_sees_it(orientation: int) -> None:
    # Given an 800 x 400 photo stored in quadrants, tagged with the orientation
    thumbnails = resize.make_thumbnails(quadrants_jpeg(800, 400, orientation), Settings())
    # Then each thumbnail has the quadrants where a viewer sees them, turned ones portrait
    turned = orientation >= 5
    assert [(t.width, t.height) for t in thumbnails] == (
        [(64, 128), (128, 256), (256, 512)] if turned else [(128, 64), (256, 128), (512, 256)]
    )
    for thumbnail in thumbnails:
        image = Image.open(io.BytesIO(thumbnail.data)).convert("RGB")
        assert image.size == (thumbnail.width, thumbnail.height)
        w, h = image.size
        corners = [image.getpixel(point) for point in ((w // 4, h // 4), (3 * w // 4, h // 4), (w // 4, 3 * h // 4))]
        corners.append(image.getpixel((3 * w // 4, 3 * h // 4)))
        for seen, expected in zip(corners, DISPLAYED[orientation], strict=True):
            assert isinstance(seen, tuple)
            assert all(abs(a - b) < 60 for a, b in zip(seen, expected, strict=True)), (seen, expected)
        assert dict(image.getexif()) == {}


def test_an_upload_of_exactly_max_bytes_is_accepted_and_one_more_is_refused() -> None:
    data = sample_jpeg(200, 100)
    assert len(resize.make_thumbnails(data, Settings(max_bytes=len(data)))) == 3
    with pytest.raises(resize.InvalidImageError) as refused:
        resize.make_thumbnails(data, Settings(max_bytes=len(data) - 1))
    assert str(refused.value) == f"the object is {len(data):,} bytes, more than {len(data) - 1:,}"


@pytest.mark.parametrize(("width", "height"), [(300, 200), (200, 300)])
def test_a_side_of_exactly_max_side_is_accepted_and_one_more_is_refused(width: int, height: int) -> None:
    data = sample_jpeg(width, height)
    assert len(resize.make_thumbnails(data, Settings(max_side=300))) == 3
    with pytest.raises(resize.InvalidImageError) as refused:
        resize.make_thumbnails(data, Settings(max_side=299))
    assert str(refused.value) == f"the image is {width} x {height} px; at most 299 px per side"


def test_an_image_of_exactly_the_thumbnail_size_is_kept_at_its_size() -> None:
    thumbnails = resize.make_thumbnails(sample_jpeg(512, 256), Settings())
    assert [(t.width, t.height) for t in thumbnails] == [(128, 64), (256, 128), (512, 256)]


def stripes_jpeg(width: int, height: int, period: int) -> bytes:
    """Black and white vertical stripes: detail that a too-small decode would blur away."""
    image = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(image)
    for x in range(0, width, period):
        draw.rectangle((x, 0, x + period // 2 - 1, height), fill=255)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=95)
    return out.getvalue()


def test_the_largest_thumbnail_is_as_sharp_as_a_resize_of_the_full_image() -> None:
    # Given a 12 MP photo with fine detail (stripes 16 px apart: 2 px apart at 512 px wide)
    data = stripes_jpeg(4000, 3000, 16)
    # When thumbnails are made (the decode is drafted: libjpeg scales it down while decoding)
    largest = resize.make_thumbnails(data, Settings())[-1]
    # Then the 512 px thumbnail matches a Lanczos resize of the fully decoded photo. Measured here:
    # a mean difference of 5.9 (of 255) when the draft is sized for 512 px (1000 x 750), 24.9 when
    # it is sized for the smallest, 128 px (500 x 375, then enlarged: blurred and aliased).
    reference = Image.open(io.BytesIO(data)).convert("RGB").resize((512, 384), Image.Resampling.LANCZOS)
    thumbnail = Image.open(io.BytesIO(largest.data)).convert("RGB")
    difference = sum(ImageStat.Stat(ImageChops.difference(thumbnail, reference)).mean) / 3
    assert difference < 12


def test_a_12_mp_photo_is_decoded_at_a_quarter_of_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a 4000 x 3000 photo, and a spy on what each thumbnail is resized from
    data = sample_jpeg(4000, 3000)
    sources: list[tuple[int, int]] = []
    original = Image.Image.resize

    def resize_spy(image: Image.Image, *args: object, **kwargs: object) -> Image.Image:
        sources.append(image.size)
        return original(image, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Image.Image, "resize", resize_spy)
    # When it becomes thumbnails
    resize.make_thumbnails(data, Settings())
    # Then libjpeg decoded it at 1/4 scale (the smallest at least 512 px on its long side):
    # 1000 x 750, a sixteenth of the pixels of a full decode.
    assert sources == [(1000, 750)] * 3


def test_the_thumbnails_are_resized_with_lanczos() -> None:
    # Given fine stripes, decoded as the function decodes them (drafted to 1000 x 750)
    data = stripes_jpeg(4000, 3000, 16)
    decoded = Image.open(io.BytesIO(data))
    decoded.draft("RGB", (512, 384))
    decoded.load()
    thumbnail = Image.open(io.BytesIO(resize.make_thumbnails(data, Settings())[-1].data)).convert("RGB")
    # Then the 512 px thumbnail is that decode resized with Lanczos. Measured: a mean difference
    # of 0.8 (JPEG's own loss) from a Lanczos resize, 2.6 from Pillow's default bicubic one.
    lanczos = decoded.resize((512, 384), Image.Resampling.LANCZOS)
    assert sum(ImageStat.Stat(ImageChops.difference(thumbnail, lanczos)).mean) / 3 < 1.5


def test_the_configured_jpeg_quality_is_used() -> None:
    data = sample_jpeg(800, 600)
    sizes = {quality: len(resize.make_thumbnails(data, Settings(quality=quality))[-1].data) for quality in (50, 95)}
    # Pillow's default is 75: a setting that is ignored would give both the same size.
    assert sizes[95] > 1.5 * sizes[50]
