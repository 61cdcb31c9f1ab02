"""Distance between perceptual hashes (hex strings), for near-duplicate photos.

Pure and tiny so both the services (duplicate detection) and ``media.phash`` use the one
definition.
"""

from __future__ import annotations

import re

_HEX = re.compile(r"[0-9a-fA-F]+")


def phash_distance(a: str, b: str) -> int:
    """The number of differing bits (Hamming distance) of two equally long hex hashes.

    ``ValueError`` for hashes that are empty, not hexadecimal or of different lengths.
    """
    if len(a) != len(b) or not _HEX.fullmatch(a) or not _HEX.fullmatch(b):
        raise ValueError(f"not comparable perceptual hashes: {a!r}, {b!r}")
    return (int(a, 16) ^ int(b, 16)).bit_count()
