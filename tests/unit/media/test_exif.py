"""EXIF read before stripping: GPS position, altitude and time, and the capture time, from
values constructed here; degenerate or absurd values become None, never an error."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from media.exif import exif_info, gps_position
from services.ports import ExifInfo
from tests.media_images import encode, jpeg_bytes, make_exif, picture

GPS = ExifTags.GPS
SHANGHAI = ZoneInfo("Asia/Shanghai")


def r(numerator: int, denominator: int = 1) -> IFDRational:
    return IFDRational(numerator, denominator)


def dms(degrees, minutes=0, seconds=0):
    return (r(degrees), r(minutes), r(seconds))


def exif_of(gps: dict | None = None, details: dict | None = None) -> ExifInfo:
    """Write an EXIF block into a real JPEG, run the processor's reader on what Pillow reads."""
    from media.pipeline import PillowImageProcessor

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    if gps is not None:
        block = exif.get_ifd(ExifTags.IFD.GPSInfo)
        block.update(gps)
    if details is not None:
        exif.get_ifd(ExifTags.IFD.Exif).update(details)
    data = encode(picture(), "JPEG", exif)
    processor = PillowImageProcessor(max_bytes=10**7, max_pixels=10**7)
    return processor.process(data).exif


SHANGHAI_FIX = {
    GPS.GPSLatitudeRef: "N",
    GPS.GPSLatitude: (r(31), r(14), r(2468, 100)),  # 31°14'24.68" = 31.240189
    GPS.GPSLongitudeRef: "E",
    GPS.GPSLongitude: (r(121), r(29), r(1234, 100)),  # 121°29'12.34" = 121.486761
}


def test_gps_north_east_is_read_from_degree_minute_second_rationals():
    info = exif_of(SHANGHAI_FIX)

    assert info.lat == pytest.approx(31 + 14 / 60 + 24.68 / 3600, abs=1e-7)
    assert info.lng == pytest.approx(121 + 29 / 60 + 12.34 / 3600, abs=1e-7)


def test_gps_south_west_gives_negative_coordinates():
    info = exif_of(
        {
            GPS.GPSLatitudeRef: "S",
            GPS.GPSLatitude: dms(33, 52, 4),
            GPS.GPSLongitudeRef: "W",
            GPS.GPSLongitude: dms(70, 40, 12),
        }
    )

    assert info.lat == pytest.approx(-(33 + 52 / 60 + 4 / 3600))
    assert info.lng == pytest.approx(-(70 + 40 / 60 + 12 / 3600))


def test_gps_written_by_the_shared_test_helper_round_trips():
    info = exif_of_jpeg(jpeg_bytes(gps=(-22.5, 114.25)))
    assert (info.lat, info.lng) == (pytest.approx(-22.5), pytest.approx(114.25))


def exif_of_jpeg(data: bytes) -> ExifInfo:
    from media.pipeline import PillowImageProcessor

    return PillowImageProcessor(max_bytes=10**7, max_pixels=10**7).process(data).exif


def test_decimal_minutes_are_understood():
    info = exif_of({**SHANGHAI_FIX, GPS.GPSLatitude: (r(31), r(1440, 100), r(0))})
    assert info.lat == pytest.approx(31.24)


@pytest.mark.parametrize(
    "gps",
    [
        pytest.param({**SHANGHAI_FIX, GPS.GPSLatitude: dms(0), GPS.GPSLongitude: dms(0)}, id="0,0"),
        pytest.param({**SHANGHAI_FIX, GPS.GPSLatitude: dms(91)}, id="lat>90"),
        pytest.param({**SHANGHAI_FIX, GPS.GPSLongitude: dms(181)}, id="lng>180"),
        pytest.param({**SHANGHAI_FIX, GPS.GPSLatitude: dms(89, 60, 60)}, id="lat>90-by-minutes"),
        pytest.param({**SHANGHAI_FIX, GPS.GPSLatitude: dms(31, 75)}, id="minutes>60"),
        pytest.param({}, id="empty-gps-ifd"),
        pytest.param(
            {k: v for k, v in SHANGHAI_FIX.items() if k != GPS.GPSLatitudeRef}, id="no-lat-ref"
        ),
        pytest.param(
            {k: v for k, v in SHANGHAI_FIX.items() if k != GPS.GPSLongitudeRef}, id="no-lng-ref"
        ),
        pytest.param({**SHANGHAI_FIX, GPS.GPSLatitudeRef: "X"}, id="bad-ref"),
        pytest.param(
            {k: v for k, v in SHANGHAI_FIX.items() if k != GPS.GPSLongitude}, id="no-longitude"
        ),
        pytest.param({**SHANGHAI_FIX, GPS.GPSLatitude: (r(31), r(14))}, id="two-components"),
        pytest.param({**SHANGHAI_FIX, GPS.GPSLatitude: (r(31, 0), r(0), r(0))}, id="zero-denom"),
        pytest.param({**SHANGHAI_FIX, GPS.GPSLongitude: (r(0, 0), r(0), r(0))}, id="zero-by-zero"),
        pytest.param({**SHANGHAI_FIX, GPS.GPSStatus: "V"}, id="status-void"),
    ],
)
def test_degenerate_gps_means_no_fix(gps):
    info = exif_of(gps)
    assert (info.lat, info.lng) == (None, None)


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), -1.0, "31", b"31", None, (), (1.0, 2.0, float("inf"))],
)
def test_non_finite_or_malformed_components_mean_no_fix(value):
    assert gps_position({**SHANGHAI_FIX, GPS.GPSLatitude: value}) == (None, None)
    assert gps_position({**SHANGHAI_FIX, GPS.GPSLatitude: (value, 0, 0)}) == (None, None)


def test_lowercase_and_bytes_references_are_understood():
    lat, lng = gps_position(
        {**SHANGHAI_FIX, GPS.GPSLatitudeRef: b"s\x00", GPS.GPSLongitudeRef: "w"}
    )
    assert lat < 0 and lng < 0


def test_a_fix_on_the_equator_or_meridian_alone_is_kept():
    info = exif_of({**SHANGHAI_FIX, GPS.GPSLatitude: dms(0)})
    assert info.lat == 0.0 and info.lng == pytest.approx(121.486761, abs=1e-6)


def test_altitude_above_and_below_sea_level():
    above = exif_of({**SHANGHAI_FIX, GPS.GPSAltitudeRef: 0, GPS.GPSAltitude: r(12345, 100)})
    below = exif_of({**SHANGHAI_FIX, GPS.GPSAltitudeRef: 1, GPS.GPSAltitude: r(4250, 100)})

    assert above.altitude_m == pytest.approx(123.45)
    assert below.altitude_m == pytest.approx(-42.5)


def test_altitude_from_the_shared_helper_below_sea_level():
    exif = make_exif(gps=(31.0, 121.0), altitude_m=-12.5)
    assert exif_of_jpeg(encode(picture(), "JPEG", exif)).altitude_m == pytest.approx(-12.5)


@pytest.mark.parametrize("altitude", [r(1, 0), r(10**9), r(0, 0)])
def test_absurd_altitude_is_none(altitude):
    assert exif_of({**SHANGHAI_FIX, GPS.GPSAltitude: altitude}).altitude_m is None


def test_gps_time_combines_date_and_time_stamps_in_utc():
    info = exif_of(
        {
            **SHANGHAI_FIX,
            GPS.GPSDateStamp: "2026:11:20",
            GPS.GPSTimeStamp: (r(2), r(5), r(3050, 100)),
        }
    )

    assert info.gps_time == dt.datetime(2026, 11, 20, 2, 5, 30, 500_000, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("date", "time"),
    [
        ("2026:13:20", (r(2), r(5), r(30))),
        ("0000:00:00", (r(0), r(0), r(0))),
        ("garbage", (r(2), r(5), r(30))),
        ("2026:11:20", (r(25), r(0), r(0))),
        ("2026:11:20", (r(1, 0), r(0), r(0))),
        ("2026:11:20", (r(2), r(5))),
    ],
)
def test_absurd_gps_time_is_none(date, time):
    info = exif_of({**SHANGHAI_FIX, GPS.GPSDateStamp: date, GPS.GPSTimeStamp: time})
    assert info.gps_time is None
    assert info.lat is not None  # a bad clock does not spoil the position


def test_date_time_original_without_offset_is_shanghai_time():
    info = exif_of(details={ExifTags.Base.DateTimeOriginal: "2026:11:20 09:30:15"})
    assert info.taken_at == dt.datetime(2026, 11, 20, 9, 30, 15, tzinfo=SHANGHAI)
    assert info.taken_at.utcoffset() == dt.timedelta(hours=8)


def test_date_time_original_with_its_offset_tag_uses_that_offset():
    info = exif_of(
        details={
            ExifTags.Base.DateTimeOriginal: "2026:11:20 09:30:15",
            ExifTags.Base.OffsetTimeOriginal: "-05:00",
        }
    )
    assert info.taken_at == dt.datetime(2026, 11, 20, 14, 30, 15, tzinfo=dt.UTC)


def test_date_time_digitized_is_the_fallback():
    info = exif_of(details={ExifTags.Base.DateTimeDigitized: "2025:01:02 03:04:05"})
    assert info.taken_at == dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=SHANGHAI)


def test_the_shared_helper_taken_at_round_trips():
    taken = dt.datetime(2026, 5, 1, 8, 0, 0)  # noqa: DTZ001 - EXIF local time has no zone
    info = exif_of_jpeg(jpeg_bytes(taken_at=taken))
    assert info.taken_at == taken.replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "text",
    [
        "0000:00:00 00:00:00",
        "    :  :     :  :  ",
        "2026:13:01 10:00:00",
        "2026:02:30 10:00:00",
        "2026:11:20 24:00:00",
        "2026:11:20 10:61:00",
        "garbage",
        "",
        "1850:01:01 00:00:00",
        "9999:12:31 23:59:59",
    ],
)
def test_absurd_capture_times_are_none(text):
    info = exif_of(details={ExifTags.Base.DateTimeOriginal: text})
    assert info.taken_at is None


@pytest.mark.parametrize("offset", ["+25:00", "garbage", "+08:99", ""])
def test_an_absurd_offset_falls_back_to_shanghai(offset):
    info = exif_of(
        details={
            ExifTags.Base.DateTimeOriginal: "2026:11:20 09:30:15",
            ExifTags.Base.OffsetTimeOriginal: offset,
        }
    )
    assert info.taken_at == dt.datetime(2026, 11, 20, 9, 30, 15, tzinfo=SHANGHAI)


def test_no_exif_at_all_gives_an_empty_record(processor):
    from tests.media_images import png_bytes

    assert processor.process(png_bytes()).exif == ExifInfo()


def test_heic_exif_is_read(processor):
    from tests.media_images import heic_bytes

    info = processor.process(heic_bytes(gps=(39.9042, 116.4074))).exif
    assert (info.lat, info.lng) == (pytest.approx(39.9042, abs=1e-4), pytest.approx(116.4074))


def test_webp_and_png_exif_is_read(processor):
    exif = make_exif(gps=(23.13, 113.26))
    for fmt in ("WEBP", "PNG"):
        info = processor.process(encode(picture(), fmt, exif)).exif
        assert info.lat == pytest.approx(23.13, abs=1e-4), fmt


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")  # Pillow says so, and carries on
def test_a_garbled_exif_block_is_ignored_not_fatal(processor):
    from tests.media_images import insert_jpeg_segment, jpeg_segment

    garbage = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff" + b"\xde\xad\xbe\xef" * 40
    data = insert_jpeg_segment(jpeg_bytes(), jpeg_segment(0xE1, garbage))

    assert processor.process(data).exif.lat is None


def test_exif_info_of_an_empty_block_is_empty():
    assert exif_info(Image.Exif()) == ExifInfo()
