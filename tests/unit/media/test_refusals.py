"""Files that are not accepted photos are refused with 415/413/422 and say why."""

from __future__ import annotations

import io
import os
import zlib

import pytest
from PIL import Image

from services.errors import PayloadTooLarge, UnsupportedMedia, ValidationFailed
from services.messages import render
from tests.media_images import (
    bmff_box,
    encode,
    heic_bytes,
    jpeg_bytes,
    photo,
    picture,
    png_bytes,
    webp_bytes,
    zip_bytes,
)

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00"
MACH_O = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 24


def _gif() -> bytes:
    out = io.BytesIO()
    picture().save(out, "GIF")
    return out.getvalue()


def _avif() -> bytes:
    return bmff_box(b"ftyp", b"avif\x00\x00\x00\x00avifmif1miaf") + b"\x00" * 64


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        (_gif(), "GIF"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
        (b'\xef\xbb\xbf  <svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "SVG"),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "HTML"),
        (b"\n\n<html>\n<head></head></html>", "HTML"),
        (b'<?xml version="1.0"?><note/>', "XML"),
        (b"<?php system($_GET['c']); ?>", "PHP"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        (zip_bytes(), "ZIP"),
        (ELF, "ELF"),
        (PE, "PE"),
        (MACH_O, "Mach-O"),
        (_avif(), "AVIF"),
        (b"II*\x00\x08\x00\x00\x00" + b"\x00" * 32, "TIFF"),
        (b"BM" + b"\x00" * 60, "BMP"),
        (bmff_box(b"ftyp", b"qt  \x00\x00\x00\x00qt  ") + b"\x00" * 32, "QuickTime"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "RIFF WAVE"),
    ],
)
def test_other_formats_are_refused_with_415_naming_what_was_detected(processor, data, detected):
    with pytest.raises(UnsupportedMedia) as refused:
        processor.process(data)

    assert refused.value.key == "image_format_unsupported"
    assert refused.value.params["format"] == detected
    assert detected in render(refused.value.key, "en", **refused.value.params)


@pytest.mark.parametrize(
    "data",
    [b"x", b"hello, world", os.urandom(0) + bytes(range(256)) * 4, b"\x00" * 1024],
    ids=["one-byte", "text", "byte-ramp", "zeros"],
)
def test_unrecognisable_bytes_are_refused_with_415_unknown_format(processor, data):
    with pytest.raises(UnsupportedMedia) as refused:
        processor.process(data)

    assert refused.value.key == "image_format_unknown"


def test_random_bytes_are_refused(processor):
    data = b"\x42" + os.urandom(4095)  # never a signature we accept

    with pytest.raises(UnsupportedMedia):
        processor.process(data)


def test_an_empty_file_is_refused_as_empty(processor):
    with pytest.raises(ValidationFailed) as refused:
        processor.process(b"")

    assert refused.value.key == "image_empty"


@pytest.mark.parametrize("data", [b"\xff", b"\xff\xd8", b"\x89PN"], ids=["1", "2", "3"])
def test_the_first_bytes_of_an_accepted_format_alone_are_a_cut_off_upload(processor, data):
    with pytest.raises(ValidationFailed) as refused:
        processor.process(data)

    assert refused.value.key == "image_corrupt"


# --- size and pixel limits ----------------------------------------------------------------


def test_a_file_over_the_byte_limit_is_refused_with_413_and_the_limit():
    from media.pipeline import PillowImageProcessor

    processor = PillowImageProcessor(max_bytes=1000, max_pixels=50_000_000)
    data = jpeg_bytes(200, 200)
    assert len(data) > 1000

    with pytest.raises(PayloadTooLarge) as refused:
        processor.process(data)

    assert refused.value.key == "image_too_large"
    assert refused.value.params["limit"] == 1000


def test_the_byte_limit_is_checked_before_anything_is_parsed():
    from media.pipeline import PillowImageProcessor

    processor = PillowImageProcessor(max_bytes=10, max_pixels=50_000_000)
    with pytest.raises(PayloadTooLarge):
        processor.process(b"not an image at all, but too long anyway")


def test_a_file_of_exactly_the_byte_limit_is_accepted():
    from media.pipeline import PillowImageProcessor

    data = jpeg_bytes(32, 32)
    assert PillowImageProcessor(max_bytes=len(data), max_pixels=10_000).process(data)


def test_an_image_over_the_pixel_limit_is_refused_with_422_and_its_size():
    from media.pipeline import PillowImageProcessor

    processor = PillowImageProcessor(max_bytes=10**7, max_pixels=100 * 100)
    with pytest.raises(ValidationFailed) as refused:
        processor.process(png_bytes(101, 100))

    assert refused.value.key == "image_too_many_pixels"
    assert refused.value.params == {"width": 101, "height": 100, "limit": 10_000}


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body).to_bytes(4, "big")
    return len(body).to_bytes(4, "big") + kind + body + crc


def _png_declaring(width: int, height: int, idat: bytes) -> bytes:
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def test_a_png_decompression_bomb_is_refused_before_decoding(processor):
    # 30000 x 30000 RGB: 2.7 GB of pixels from a few kilobytes of zeros.
    row = b"\x00" * (1 + 30000 * 3)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(200)) + compressor.flush()
    data = _png_declaring(30000, 30000, idat)
    assert len(data) < 100_000

    with pytest.raises(ValidationFailed) as refused:
        processor.process(data)

    assert refused.value.key == "image_too_many_pixels"
    assert (refused.value.params["width"], refused.value.params["height"]) == (30000, 30000)


def _jpeg_declaring(width: int, height: int) -> bytes:
    data = bytearray(jpeg_bytes(16, 16))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 7] = height.to_bytes(2, "big")
    data[sof + 7 : sof + 9] = width.to_bytes(2, "big")
    return bytes(data)


def _webp_declaring(width: int, height: int) -> bytes:
    canvas = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    vp8x = b"VP8X" + (10).to_bytes(4, "little") + b"\x00\x00\x00\x00" + canvas
    body = b"WEBP" + vp8x
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def _heic_declaring(width: int, height: int) -> bytes:
    data = bytearray(heic_bytes(64, 48))
    ispe = data.index(b"ispe")
    data[ispe + 8 : ispe + 16] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    return bytes(data)


@pytest.mark.parametrize(
    "make",
    [
        lambda: _png_declaring(100_000, 100_000, zlib.compress(b"\x00" * 64)),
        lambda: _jpeg_declaring(65_000, 65_000),
        lambda: _webp_declaring(16_000, 16_000),
        lambda: _heic_declaring(100_000, 100_000),
    ],
    ids=["png", "jpeg", "webp", "heic"],
)
def test_huge_declared_dimensions_in_a_tiny_file_are_refused_from_the_header(processor, make):
    data = make()
    assert len(data) < 20_000

    with pytest.raises(ValidationFailed) as refused:
        processor.process(data)

    assert refused.value.key == "image_too_many_pixels"


def test_pillows_own_bomb_threshold_is_left_untouched(processor):
    before = Image.MAX_IMAGE_PIXELS
    with pytest.raises(ValidationFailed):
        processor.process(_png_declaring(30000, 30000, zlib.compress(b"\x00" * 64)))
    processor.process(jpeg_bytes())
    assert before == Image.MAX_IMAGE_PIXELS


def test_a_limit_above_pillows_threshold_lets_big_images_through_without_a_warning(recwarn):
    from media.pipeline import PillowImageProcessor

    # Keep the test small: lower Pillow's threshold instead of building a 90 MP image.
    processor = PillowImageProcessor(max_bytes=10**7, max_pixels=10**6)
    before = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 100 * 100
    try:
        result = processor.process(png_bytes(150, 100))
    finally:
        Image.MAX_IMAGE_PIXELS = before

    assert result.width == 150
    assert not [w for w in recwarn if issubclass(w.category, Image.DecompressionBombWarning)]


# --- truncated and corrupt ----------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: jpeg_bytes(200, 150),
        lambda: encode(photo(200, 150), "JPEG", progressive=True),
        lambda: png_bytes(200, 150),
        lambda: webp_bytes(200, 150),
        lambda: heic_bytes(200, 150),
    ],
    ids=["jpeg", "progressive-jpeg", "png", "webp", "heic"],
)
@pytest.mark.parametrize("keep", [0.2, 0.5, 0.9, 0.99])
def test_a_truncated_upload_is_refused_as_corrupt(processor, make, keep):
    data = make()

    with pytest.raises(ValidationFailed) as refused:
        processor.process(data[: int(len(data) * keep)])

    assert refused.value.key == "image_corrupt"


def test_a_jpeg_without_its_end_marker_is_refused_as_corrupt(processor):
    data = jpeg_bytes(100, 100)
    with pytest.raises(ValidationFailed):
        processor.process(data[:-2])


def test_a_png_with_damaged_pixel_data_is_refused_as_corrupt(processor):
    data = bytearray(png_bytes(64, 48))
    idat = data.index(b"IDAT")
    data[idat + 10 : idat + 14] = b"\x00\xff\x00\xff"  # the chunk's checksum no longer matches

    with pytest.raises(ValidationFailed) as refused:
        processor.process(bytes(data))

    assert refused.value.key == "image_corrupt"


def test_a_png_whose_pixel_data_is_not_compressed_data_is_refused_as_corrupt(processor):
    data = _png_declaring(64, 64, b"this is not zlib data at all")

    with pytest.raises(ValidationFailed) as refused:
        processor.process(data)

    assert refused.value.key == "image_corrupt"


def test_a_png_whose_first_chunk_is_not_its_header_is_refused_as_corrupt(processor):
    data = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"tEXt", b"a\x00b") + png_bytes()[8:]
    with pytest.raises(ValidationFailed):
        processor.process(data)


def test_a_jpeg_with_garbage_instead_of_a_frame_header_is_refused_as_corrupt(processor):
    with pytest.raises(ValidationFailed):
        processor.process(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100 + b"\xff\xd9")


def test_a_heic_with_a_broken_codec_stream_is_refused_as_corrupt(processor):
    data = bytearray(heic_bytes(64, 48))
    mdat = data.index(b"mdat")
    data[mdat + 4 : mdat + 200] = b"\x00" * 196

    with pytest.raises(ValidationFailed) as refused:
        processor.process(bytes(data))

    assert refused.value.key == "image_corrupt"


def test_an_image_with_zero_width_is_refused_as_corrupt(processor):
    with pytest.raises(ValidationFailed):
        processor.process(_jpeg_declaring(0, 10))


def test_memoryview_and_bytearray_inputs_are_accepted(processor):
    data = jpeg_bytes()
    assert processor.process(bytearray(data)).sha256 == processor.process(memoryview(data)).sha256
