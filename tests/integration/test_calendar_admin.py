"""Calendar administration: platform admins only, audited, idempotent, all-or-nothing imports."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.actors import Actor
from services.calendar import DayType, Source
from services.calendar_admin import ScheduleDay, import_schedule, set_day, unset_day
from services.calendar_files import (
    FileFormat,
    guess_format,
    import_schedule_file,
    parse_schedule,
)
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.models.accounts import Role
from services.models.audit import AuditEntry
from services.models.calendar import CalendarDay, CalendarYear, DayKind
from tests.factories import make_area_tree, make_user

D = dt.date.fromisoformat
FIXTURES = Path(__file__).parent.parent / "fixtures" / "calendar"
HOLIDAY, WORKDAY = DayKind.HOLIDAY, DayKind.WORKDAY


@pytest.fixture
def admin(session):
    return Actor.for_user(make_user(session, role=Role.ADMIN))


@pytest.fixture
def district_admin(session):
    tree = make_area_tree(session)
    return Actor.for_user(make_user(session, role=Role.ADMIN, area=tree["district"]))


def _stored(session) -> tuple:
    days = session.execute(select(CalendarDay.day, CalendarDay.kind, CalendarDay.name)).all()
    years = session.scalars(select(CalendarYear.year)).all()
    audits = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("calendar.%"))
    )
    return sorted(days), sorted(years), audits


def _audits(session) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("calendar.%")).order_by(AuditEntry.at)
        )
    )


def _sample() -> list[ScheduleDay]:
    return parse_schedule((FIXTURES / "sample-2030.json").read_text("utf-8"), FileFormat.JSON).days


def test_setting_a_day_stores_it_audits_it_and_returns_the_resolved_day(session, admin):
    info = set_day(session, actor=admin, day=D("2026-11-23"), kind=HOLIDAY, name="台风停工")
    assert (info.kind, info.name, info.source) == (DayType.HOLIDAY, "台风停工", Source.DATABASE)
    row = session.get(CalendarDay, D("2026-11-23"))
    assert (row.kind, row.name, row.updated_by) == (HOLIDAY, "台风停工", admin.user_id)
    (entry,) = _audits(session)
    assert (entry.action, entry.object_type, entry.object_id) == (
        "calendar.day_set",
        "calendar_day",
        "2026-11-23",
    )
    assert entry.before is None
    assert entry.after == {"kind": "holiday", "name": "台风停工"}
    assert entry.actor_id == admin.user_id


def test_setting_the_same_day_twice_changes_nothing_the_second_time(session, admin):
    set_day(session, actor=admin, day=D("2026-11-22"), kind=WORKDAY, name="补班")
    before = _stored(session)
    info = set_day(session, actor=admin, day=D("2026-11-22"), kind=WORKDAY, name="补班")
    assert info.kind is DayType.WORKDAY_MAKEUP
    assert _stored(session) == before


def test_changing_a_day_records_what_it_was(session, admin):
    set_day(session, actor=admin, day=D("2026-11-23"), kind=HOLIDAY, name="停工")
    set_day(session, actor=admin, day=D("2026-11-23"), kind=WORKDAY, name="照常上班")
    entry = _audits(session)[-1]
    assert entry.before == {"kind": "holiday", "name": "停工"}
    assert entry.after == {"kind": "workday", "name": "照常上班"}


def test_unsetting_a_day_returns_it_to_the_package_and_is_audited(session, admin):
    set_day(session, actor=admin, day=D("2026-10-01"), kind=WORKDAY, name="加班")
    info = unset_day(session, actor=admin, day=D("2026-10-01"))
    assert (info.kind, info.name, info.source) == (DayType.HOLIDAY, "国庆节", Source.PACKAGE)
    assert session.get(CalendarDay, D("2026-10-01")) is None
    entry = _audits(session)[-1]
    assert (entry.action, entry.before, entry.after) == (
        "calendar.day_unset",
        {"kind": "workday", "name": "加班"},
        None,
    )


def test_unsetting_a_day_without_an_override_is_not_found(session, admin):
    with pytest.raises(NotFound):
        unset_day(session, actor=admin, day=D("2026-10-01"))


@pytest.mark.parametrize("who", ["district_admin", "dispatcher", "grid_worker", "anonymous"])
def test_only_platform_admins_may_change_the_calendar(session, admin, district_admin, who):
    set_day(session, actor=admin, day=D("2026-11-23"), kind=HOLIDAY, name="停工")
    actors = {
        "district_admin": district_admin,
        "dispatcher": Actor.for_user(make_user(session, role=Role.DISPATCHER)),
        "grid_worker": Actor.for_user(make_user(session, role=Role.GRID_WORKER)),
        "anonymous": Actor.anonymous(),
    }
    actor, before = actors[who], _stored(session)
    with pytest.raises(PermissionDenied):
        set_day(session, actor=actor, day=D("2026-11-24"), kind=HOLIDAY, name="x")
    with pytest.raises(PermissionDenied):
        unset_day(session, actor=actor, day=D("2026-11-23"))
    with pytest.raises(PermissionDenied):
        import_schedule(session, actor=actor, year=2030, days=_sample())
    assert _stored(session) == before


@pytest.mark.parametrize(
    ("day", "name", "field"),
    [
        ("1899-12-31", "x", "date"),
        ("2201-01-01", "x", "date"),
        ("2026-11-23", "", "name"),
        ("2026-11-23", " ", "name"),
        ("2026-11-23", "x" * 51, "name"),
        ("2026-11-23", "line\nbreak", "name"),
        ("2026-11-23", "\u202egnp.exe", "name"),
        ("2026-11-23", "\ud800", "name"),
    ],
)
def test_set_day_refuses_bad_values_and_stores_nothing(session, admin, day, name, field):
    with pytest.raises(ValidationFailed) as caught:
        set_day(session, actor=admin, day=D(day), kind=HOLIDAY, name=name)
    assert field in caught.value.fields
    assert _stored(session) == ([], [], 0)


def test_importing_a_year_stores_its_days_marks_it_and_audits_once(session, admin):
    result = import_schedule(session, actor=admin, year=2030, days=_sample())
    assert (result.created, result.updated, result.unchanged, result.kept) == (8, 0, 0, 0)
    assert result.coverage is Source.DATABASE and not result.dry_run
    days, years, audits = _stored(session)
    assert len(days) == 8 and years == [2030] and audits == 1
    (entry,) = _audits(session)
    assert (entry.action, entry.object_id) == ("calendar.imported", "2030")
    assert entry.after["created"] == 8
    assert entry.after["days"]["2030-02-09"] == {"kind": "workday", "name": "春节调休上班（示例）"}


def test_importing_the_same_schedule_twice_changes_nothing_the_second_time(session, admin):
    import_schedule(session, actor=admin, year=2030, days=_sample())
    before = _stored(session)
    again = import_schedule(session, actor=admin, year=2030, days=_sample())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert again.changes == ()
    assert _stored(session) == before


def test_a_corrected_schedule_updates_changed_days_and_keeps_unlisted_ones(session, admin):
    import_schedule(session, actor=admin, year=2030, days=_sample())
    corrected = [d for d in _sample() if d.day != D("2030-10-12")]
    corrected[0] = ScheduleDay(D("2030-01-01"), HOLIDAY, "元旦")
    result = import_schedule(session, actor=admin, year=2030, days=corrected)
    assert (result.created, result.updated, result.unchanged, result.kept) == (0, 1, 6, 1)
    (change,) = result.changes
    assert (change.previous_name, change.name) == ("元旦（示例）", "元旦")
    assert session.get(CalendarDay, D("2030-10-12")) is not None
    assert _audits(session)[-1].before["days"] == {
        "2030-01-01": {"kind": "holiday", "name": "元旦（示例）"}
    }


def test_a_dry_run_reports_the_changes_and_stores_nothing(session, admin):
    result = import_schedule(session, actor=admin, year=2030, days=_sample(), dry_run=True)
    assert result.dry_run and result.created == 8 and len(result.changes) == 8
    assert _stored(session) == ([], [], 0)


def test_importing_days_that_were_already_set_one_by_one_still_marks_the_year(session, admin):
    for entry in _sample():
        set_day(session, actor=admin, day=entry.day, kind=entry.kind, name=entry.name)
    result = import_schedule(session, actor=admin, year=2030, days=_sample())
    assert result.unchanged == 8
    assert session.get(CalendarYear, 2030) is not None


def test_an_import_with_bad_lines_reports_every_one_and_stores_nothing(session, admin):
    days = [
        ScheduleDay(D("2030-01-01"), HOLIDAY, "元旦", where="line 2"),
        ScheduleDay(D("2030-01-01"), HOLIDAY, "元旦", where="line 3"),
        ScheduleDay(D("2031-01-01"), HOLIDAY, "元旦", where="line 4"),
        ScheduleDay(D("2030-05-01"), "vacation", "劳动节", where="line 5"),
        ScheduleDay(D("2030-05-02"), HOLIDAY, "", where="line 6"),
        ScheduleDay(D("2030-05-03"), HOLIDAY, "劳动节", where="line 7"),
    ]
    with pytest.raises(ValidationFailed) as caught:
        import_schedule(session, actor=admin, year=2030, days=days)
    assert caught.value.fields == {
        "line 3.date": "calendar_day_duplicate",
        "line 4.date": "calendar_day_outside_year",
        "line 5.kind": "calendar_kind_unknown",
        "line 6.name": "calendar_name_invalid",
    }
    assert _stored(session) == ([], [], 0)


@pytest.mark.parametrize(
    ("year", "count", "field", "key"),
    [
        (0, 1, "year", "calendar_year_out_of_range"),
        (10000, 1, "year", "calendar_year_out_of_range"),
        (2030, 0, "days", "calendar_import_empty"),
        (2030, 367, "days", "calendar_import_too_large"),
    ],
)
def test_imports_out_of_range_or_of_the_wrong_size_are_refused(
    session, admin, year, count, field, key
):
    start = dt.date(2030, 1, 1)
    days = [ScheduleDay(start + dt.timedelta(days=i % 365), HOLIDAY, "x") for i in range(count)]
    with pytest.raises(ValidationFailed) as caught:
        import_schedule(session, actor=admin, year=year, days=days)
    assert caught.value.fields == {field: key}
    assert _stored(session) == ([], [], 0)


@pytest.mark.parametrize("name", ["sample-2030.json", "sample-2030.csv"])
def test_the_sample_files_import_the_same_schedule(session, admin, name):
    text = (FIXTURES / name).read_text("utf-8")
    result = import_schedule_file(session, actor=admin, text=text, fmt=guess_format(name))
    assert (result.year, result.created) == (2030, 8)
    days, _, _ = _stored(session)
    assert (D("2030-02-09"), WORKDAY, "春节调休上班（示例）") in days


def test_a_file_import_is_refused_to_area_bound_admins_before_the_file_is_read(
    session, district_admin
):
    with pytest.raises(PermissionDenied):
        import_schedule_file(session, actor=district_admin, text="not even json", fmt="json")
