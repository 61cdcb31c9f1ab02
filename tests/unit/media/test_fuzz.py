"""Whatever bytes arrive, the processor answers with a result or one of its three domain
errors: never anything a view would turn into a 500."""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from media.pipeline import PillowImageProcessor
from services.errors import PayloadTooLarge, UnsupportedMedia, ValidationFailed
from tests.media_images import encode, heic_bytes, make_exif, photo, png_bytes, webp_bytes

# Pillow warns about the broken EXIF blocks mutation produces, and carries on; so do we.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")

DOMAIN_ERRORS = (PayloadTooLarge, UnsupportedMedia, ValidationFailed)
PROCESSOR = PillowImageProcessor(max_bytes=200_000, max_pixels=4_000_000)


@functools.cache
def seeds() -> tuple[bytes, ...]:
    import datetime as dt

    local = dt.datetime(2026, 1, 2, 3, 4, 5)  # noqa: DTZ001 - EXIF local time has no zone
    exif = make_exif(gps=(31.2, 121.5), orientation=6, taken_at=local)
    return (
        encode(photo(96, 64), "JPEG", exif),
        encode(photo(96, 64), "JPEG", exif, progressive=True),
        png_bytes(48, 32),
        webp_bytes(48, 32),
        heic_bytes(48, 32, gps=(31.2, 121.5)),
    )


def _run(data: bytes) -> None:
    try:
        result = PROCESSOR.process(data)
    except DOMAIN_ERRORS:
        return
    assert result.display[:2] == b"\xff\xd8"
    assert result.width > 0 and result.height > 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_never_raise_anything_but_domain_errors(data):
    _run(data)


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "splice"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif action == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=32))
        else:
            width = draw(st.sampled_from([1, 2, 4]))
            data[pos : pos + width] = draw(
                st.sampled_from([b"\xff", b"\x00\x00", b"\xff\xff\xff\xff"])
            )
    return bytes(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_photos_never_raise_anything_but_domain_errors(data):
    _run(data)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(seeds()), st.binary(min_size=1, max_size=512))
def test_appended_bytes_never_raise_anything_but_domain_errors(data, tail):
    _run(data + tail)
