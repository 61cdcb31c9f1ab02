"""Reading schedule files: JSON and CSV, every bad line reported by where it is."""

import datetime as dt
import json
from pathlib import Path

import pytest

from services.calendar_files import MAX_FILE_CHARS, FileFormat, guess_format, parse_schedule
from services.errors import ValidationFailed
from services.models.calendar import DayKind

FIXTURES = Path(__file__).parent.parent / "fixtures" / "calendar"
CSV, JSON = FileFormat.CSV, FileFormat.JSON


def _fields(text: str, fmt: FileFormat) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_schedule(text, fmt)
    return caught.value.fields


def _reason(text: str, fmt: FileFormat) -> str:
    with pytest.raises(ValidationFailed) as caught:
        parse_schedule(text, fmt)
    assert caught.value.key == "calendar_file_invalid"
    return caught.value.params["reason"]


def test_the_json_and_csv_samples_hold_the_same_schedule():
    from_json = parse_schedule((FIXTURES / "sample-2030.json").read_text("utf-8"), JSON)
    from_csv = parse_schedule((FIXTURES / "sample-2030.csv").read_text("utf-8"), CSV)
    assert from_json.year == from_csv.year == 2030
    assert [(d.day, d.kind, d.name) for d in from_json.days] == [
        (d.day, d.kind, d.name) for d in from_csv.days
    ]
    assert len(from_json.days) == 8
    assert from_csv.days[0].where == "line 4"  # comments and the header are lines too
    assert from_json.days[0].where == "days.0"


def test_a_bare_json_list_and_a_csv_with_a_bom_and_crlf_are_accepted():
    days = [{"date": "2031-01-01", "kind": "holiday", "name": "元旦"}]
    assert parse_schedule(json.dumps(days), JSON).year == 2031
    text = "\ufeffdate,kind,name\r\n2031-01-01, holiday ,元旦\r\n\r\n"
    (day,) = parse_schedule(text, CSV).days
    assert (day.day, day.kind, day.name) == (dt.date(2031, 1, 1), DayKind.HOLIDAY, "元旦")


def test_bad_csv_lines_are_all_reported_by_line_number():
    text = "\n".join(
        [
            "date,kind,name",
            "2030-02-30,holiday,不存在的日期",
            "2030-13-01,holiday,x",
            "20300101,holiday,x",
            "2030-W01-1,holiday,x",
            "2030-01-05,vacation,x",
            "2030-01-06,holiday",
            "2030-01-07,holiday,x,extra",
            "2030-01-08,workday,ok",
        ]
    )
    assert _fields(text, CSV) == {
        "line 2.date": "calendar_date_invalid",
        "line 3.date": "calendar_date_invalid",
        "line 4.date": "calendar_date_invalid",
        "line 5.date": "calendar_date_invalid",
        "line 6.kind": "calendar_kind_unknown",
        "line 7": "calendar_file_row_invalid",
        "line 8": "calendar_file_row_invalid",
    }


def test_bad_json_days_are_all_reported_by_index():
    days = [
        {"date": "2030-01-01", "kind": "holiday", "name": "ok"},
        {"date": 20300102, "kind": "holiday", "name": "x"},
        {"date": "2030-01-03", "kind": "HOLIDAY", "name": "x"},
        {"date": "2030-01-04", "kind": "holiday", "name": 7},
        {"date": "2030-01-05", "kind": "holiday", "name": "x", "admin": True},
        "2030-01-06,holiday,x",
    ]
    assert _fields(json.dumps({"year": 2030, "days": days}), JSON) == {
        "days.1.date": "calendar_date_invalid",
        "days.2.kind": "calendar_kind_unknown",
        "days.3.name": "calendar_name_invalid",
        "days.4.admin": "calendar_field_unknown",
        "days.5": "calendar_file_row_invalid",
    }


@pytest.mark.parametrize(
    ("text", "fmt", "reason"),
    [
        ("{not json", JSON, "not valid JSON"),
        ("[" * 100_000, JSON, "not valid JSON"),
        ('{"year": 2030}', JSON, "expected a list of days"),
        ('"2030-01-01"', JSON, "expected a list of days"),
        ("day,type,label\n2030-01-01,holiday,x", CSV, "the header must be date,kind,name"),
        ("2030-01-01,holiday,x", CSV, "the header must be"),
        ("x" * (MAX_FILE_CHARS + 1), CSV, "larger than"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(text, fmt, reason):
    assert reason in _reason(text, fmt)


@pytest.mark.parametrize(
    ("text", "fmt", "fields"),
    [
        ('{"year": 2030, "days": [], "extra": 1}', JSON, {"extra": "calendar_field_unknown"}),
        ('{"year": "2030", "days": []}', JSON, {"year": "calendar_year_out_of_range"}),
        ('{"year": true, "days": []}', JSON, {"year": "calendar_year_out_of_range"}),
        ('{"days": []}', JSON, {"days": "calendar_import_empty"}),
        ("# only a comment\n", CSV, {"days": "calendar_import_empty"}),
        ("date,kind,name\n", CSV, {"days": "calendar_import_empty"}),
        (
            "date,kind,name\n2030-12-31,holiday,x\n2031-01-01,holiday,y",
            CSV,
            {"year": "calendar_mixed_years"},
        ),
        (
            "date,kind,name\n" + "2030-01-01,holiday,x\n" * 367,
            CSV,
            {"days": "calendar_import_too_large"},
        ),
    ],
)
def test_files_of_the_wrong_shape_are_refused(text, fmt, fields):
    assert _fields(text, fmt) == fields


def test_the_format_comes_from_the_file_name():
    assert guess_format("2027.JSON") is JSON
    assert guess_format("schedule.csv") is CSV
    with pytest.raises(ValidationFailed):
        guess_format("schedule.xlsx")
