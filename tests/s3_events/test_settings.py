"""thumbnailer.settings: the function's environment, with one-line errors that name the variable."""

from __future__ import annotations

import pytest

from thumbnailer.settings import ConfigurationError, Settings, from_environment


def test_an_empty_environment_gives_the_documented_defaults() -> None:
    settings = from_environment({})
    assert settings == Settings()
    assert settings.sizes == (128, 256, 512)
    assert (settings.source_prefix, settings.thumbnail_prefix, settings.suffix) == ("images/", "thumbnails/", ".jpg")


def test_every_variable_is_read() -> None:
    settings = from_environment(
        {
            "THUMBNAIL_SIZES": "1024, 64,256,64",
            "MAX_IMAGE_PIXELS": "24_000_000",
            "MAX_IMAGE_SIDE": "8000",
            "MAX_OBJECT_BYTES": "10485760",
            "JPEG_QUALITY": "70",
            "SOURCE_PREFIX": "uploads/",
            "THUMBNAIL_PREFIX": "small/",
        }
    )
    assert settings == Settings(
        sizes=(64, 256, 1024),
        max_pixels=24_000_000,
        max_side=8000,
        max_bytes=10_485_760,
        quality=70,
        source_prefix="uploads/",
        thumbnail_prefix="small/",
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"THUMBNAIL_SIZES": ""}, "THUMBNAIL_SIZES='': write whole pixel counts separated by commas"),
        ({"THUMBNAIL_SIZES": "128;256"}, "THUMBNAIL_SIZES='128;256': write whole pixel counts"),
        ({"THUMBNAIL_SIZES": "128,-1"}, "THUMBNAIL_SIZES='128,-1': write whole pixel counts"),
        ({"THUMBNAIL_SIZES": "\uff18"}, "THUMBNAIL_SIZES='\uff18': write whole pixel counts"),  # a full-width 8
        ({"THUMBNAIL_SIZES": "8,128"}, "THUMBNAIL_SIZES='8,128': each size must be between 16 and 4096"),
        ({"THUMBNAIL_SIZES": ",".join(str(n) for n in range(100, 190, 10))}, "at most 8 sizes, not 9"),
        ({"MAX_IMAGE_PIXELS": "lots"}, "MAX_IMAGE_PIXELS='lots': must be a whole number between 1,000,000 and"),
        ({"MAX_IMAGE_SIDE": "70000"}, "MAX_IMAGE_SIDE='70000': must be a whole number between 1,000 and 65,535"),
        ({"JPEG_QUALITY": "100"}, "JPEG_QUALITY='100': must be a whole number between 1 and 95"),
        ({"SOURCE_PREFIX": "images"}, "SOURCE_PREFIX='images': must be a folder such as images/"),
        ({"THUMBNAIL_PREFIX": "/"}, "THUMBNAIL_PREFIX='/': must be a folder"),
        ({"THUMBNAIL_PREFIX": "images/small/"}, "SOURCE_PREFIX='images/' and THUMBNAIL_PREFIX='images/small/' overlap"),
        ({"SOURCE_PREFIX": "thumbnails/new/"}, "overlap: thumbnails would trigger the function again"),
    ],
)
def test_bad_values_are_one_line_naming_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError) as error:
        from_environment(environ)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
