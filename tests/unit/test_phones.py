"""Mainland mobile numbers: what is accepted, what is refused, and how numbers are masked."""

import pytest

from services.errors import ValidationFailed
from services.phones import mask_phone, normalise_mobile


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "8613812345678",
        "86 138 1234 5678",
        "008613812345678",
        "138-1234-5678",
        "+86 (138) 1234-5678",
        " 13812345678 ",
        "１３８１２３４５６７８",  # full-width digits, as some Chinese keyboards type them
    ],
)
def test_normalise_mobile_accepts_common_spellings_of_one_number(raw):
    assert normalise_mobile(raw) == "+8613812345678"


@pytest.mark.parametrize("raw", ["17012345678", "19912345678", "15012345678"])
def test_normalise_mobile_accepts_other_mobile_prefixes(raw):
    assert normalise_mobile(raw) == "+86" + raw


@pytest.mark.parametrize(
    "raw",
    [
        "02158881234",  # Shanghai landline
        "+86 21 5888 1234",
        "+86 10 1234 5678",  # Beijing landline
    ],
)
def test_normalise_mobile_refuses_landlines(raw):
    with pytest.raises(ValidationFailed) as caught:
        normalise_mobile(raw)
    assert caught.value.fields == {"phone": "phone_invalid"}


@pytest.mark.parametrize(
    "raw",
    [
        "+12025550123",  # United States
        "+852 9123 4567",  # Hong Kong is not the mainland
        "+44 7911 123456",
    ],
)
def test_normalise_mobile_refuses_numbers_outside_the_mainland(raw):
    with pytest.raises(ValidationFailed):
        normalise_mobile(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "abc",
        "+",
        "1381234567",  # one digit short
        "138123456789",  # one digit long
        "+86 13812345678abc",
        "13812345678 <script>",
        "138ABCD5678",  # letters would be read as a keypad "vanity" number: someone else's phone
        "1-800-FLOWERS",
        "13812345678 ext 5",
        "13812345678;ext=1",
        "1\u200b3812345678",  # zero-width space hiding inside the digits
    ],
)
def test_normalise_mobile_refuses_garbage(raw):
    with pytest.raises(ValidationFailed) as caught:
        normalise_mobile(raw)
    assert caught.value.fields == {"phone": "phone_invalid"}


@pytest.mark.parametrize("raw", ["1" * 33, "+86 " + "1" * 40, "13812345678" + " " * 30])
def test_normalise_mobile_refuses_overlong_input(raw):
    with pytest.raises(ValidationFailed):
        normalise_mobile(raw)


@pytest.mark.parametrize("raw", [None, 13812345678, b"13812345678"])
def test_normalise_mobile_refuses_values_that_are_not_text(raw):
    with pytest.raises(ValidationFailed):
        normalise_mobile(raw)


def test_normalise_mobile_names_the_field_it_was_given():
    with pytest.raises(ValidationFailed) as caught:
        normalise_mobile("nope", field_name="contact_phone")
    assert caught.value.fields == {"contact_phone": "phone_invalid"}


def test_mask_phone_keeps_the_first_three_and_last_four_digits():
    assert mask_phone("+8613812345678") == "138****5678"


def test_mask_phone_of_a_normalised_number_never_contains_the_full_number():
    masked = mask_phone(normalise_mobile("+86 139 8765 4321"))
    assert masked == "139****4321"
    assert "98765" not in masked


@pytest.mark.parametrize("value", [None, ""])
def test_mask_phone_of_nothing_is_none(value):
    assert mask_phone(value) is None


def test_mask_phone_hides_short_values_completely():
    assert mask_phone("+86123") == "***"


def test_mask_phone_of_a_foreign_number_masks_the_middle():
    assert mask_phone("+12025550123") == "120****0123"
