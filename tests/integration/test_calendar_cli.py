"""`onegrid calendar load|show|set|unset`, run against this test's transaction."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.calendar_sources import FALLBACK_WARNINGS
from services.models.audit import AuditEntry
from services.models.calendar import CalendarDay, CalendarYear

FIXTURES = Path(__file__).parent.parent / "fixtures" / "calendar"


@pytest.fixture
def cli(app, container):
    FALLBACK_WARNINGS.reset()
    return app.test_cli_runner()


def _stored(session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(CalendarDay)),
        session.scalar(select(func.count()).select_from(CalendarYear)),
        session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("calendar.%"))
        ),
    )


def test_show_lists_a_package_years_special_days_with_their_source(cli):
    result = cli.invoke(args=["calendar", "show", "2026"])
    assert result.exit_code == 0, result.output
    assert "2026: published schedule from chinese-calendar (package)" in result.output
    assert "working hours: 09:00-12:00, 13:30-17:30 (Asia/Shanghai)" in result.output
    assert "2026-10-01  Thu  holiday         package   国庆节" in result.output
    assert "2026-10-10  Sat  workday_makeup  package   国庆节" in result.output
    assert "39 special day(s)" in result.output
    assert "note:" not in result.output
    assert "2026-10-12" not in result.output  # an ordinary Monday


def test_show_notes_when_a_year_falls_back(cli):
    result = cli.invoke(args=["calendar", "show", "2027"])
    assert result.exit_code == 0, result.output
    assert "(fallback)" in result.output
    assert "2027-10-01  Fri  holiday         fallback  国庆节" in result.output
    assert "note: 2027 falls back" in result.output
    assert "onegrid calendar load FILE" in result.output


@pytest.mark.parametrize("year", ["0", "10000", "1899"])
def test_show_refuses_years_out_of_range(cli, year):
    result = cli.invoke(args=["calendar", "show", year])
    assert result.exit_code != 0
    assert "The year must be between 1900 and 2200." in result.output


@pytest.mark.parametrize("name", ["sample-2030.json", "sample-2030.csv"])
def test_load_imports_a_schedule_once_and_then_changes_nothing(cli, session, name):
    path = str(FIXTURES / name)
    first = cli.invoke(args=["calendar", "load", path])
    assert first.exit_code == 0, first.output
    assert "2030: 8 created, 0 updated, 0 unchanged" in first.output
    assert "set 2030-02-09 workday 春节调休上班（示例） (new)" in first.output
    assert _stored(session) == (8, 1, 1)
    second = cli.invoke(args=["calendar", "load", path])
    assert second.exit_code == 0, second.output
    assert "2030: 0 created, 0 updated, 8 unchanged" in second.output
    assert _stored(session) == (8, 1, 1)
    shown = cli.invoke(args=["calendar", "show", "2030"])
    assert "2030: schedule imported into the database (database)" in shown.output
    assert "2030-02-09  Sat  workday_makeup  database  春节调休上班（示例）" in shown.output


def test_load_dry_run_shows_the_changes_and_stores_nothing(cli, session):
    result = cli.invoke(args=["calendar", "load", str(FIXTURES / "sample-2030.json"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would set 2030-01-01 holiday 元旦（示例） (new)" in result.output
    assert "dry run: nothing was saved" in result.output
    assert _stored(session) == (0, 0, 0)


def test_load_reports_every_bad_line_and_stores_nothing(cli, session, tmp_path):
    bad = tmp_path / "2031.csv"
    bad.write_text(
        "date,kind,name\n2031-02-30,holiday,x\n2031-01-01,vacation,y\n2031-01-02,holiday,ok\n",
        encoding="utf-8",
    )
    result = cli.invoke(args=["calendar", "load", str(bad)])
    assert result.exit_code != 0
    assert "line 2.date: Not a valid date; use YYYY-MM-DD." in result.output
    assert "line 3.kind: The kind must be holiday or workday." in result.output
    assert _stored(session) == (0, 0, 0)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("2031.txt", "date,kind,name\n", "must end in .json or .csv"),
        ("2031.json", "{oops", "not valid JSON"),
        ("2031.csv", "date,kind,name\n2030-12-31,holiday,x\n2031-01-01,holiday,y\n", "one year"),
    ],
)
def test_load_refuses_unusable_files_with_a_clear_message(
    cli, session, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = cli.invoke(args=["calendar", "load", str(path)])
    assert result.exit_code != 0
    assert message in result.output
    assert _stored(session) == (0, 0, 0)


def test_load_refuses_files_that_are_not_utf8_or_missing(cli, tmp_path):
    path = tmp_path / "2031.csv"
    path.write_bytes("date,kind,name\n2031-01-01,holiday,元旦\n".encode("gbk"))
    assert "not UTF-8" in cli.invoke(args=["calendar", "load", str(path)]).output
    missing = cli.invoke(args=["calendar", "load", str(tmp_path / "nope.json")])
    assert missing.exit_code != 0 and "does not exist" in missing.output


def test_load_refuses_oversized_files_before_reading_them(cli, tmp_path):
    path = tmp_path / "big.csv"
    shutil.copy(FIXTURES / "sample-2030.csv", path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("#" + "x" * (1024 * 1024 + 10) + "\n")
    result = cli.invoke(args=["calendar", "load", str(path)])
    assert result.exit_code != 0 and "too large" in result.output


def test_set_and_unset_a_day(cli, session):
    result = cli.invoke(
        args=["calendar", "set", "2026-11-23", "--kind", "holiday", "--name", "台风停工"]
    )
    assert result.exit_code == 0, result.output
    assert "2026-11-23  Mon  holiday         database  台风停工" in result.output
    assert _stored(session) == (1, 0, 1)
    removed = cli.invoke(args=["calendar", "unset", "2026-11-23"])
    assert removed.exit_code == 0, removed.output
    assert "removed; now: 2026-11-23  Mon  working         package" in removed.output
    assert _stored(session) == (0, 0, 2)
    again = cli.invoke(args=["calendar", "unset", "2026-11-23"])
    assert again.exit_code != 0
    assert "Calendar override not found." in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026-02-30", "--kind", "holiday", "--name", "x"], "Invalid value"),
        (["2026/11/23", "--kind", "holiday", "--name", "x"], "Invalid value"),
        (["2026-11-23", "--kind", "vacation", "--name", "x"], "Invalid value"),
        (["2026-11-23", "--kind", "holiday"], "Missing option '--name'"),
        (["2026-11-23", "--kind", "holiday", "--name", ""], "1–50 visible characters"),
        (["2026-11-23", "--kind", "holiday", "--name", "a\tb"], "1–50 visible characters"),
        (["1800-01-01", "--kind", "holiday", "--name", "x"], "between 1900 and 2200"),
    ],
)
def test_set_refuses_bad_input_and_stores_nothing(cli, session, args, message):
    result = cli.invoke(args=["calendar", "set", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert _stored(session) == (0, 0, 0)


def test_the_console_script_lists_the_calendar_commands(cli):
    result = cli.invoke(args=["calendar", "--help"])
    assert result.exit_code == 0
    for command in ("load", "show", "set", "unset"):
        assert command in result.output
