"""Which files the pipeline accepts, judged by their bytes: JPEG, PNG, WebP and HEIC/HEIF."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from media.sniff import HEIC, HEIF, JPEG, PNG, WEBP, sniff
from tests.media_images import (
    bmff_box,
    encode,
    heic_bytes,
    jpeg_bytes,
    photo,
    picture,
    png_bytes,
    webp_bytes,
)


@pytest.mark.parametrize(
    ("make", "mime", "extension"),
    [
        (jpeg_bytes, "image/jpeg", "jpg"),
        (png_bytes, "image/png", "png"),
        (webp_bytes, "image/webp", "webp"),
        (heic_bytes, "image/heic", "heic"),
    ],
)
def test_every_accepted_format_is_processed_with_its_mime_and_extension(
    processor, make, mime, extension
):
    data = make(64, 48)

    result = processor.process(data)

    assert (result.mime, result.extension) == (mime, extension)
    assert (result.width, result.height) == (64, 48)
    assert result.size_bytes == len(data)


def test_the_format_comes_from_the_bytes_not_from_what_the_client_claims(processor):
    # A PNG sent as "photo.jpg" with image/jpeg is still a PNG: the processor sees bytes only.
    assert processor.process(png_bytes()).mime == "image/png"


@pytest.mark.parametrize(
    ("mode", "extra"),
    [
        ("P", {"transparency": 0}),  # palette with a transparent index
        ("RGBA", {}),
        ("LA", {}),
        ("L", {}),
        ("1", {}),
        ("I;16", {}),
    ],
)
def test_png_in_every_common_mode_is_accepted(processor, mode, extra):
    img = picture(64, 48).convert("RGBA" if mode in ("RGBA", "LA") else "RGB")
    img = img.convert(mode) if mode != "I;16" else img.convert("L").convert("I;16")

    result = processor.process(encode(img, "PNG", **extra))

    assert (result.mime, result.width, result.height) == ("image/png", 64, 48)


def test_palette_png_with_transparency_is_composited_on_white(processor):
    img = Image.new("P", (40, 40), 0)
    img.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    img.paste(1, (20, 0, 40, 40))  # right half opaque red, left half transparent index 0

    result = processor.process(encode(img, "PNG", transparency=0))

    display = Image.open(io.BytesIO(result.display))
    assert all(channel > 240 for channel in display.getpixel((5, 20)))  # white, not black
    red, green, blue = display.getpixel((35, 20))
    assert red > 200 and green < 40 and blue < 40


def test_rgba_png_alpha_is_composited_on_white(processor):
    img = Image.new("RGBA", (40, 40), (0, 0, 255, 0))

    display = Image.open(io.BytesIO(processor.process(encode(img, "PNG")).display))

    assert all(channel > 240 for channel in display.getpixel((20, 20)))


def test_sixteen_bit_greyscale_is_scaled_not_clipped_to_white(processor):
    img = Image.new("I;16", (32, 32), 0x4000)  # a quarter of full scale: dark grey

    display = Image.open(io.BytesIO(processor.process(encode(img, "PNG")).display))

    red, green, blue = display.getpixel((16, 16))
    assert 50 < red < 80 and abs(red - green) < 3 and abs(red - blue) < 3


def test_cmyk_jpeg_is_converted_to_rgb(processor):
    img = picture(64, 48).convert("CMYK")

    result = processor.process(encode(img, "JPEG"))

    display = Image.open(io.BytesIO(result.display))
    assert display.mode == "RGB"
    red, green, blue = display.getpixel((4, 4))
    assert red > green and red > blue


def test_greyscale_and_progressive_jpegs_are_accepted(processor):
    grey = encode(photo(200, 100).convert("L"), "JPEG")
    progressive = encode(photo(200, 100), "JPEG", progressive=True)

    assert processor.process(grey).width == 200
    assert processor.process(progressive).height == 100


def test_lossless_and_animated_webp_are_accepted(processor):
    lossless = encode(picture(64, 48), "WEBP", lossless=True)
    frames = [picture(64, 48), picture(64, 48, color=(0, 200, 0))]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100)

    assert processor.process(lossless).mime == "image/webp"
    assert processor.process(out.getvalue()).width == 64


def test_webp_with_alpha_is_accepted(processor):
    img = Image.new("RGBA", (30, 20), (255, 0, 0, 128))
    assert processor.process(encode(img, "WEBP")).mime == "image/webp"


def test_heic_with_alpha_is_accepted(processor):
    img = Image.new("RGBA", (64, 48), (255, 0, 0, 128))
    assert processor.process(encode(img, "HEIF")).mime == "image/heic"


@pytest.mark.parametrize(
    ("major", "compatible", "expected"),
    [
        (b"heic", b"mif1heic", HEIC),
        (b"mif1", b"mif1heic", HEIC),  # an HEVC brand among the compatible ones
        (b"heix", b"", HEIC),
        (b"hevc", b"msf1", HEIC),
        (b"mif1", b"miaf", HEIF),  # generic HEIF only
        (b"msf1", b"", HEIF),
    ],
)
def test_heif_is_recognised_by_major_or_compatible_brand(major, compatible, expected):
    ftyp = bmff_box(b"ftyp", major + b"\x00\x00\x00\x00" + compatible)
    assert sniff(ftyp + b"\x00" * 32) is expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, JPEG),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, PNG),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", WEBP),
    ],
)
def test_signatures_are_recognised(data, expected):
    assert sniff(data) is expected
