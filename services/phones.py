"""Mainland China mobile numbers: validation, E.164 normalisation and masking."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

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
