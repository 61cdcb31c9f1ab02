"""Perceptual hash: a 64-bit difference hash (dHash) of the oriented picture.

Shrink to 9x8 grey, then one bit per neighbouring pair in each row (is the left pixel
brighter?). Re-encoding, resizing and mild colour changes keep most bits; different scenes
differ in about half of them.
"""

from __future__ import annotations

import itertools

from PIL import Image

from services.media_hash import phash_distance

__all__ = ["HASH_SIZE", "dhash", "hamming"]

HASH_SIZE = 8  # bits per row and rows: 64 bits, 16 hex digits


def dhash(img: Image.Image) -> str:
    """The dHash of ``img`` as 16 lowercase hex digits."""
    grey = img.convert("L").resize((HASH_SIZE + 1, HASH_SIZE), Image.Resampling.BOX)
    pixels = grey.tobytes()
    value = 0
    for row in range(HASH_SIZE):
        line = pixels[row * (HASH_SIZE + 1) : (row + 1) * (HASH_SIZE + 1)]
        for left, right in itertools.pairwise(line):
            value = (value << 1) | (left > right)
    return f"{value:0{HASH_SIZE * HASH_SIZE // 4}x}"


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hashes (see ``services.media_hash.phash_distance``)."""
    return phash_distance(a, b)
