"""All eight EXIF orientations are applied: the derivatives show the picture upright, with the
red quadrant top-left, and width/height are reported after orientation."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.media_images import encode, make_exif, picture, stored_for_orientation


def _is_red(pixel) -> bool:
    red, green, blue = pixel
    return red > 150 and green < 100 and blue < 120


def _is_blue(pixel) -> bool:
    red, _green, blue = pixel
    return blue > 150 and red < 100


def assert_upright(jpeg: bytes, width: int, height: int) -> None:
    """Red top-left quadrant, blue elsewhere, in the given size: sample each quadrant's middle."""
    img = Image.open(io.BytesIO(jpeg))
    assert img.size == (width, height)
    w, h = img.size
    assert _is_red(img.getpixel((w // 4, h // 4))), "top-left must be red"
    assert _is_blue(img.getpixel((3 * w // 4, h // 4))), "top-right must be blue"
    assert _is_blue(img.getpixel((w // 4, 3 * h // 4))), "bottom-left must be blue"
    assert _is_blue(img.getpixel((3 * w // 4, 3 * h // 4))), "bottom-right must be blue"


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_of_a_jpeg_is_applied_to_the_pixels(processor, orientation):
    stored = stored_for_orientation(picture(120, 80), orientation)
    data = encode(stored, "JPEG", make_exif(orientation=orientation), quality=95)

    result = processor.process(data)

    assert (result.width, result.height) == (120, 80)
    assert_upright(result.display, 120, 80)
    assert_upright(result.thumbnail, 120, 80)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_is_applied_to_a_large_jpeg_decoded_in_draft_mode(processor, orientation):
    stored = stored_for_orientation(picture(4000, 3000), orientation)
    data = encode(stored, "JPEG", make_exif(orientation=orientation), quality=80)

    result = processor.process(data)

    assert (result.width, result.height) == (4000, 3000)
    assert_upright(result.display, 1600, 1200)
    assert_upright(result.thumbnail, 320, 240)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF"])
@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_orientation_is_applied_in_other_formats(processor, fmt, orientation):
    stored = stored_for_orientation(picture(120, 80), orientation)
    data = encode(stored, fmt, make_exif(orientation=orientation))

    result = processor.process(data)

    assert (result.width, result.height) == (120, 80)
    assert_upright(result.display, 120, 80)


@pytest.mark.parametrize("value", [0, 9, 255, 65535])
def test_an_invalid_orientation_value_leaves_the_picture_as_stored(processor, value):
    data = encode(picture(120, 80), "JPEG", make_exif(orientation=value))

    result = processor.process(data)

    assert (result.width, result.height) == (120, 80)
    assert_upright(result.display, 120, 80)
