"""Departments' public service numbers: landlines, mobiles and hotlines, in their written form."""

from __future__ import annotations

import pytest

from services.errors import ValidationFailed
from services.phones import normalise_service_phone


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("0527-84000001", "0527-84000001"),
        ("052784000001", "0527-84000001"),
        ("0527 8400 0001", "0527-84000001"),
        ("(0527)84000001", "0527-84000001"),
        ("+86 527 8400 0001", "0527-84000001"),
        ("010-12345678", "010-12345678"),
        ("021-61234567", "021-61234567"),
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("400-810-8888", "400-810-8888"),
        ("8008208820", "800-820-8820"),
        ("12345", "12345"),
        ("95598", "95598"),
        # What a keyboard or a paste adds is dropped: only the canonical form is stored.
        ("0527-84000001\n", "0527-84000001"),
        ("１３８１２３４５６７８", "13812345678"),
    ],
)
def test_valid_numbers_are_stored_as_people_write_them(raw, stored):
    assert normalise_service_phone(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "0527-8400000",  # a digit short
        "0527-84000001-123",  # extensions are not service numbers
        "1234",
        "+8612345",
        "+1 650 253 0000",
        "138ABCD5678",
        "0527\x0084000001",
        "1" * 40,
        None,
        12345,
    ],
)
def test_anything_else_is_refused_on_the_named_field(raw):
    with pytest.raises(ValidationFailed) as caught:
        normalise_service_phone(raw, field_name="phone")
    assert caught.value.fields == {"phone": "service_phone_invalid"}
