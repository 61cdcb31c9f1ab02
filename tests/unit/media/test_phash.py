"""Perceptual hash: the same photo re-encoded or resized stays within distance 6; different
photos do not. The distance helper is shared with the services."""

from __future__ import annotations

import itertools

import pytest

from media.phash import dhash, hamming
from services.media_hash import phash_distance
from tests.media_images import encode, make_exif, photo, stored_for_orientation

NEAR = 6


@pytest.fixture(scope="module")
def original():
    return photo(1200, 900, seed=1)


def test_phash_is_sixteen_hex_digits(processor, original):
    value = processor.process(encode(original, "JPEG")).phash
    assert len(value) == 16 and int(value, 16) >= 0


@pytest.mark.parametrize(
    "variant",
    [
        lambda img: encode(img, "JPEG", quality=30),
        lambda img: encode(img.resize((600, 450)), "JPEG", quality=70),
        lambda img: encode(img.resize((300, 225)), "PNG"),
        lambda img: encode(img, "WEBP", quality=50),
        lambda img: encode(img, "HEIF", quality=50),
    ],
    ids=["low-quality", "half-size", "small-png", "webp", "heic"],
)
def test_the_same_photo_re_encoded_or_resized_is_near(processor, original, variant):
    reference = processor.process(encode(original, "JPEG", quality=95)).phash
    other = processor.process(variant(original)).phash

    assert hamming(reference, other) <= NEAR


def test_the_hash_is_of_the_oriented_picture(processor, original):
    upright = processor.process(encode(original, "JPEG")).phash
    stored = stored_for_orientation(original, 6)
    rotated = processor.process(encode(stored, "JPEG", make_exif(orientation=6))).phash

    assert hamming(upright, rotated) <= NEAR


def test_different_photos_are_far_apart(processor):
    hashes = [processor.process(encode(photo(640, 480, seed=s), "JPEG")).phash for s in range(5)]

    for a, b in itertools.combinations(hashes, 2):
        assert hamming(a, b) > NEAR


def test_dhash_of_a_flat_picture_is_all_zero():
    from PIL import Image

    assert dhash(Image.new("RGB", (50, 50), (90, 90, 90))) == "0" * 16


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("0" * 16, "0" * 16, 0), ("0" * 16, "f" * 16, 64), ("8000000000000001", "0" * 16, 2)],
)
def test_phash_distance_counts_differing_bits(a, b, distance):
    assert phash_distance(a, b) == distance == hamming(a, b)
    assert phash_distance(a.upper(), b) == distance


@pytest.mark.parametrize(("a", "b"), [("", ""), ("00", "000"), ("zz", "00"), ("-1", "01")])
def test_phash_distance_refuses_what_is_not_two_comparable_hashes(a, b):
    with pytest.raises(ValueError, match="perceptual hashes"):
        phash_distance(a, b)
