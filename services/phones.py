"""Mainland China mobile numbers: validation, E.164 normalisation and masking."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType, shortnumberinfo

from services.errors import ValidationFailed

_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
# Digits and the punctuation people type between them. The parser would otherwise read letters
# as keypad digits ("138ABCD5678" would text a stranger) and silently drop "ext 5" suffixes.
_PLAIN_NUMBER = re.compile(r"[\d\s()+\uff0b.-]+")


def normalise_mobile(raw: str, *, field_name: str = "phone") -> str:
    """Return the E.164 form of a mainland mobile number or raise ValidationFailed."""
    invalid = ValidationFailed(fields={field_name: "phone_invalid"})
    if not isinstance(raw, str) or len(raw) > 32 or not _PLAIN_NUMBER.fullmatch(raw):
        raise invalid
    try:
        number = phonenumbers.parse(raw, "CN")
    except NumberParseException:
        raise invalid from None
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _MOBILE_TYPES
    ):
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str | None) -> str | None:
    """``+8613812345678`` → ``138****5678``: enough to recognise, not to call."""
    if not e164:
        return None
    national = e164[3:] if e164.startswith("+86") else e164.lstrip("+")
    if len(national) < 7:
        return "*" * len(national)
    return f"{national[:3]}****{national[-4:]}"


# Public service numbers of departments: landlines, mobiles, 400/800 hotlines.
_SERVICE_TYPES = _MOBILE_TYPES | {
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.SHARED_COST,
}


def normalise_service_phone(raw: str, *, field_name: str = "phone") -> str:
    """A department's public number in its usual written form, or ValidationFailed.

    Landlines keep their area code with a dash (``0527-84000001``), mobiles are plain digits
    (``13812345678``), 400/800 numbers read ``400-810-8888`` and short hotlines stay as dialled
    (``12345``, ``95598``). These numbers are published, so they are stored and shown unmasked.
    """
    invalid = ValidationFailed(fields={field_name: "service_phone_invalid"})
    if not isinstance(raw, str) or len(raw) > 32 or not _PLAIN_NUMBER.fullmatch(raw):
        raise invalid
    try:
        number = phonenumbers.parse(raw, "CN")
    except NumberParseException:
        raise invalid from None
    if number.country_code != 86 or number.extension:
        raise invalid
    national = phonenumbers.national_significant_number(number)
    if not phonenumbers.is_valid_number(number):
        if shortnumberinfo.is_valid_short_number_for_region(number, "CN") and raw.strip().isdigit():
            return national
        raise invalid
    kind = phonenumbers.number_type(number)
    if kind not in _SERVICE_TYPES:
        raise invalid
    if kind in _MOBILE_TYPES and national.startswith("1"):
        return national
    if kind in (PhoneNumberType.TOLL_FREE, PhoneNumberType.SHARED_COST):
        return f"{national[:3]}-{national[3:6]}-{national[6:]}"
    area_len = phonenumbers.length_of_geographical_area_code(number) or 3
    return f"0{national[:area_len]}-{national[area_len:]}"
