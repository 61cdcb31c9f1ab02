"""What the original's EXIF says, read before the derivatives are stripped of it.

Phones write GPS as degree/minute/second rationals with N/S/E/W references, times as text in
local time with an optional offset tag. Hostile or broken files write anything at all; every
value that is absent, degenerate or absurd becomes None, never an exception.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import numbers
import re
import struct
from zoneinfo import ZoneInfo

from PIL import ExifTags, Image

from services.ports import ExifInfo

logger = logging.getLogger(__name__)

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")  # phones in China write local time without an offset
_EARLIEST_YEAR, _LATEST_YEAR = 1970, 2100
_MAX_ALTITUDE_M = 100_000.0  # above this (or below -this) it is garbage, not a place
_NULL_ISLAND = 1e-6  # degrees; a fix at exactly 0,0 is a phone with no fix
_DATE_TIME = re.compile(r"^\s*(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_DATE = re.compile(r"^\s*(\d{4}):(\d{2}):(\d{2})\s*$")
_OFFSET = re.compile(r"^\s*([+-])(\d{2}):(\d{2})\s*$")
# Anything parsing a hostile EXIF block may raise; none of it may escape as a 500.
_PARSE_ERRORS = (
    ArithmeticError,
    AttributeError,
    EOFError,
    IndexError,
    KeyError,
    OSError,
    SyntaxError,
    TypeError,
    ValueError,
    struct.error,
)

_GPS = ExifTags.GPS
_BASE = ExifTags.Base


def read_exif(img: Image.Image) -> tuple[ExifInfo, int]:
    """The EXIF facts of an opened (not yet decoded) image and its orientation (1-8; 1 when
    absent or invalid). A block that cannot be parsed counts as no EXIF."""
    try:
        exif = img.getexif()
    except _PARSE_ERRORS:
        logger.info("unreadable EXIF block ignored")
        return ExifInfo(), 1
    return exif_info(exif), orientation(exif)


def exif_info(exif: Image.Exif) -> ExifInfo:
    gps = _ifd(exif, ExifTags.IFD.GPSInfo)
    details = _ifd(exif, ExifTags.IFD.Exif)
    lat, lng = gps_position(gps)
    return ExifInfo(
        lat=lat,
        lng=lng,
        altitude_m=gps_altitude(gps),
        gps_time=gps_time(gps),
        taken_at=taken_at(details),
    )


def orientation(exif: Image.Exif) -> int:
    try:
        value = _scalar(exif.get(_BASE.Orientation))
        number = int(value) if value is not None else 1
    except _PARSE_ERRORS:
        return 1
    return number if 1 <= number <= 8 else 1


def _ifd(exif: Image.Exif, tag: int) -> dict:
    try:
        return dict(exif.get_ifd(tag))
    except _PARSE_ERRORS:
        return {}


# --- GPS ----------------------------------------------------------------------------------


def gps_position(gps: dict) -> tuple[float | None, float | None]:
    """Latitude and longitude in degrees, or (None, None) for no fix or a degenerate one."""
    if _text(gps.get(_GPS.GPSStatus)) == "V":  # the receiver said "void": no fix
        return None, None
    lat = _coordinate(gps.get(_GPS.GPSLatitude), gps.get(_GPS.GPSLatitudeRef), "N", "S", 90.0)
    lng = _coordinate(gps.get(_GPS.GPSLongitude), gps.get(_GPS.GPSLongitudeRef), "E", "W", 180.0)
    if lat is None or lng is None:
        return None, None
    if abs(lat) < _NULL_ISLAND and abs(lng) < _NULL_ISLAND:
        return None, None
    return lat, lng


def _coordinate(value, ref, positive: str, negative: str, limit: float) -> float | None:
    direction = _text(ref)
    if direction is None or direction[:1].upper() not in (positive, negative):
        return None
    parts = _numbers(value)
    if parts is None or len(parts) != 3:
        return None
    degrees, minutes, seconds = parts
    # 60 happens: writers round 59.99996 seconds up without carrying into the minutes.
    if degrees < 0 or not 0 <= minutes <= 60 or not 0 <= seconds <= 60:
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if result > limit:
        return None
    return -result if direction[:1].upper() == negative else result


def gps_altitude(gps: dict) -> float | None:
    value = _number(_scalar(gps.get(_GPS.GPSAltitude)))
    if value is None or value < 0 or value > _MAX_ALTITUDE_M:
        return None
    ref = _scalar(gps.get(_GPS.GPSAltitudeRef))
    if isinstance(ref, bytes):
        ref = ref[:1] == b"\x01"
    elif isinstance(ref, str):
        ref = ref.strip("\x00 ") == "1"
    below_sea_level = ref is True or ref == 1
    return -value if below_sea_level else value


def gps_time(gps: dict) -> dt.datetime | None:
    """GPSDateStamp + GPSTimeStamp as an aware UTC datetime."""
    date = _text(gps.get(_GPS.GPSDateStamp))
    parts = _numbers(gps.get(_GPS.GPSTimeStamp))
    if date is None or parts is None or len(parts) != 3:
        return None
    match = _DATE.match(date)
    hours, minutes, seconds = parts
    if match is None or not (0 <= hours < 24 and 0 <= minutes < 60 and 0 <= seconds < 61):
        return None
    day = _date(*(int(group) for group in match.groups()))
    if day is None:
        return None
    whole = int(seconds)
    return dt.datetime(
        day.year,
        day.month,
        day.day,
        int(hours),
        int(minutes),
        min(whole, 59),
        round((seconds - whole) * 1_000_000) % 1_000_000,
        tzinfo=dt.UTC,
    )


# --- capture time -------------------------------------------------------------------------


def taken_at(details: dict) -> dt.datetime | None:
    """DateTimeOriginal (else DateTimeDigitized) with its offset tag, else in Asia/Shanghai."""
    for stamp_tag, offset_tag in (
        (_BASE.DateTimeOriginal, _BASE.OffsetTimeOriginal),
        (_BASE.DateTimeDigitized, _BASE.OffsetTimeDigitized),
    ):
        stamp = _parse_stamp(_text(details.get(stamp_tag)), _text(details.get(offset_tag)))
        if stamp is not None:
            return stamp
    return None


def _parse_stamp(text: str | None, offset: str | None) -> dt.datetime | None:
    if text is None:
        return None
    match = _DATE_TIME.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(group) for group in match.groups())
    date = _date(year, month, day)
    if date is None or hour > 23 or minute > 59 or second > 60:
        return None
    zone = _zone(offset) or DEFAULT_ZONE
    return dt.datetime(year, month, day, hour, minute, min(second, 59), tzinfo=zone)


def _zone(offset: str | None) -> dt.tzinfo | None:
    match = _OFFSET.match(offset) if offset else None
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    delta = dt.timedelta(hours=int(hours), minutes=int(minutes))
    if delta > dt.timedelta(hours=14) or int(minutes) >= 60:
        return None
    return dt.timezone(-delta if sign == "-" else delta)


def _date(year: int, month: int, day: int) -> dt.date | None:
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- values as Pillow hands them over -----------------------------------------------------


def _scalar(value):
    if isinstance(value, tuple | list):
        return value[0] if len(value) == 1 else None
    return value


def _number(value) -> float | None:
    """A finite float from an int, float or IFDRational (a zero denominator gives NaN)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None  # text, bytes, None: not a number, whatever it spells
    try:
        number = float(value)
    except _PARSE_ERRORS:
        return None
    return number if math.isfinite(number) else None


def _numbers(value) -> list[float] | None:
    if not isinstance(value, tuple | list) or not value:
        return None
    numbers = [_number(item) for item in value]
    if any(number is None for number in numbers):
        return None
    return numbers  # type: ignore[return-value]


def _text(value) -> str | None:
    value = _scalar(value)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    value = value.strip("\x00 ")
    return value or None
