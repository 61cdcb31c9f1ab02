"""/api/v1/calendar: staff read the calendar; platform administrators change it."""

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.calendar_sources import FALLBACK_WARNINGS
from services.models.accounts import Role
from services.models.audit import AuditEntry
from services.models.calendar import CalendarDay, CalendarYear
from tests.assertions import assert_error
from tests.factories import login, login_resident, make_user

URL = "/api/v1/calendar"
SAMPLE = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "calendar" / "sample-2030.json").read_text("utf-8")
)
IMPORT = {"year": SAMPLE["year"], "days": SAMPLE["days"]}


@pytest.fixture(autouse=True)
def _fresh_warnings():
    FALLBACK_WARNINGS.reset()


@pytest.fixture
def admin(client, session):
    return login(client, make_user(session, role=Role.ADMIN))


@pytest.fixture
def district_admin(client, session, tree):
    return login(client, make_user(session, role=Role.ADMIN, area=tree["district"]))


@pytest.fixture
def worker(client, session, tree):
    return login(client, make_user(session, role=Role.GRID_WORKER, area=tree["grid"]))


def _stored(session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(CalendarDay)),
        session.scalar(select(func.count()).select_from(CalendarYear)),
        session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("calendar.%"))
        ),
    )


def _day(body: dict, date: str) -> dict:
    return next(d for d in body["days"] if d["date"] == date)


def test_staff_see_a_package_year_with_its_special_days_and_sources(client, worker):
    response = client.get(f"{URL}/2026", headers=worker)
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["year"], body["coverage"]) == (2026, "package")
    assert body["working_hours"] == ["09:00-12:00", "13:30-17:30"]
    assert _day(body, "2026-10-01") == {
        "date": "2026-10-01",
        "kind": "holiday",
        "name": "国庆节",
        "source": "package",
        "is_working_day": False,
    }
    assert _day(body, "2026-10-10")["kind"] == "workday_makeup"
    assert _day(body, "2026-10-10")["is_working_day"] is True
    assert len(body["days"]) == 39
    assert all(d["kind"] in {"holiday", "workday_makeup"} for d in body["days"])


def test_a_year_without_published_data_is_served_from_the_fallback(client, worker):
    response = client.get(f"{URL}/2027", headers=worker)
    assert response.status_code == 200, response.json
    assert response.json["coverage"] == "fallback"
    new_year = _day(response.json, "2027-01-01")
    assert (new_year["kind"], new_year["source"]) == ("holiday", "fallback")


def test_checking_a_date_says_whether_it_is_a_working_day(client, worker):
    makeup = client.get(f"{URL}/check", query_string={"date": "2026-10-10"}, headers=worker)
    assert makeup.status_code == 200
    assert makeup.json == {
        "date": "2026-10-10",
        "kind": "workday_makeup",
        "name": "国庆节",
        "source": "package",
        "is_working_day": True,
    }
    sunday = client.get(f"{URL}/check?date=2026-11-22", headers=worker).json
    assert (sunday["kind"], sunday["is_working_day"], sunday["name"]) == ("weekend", False, "")


def test_residents_may_not_read_the_calendar(client, sms, session):
    headers = login_resident(client, sms, "+8613900001111")
    assert_error(client.get(f"{URL}/2026", headers=headers), 403)
    assert_error(client.get(f"{URL}/check?date=2026-10-01", headers=headers), 403)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/2026"),
        ("GET", "/check?date=2026-10-01"),
        ("PUT", "/days/2026-11-23"),
        ("DELETE", "/days/2026-11-23"),
        ("POST", "/import"),
    ],
)
def test_the_calendar_needs_a_token(client, method, path):
    response = client.open(URL + path, method=method, json={})
    assert_error(response, 401)


def test_a_platform_admin_overrides_a_day_and_everyone_sees_it(client, session, admin, worker):
    response = client.put(
        f"{URL}/days/2026-11-23", json={"kind": "holiday", "name": "台风停工"}, headers=admin
    )
    assert response.status_code == 200, response.json
    assert response.json == {
        "date": "2026-11-23",
        "kind": "holiday",
        "name": "台风停工",
        "source": "database",
        "is_working_day": False,
    }
    check = client.get(f"{URL}/check?date=2026-11-23", headers=worker).json
    assert (check["source"], check["is_working_day"]) == ("database", False)
    assert _day(client.get(f"{URL}/2026", headers=worker).json, "2026-11-23")["name"] == "台风停工"
    assert _stored(session) == (1, 0, 1)


def test_a_weekend_made_a_workday_is_a_make_up_day(client, admin):
    response = client.put(
        f"{URL}/days/2026-11-22", json={"kind": "workday", "name": "补班"}, headers=admin
    )
    assert (response.json["kind"], response.json["is_working_day"]) == ("workday_makeup", True)


def test_putting_the_same_day_twice_changes_nothing_the_second_time(client, session, admin):
    body = {"kind": "holiday", "name": "停工"}
    client.put(f"{URL}/days/2026-11-23", json=body, headers=admin)
    before = _stored(session)
    again = client.put(f"{URL}/days/2026-11-23", json=body, headers=admin)
    assert again.status_code == 200
    assert _stored(session) == before


def test_deleting_an_override_returns_the_day_to_the_package(client, session, admin):
    client.put(f"{URL}/days/2026-10-01", json={"kind": "workday", "name": "加班"}, headers=admin)
    response = client.delete(f"{URL}/days/2026-10-01", headers=admin)
    assert response.status_code == 200, response.json
    assert (response.json["kind"], response.json["source"]) == ("holiday", "package")
    assert _stored(session) == (0, 0, 2)
    body = assert_error(client.delete(f"{URL}/days/2026-10-01", headers=admin), 404)
    assert body["message"] == "日历设置不存在。"


def test_importing_a_schedule_is_idempotent(client, session, admin, worker):
    first = client.post(f"{URL}/import", json=IMPORT, headers=admin)
    assert first.status_code == 200, first.json
    assert {k: first.json[k] for k in ("year", "created", "updated", "unchanged", "kept")} == {
        "year": 2030,
        "created": 8,
        "updated": 0,
        "unchanged": 0,
        "kept": 0,
    }
    assert first.json["coverage"] == "database"
    assert first.json["changes"][0] == {
        "date": "2030-01-01",
        "kind": "holiday",
        "name": "元旦（示例）",
        "previous_kind": None,
        "previous_name": None,
    }
    assert _stored(session) == (8, 1, 1)
    second = client.post(f"{URL}/import", json=IMPORT, headers=admin)
    assert (second.json["created"], second.json["unchanged"], second.json["changes"]) == (0, 8, [])
    assert _stored(session) == (8, 1, 1)
    year = client.get(f"{URL}/2030", headers=worker).json
    assert year["coverage"] == "database"
    assert [d["date"] for d in year["days"]] == [d["date"] for d in SAMPLE["days"]]


def test_an_import_dry_run_stores_nothing(client, session, admin):
    response = client.post(f"{URL}/import", json={**IMPORT, "dry_run": True}, headers=admin)
    assert response.status_code == 200
    assert (response.json["dry_run"], response.json["created"]) == (True, 8)
    assert _stored(session) == (0, 0, 0)


@pytest.mark.parametrize("who", ["district_admin", "worker"])
def test_only_platform_admins_may_change_the_calendar(client, session, request, who):
    headers = request.getfixturevalue(who)
    body = {"kind": "holiday", "name": "停工"}
    assert_error(client.put(f"{URL}/days/2026-11-23", json=body, headers=headers), 403)
    assert_error(client.delete(f"{URL}/days/2026-11-23", headers=headers), 403)
    assert_error(client.post(f"{URL}/import", json=IMPORT, headers=headers), 403)
    assert _stored(session) == (0, 0, 0)


def test_district_admins_are_refused_even_for_existing_overrides(
    client, session, admin, district_admin
):
    client.put(f"{URL}/days/2026-11-23", json={"kind": "holiday", "name": "停工"}, headers=admin)
    assert_error(client.delete(f"{URL}/days/2026-11-23", headers=district_admin), 403)
    assert session.get(CalendarDay, dt.date(2026, 11, 23)) is not None


def test_messages_follow_accept_language(client, admin):
    response = client.get(f"{URL}/1800", headers={**admin, "Accept-Language": "en"})
    body = assert_error(response, 422)
    assert body["message"] == "The request did not pass validation."
    assert body["errors"]["path"]["year"]
