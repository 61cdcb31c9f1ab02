"""The processor under test, with the production limits (20 MB, 50 MP) unless a test says."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from media.pipeline import PillowImageProcessor


@pytest.fixture
def processor() -> PillowImageProcessor:
    return PillowImageProcessor(max_bytes=20 * 1024 * 1024, max_pixels=50_000_000)


def open_jpeg(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data), formats=["JPEG"])
    img.load()
    return img
