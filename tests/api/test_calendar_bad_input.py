"""/api/v1/calendar refuses malformed, out-of-range, oversized and hostile input with a 4xx, says
what is wrong, and stores nothing."""

import json

import pytest
from sqlalchemy import func, select

from services.models.accounts import Role
from services.models.audit import AuditEntry
from services.models.calendar import CalendarDay, CalendarYear
from tests.assertions import assert_error
from tests.factories import login, make_user

URL = "/api/v1/calendar"
DAY = {"kind": "holiday", "name": "停工"}


@pytest.fixture
def admin(client, session):
    return login(client, make_user(session, role=Role.ADMIN))


def _stored(session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(CalendarDay)),
        session.scalar(select(func.count()).select_from(CalendarYear)),
        session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("calendar.%"))
        ),
    )


def _json(client, method: str, url: str, body: object, headers: dict):
    # ASCII JSON: lone surrogates travel as \ud800 escapes, as a hostile client would send them.
    return client.open(
        url,
        method=method,
        data=json.dumps(body),
        headers={**headers, "Content-Type": "application/json"},
    )


@pytest.mark.parametrize(
    "year",
    [
        "0",
        "10000",
        "1899",
        "2201",
        "-1",
        "abc",
        "2026.5",
        "１９９９",
        "2026%0A",
        "99999999999999999999",
    ],
)
def test_year_out_of_range_or_malformed_is_422(client, admin, year):
    body = assert_error(client.get(f"{URL}/{year}", headers=admin), 422)
    assert "year" in body["errors"]["path"]


@pytest.mark.parametrize(
    "date",
    [
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "10000-01-01",
        "1899-12-31",
        "2026/10/01",
        "20261001",
        "2026-W40-4",
        "２０２６-10-01",
        "",
        "x' OR 1=1--",
    ],
)
def test_check_refuses_bad_dates(client, admin, date):
    body = assert_error(client.get(f"{URL}/check", query_string={"date": date}, headers=admin), 422)
    assert "date" in body["errors"]["query"]


def test_check_needs_a_date(client, admin):
    missing = assert_error(client.get(f"{URL}/check", headers=admin), 422)
    assert missing["errors"]["query"]["date"] == ["缺少必填字段。"]


@pytest.mark.parametrize(
    "date",
    [
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "1899-12-31",
        "2201-01-01",
        "today",
        "2026-1-1",
        "20261123",
    ],
)
def test_putting_a_bad_date_is_422_and_stores_nothing(client, session, admin, date):
    body = assert_error(client.put(f"{URL}/days/{date}", json=DAY, headers=admin), 422)
    assert "day" in body["errors"]["path"]
    assert_error(client.delete(f"{URL}/days/{date}", headers=admin), 422)
    assert _stored(session) == (0, 0, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "vacation", "name": "x"}, "kind"),
        ({"kind": "HOLIDAY", "name": "x"}, "kind"),
        ({"kind": None, "name": "x"}, "kind"),
        ({"name": "x"}, "kind"),
        ({"kind": "holiday"}, "name"),
        ({"kind": "holiday", "name": ""}, "name"),
        ({"kind": "holiday", "name": "   "}, "name"),
        ({"kind": "holiday", "name": "x" * 51}, "name"),
        ({"kind": "holiday", "name": "bell\x07"}, "name"),
        ({"kind": "holiday", "name": "two\nlines"}, "name"),
        ({"kind": "holiday", "name": "\u202eevil"}, "name"),
        ({"kind": "holiday", "name": "\ud800"}, "name"),
        ({"kind": "holiday", "name": 12}, "name"),
        ({**DAY, "updated_by": "00000000-0000-0000-0000-000000000000"}, "updated_by"),
        ({**DAY, "source": "package"}, "source"),
    ],
)
def test_putting_a_bad_body_is_422_and_stores_nothing(client, session, admin, body, field):
    response = _json(client, "PUT", f"{URL}/days/2026-11-23", body, admin)
    error = assert_error(response, 422)
    assert field in error["errors"]["json"]
    assert _stored(session) == (0, 0, 0)


@pytest.mark.parametrize("raw", ['["holiday"]', '"holiday"', "null", "{not json", ""])
def test_putting_a_body_that_is_not_an_object_is_refused(client, session, admin, raw):
    response = client.put(
        f"{URL}/days/2026-11-23",
        data=raw,
        headers={**admin, "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code)
    assert _stored(session) == (0, 0, 0)


def test_putting_without_json_content_type_is_415(client, session, admin):
    response = client.put(
        f"{URL}/days/2026-11-23",
        data="kind=holiday",
        headers={**admin, "Content-Type": "text/plain"},
    )
    assert_error(response, 415)
    assert _stored(session) == (0, 0, 0)


def _days(count: int, year: int = 2030) -> list[dict]:
    import datetime as dt

    start = dt.date(year, 1, 1)
    return [
        {"date": (start + dt.timedelta(days=i)).isoformat(), "kind": "holiday", "name": "x"}
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"year": 0, "days": _days(1)}, ("year",)),
        ({"year": 10000, "days": _days(1)}, ("year",)),
        ({"year": "2030", "days": _days(1)}, ("year",)),
        ({"year": 2030.5, "days": _days(1)}, ("year",)),
        ({"days": _days(1)}, ("year",)),
        ({"year": 2030}, ("days",)),
        ({"year": 2030, "days": []}, ("days",)),
        ({"year": 2030, "days": _days(367, 2030)}, ("days",)),
        ({"year": 2030, "days": "2030-01-01"}, ("days",)),
        (
            {"year": 2030, "days": [{"date": "2030-02-30", "kind": "holiday", "name": "x"}]},
            ("days", "0", "date"),
        ),
        (
            {"year": 2030, "days": [{"date": "2030-01-01", "kind": "off", "name": "x"}]},
            ("days", "0", "kind"),
        ),
        (
            {"year": 2030, "days": [{"date": "2030-01-01", "kind": "holiday"}]},
            ("days", "0", "name"),
        ),
        (
            {
                "year": 2030,
                "days": [{"date": "2030-01-01", "kind": "holiday", "name": "x", "id": 1}],
            },
            ("days", "0", "id"),
        ),
        ({**{"year": 2030, "days": _days(1)}, "replace": True}, ("replace",)),
        ({"year": 2030, "days": _days(1), "dry_run": "maybe"}, ("dry_run",)),
    ],
)
def test_importing_malformed_bodies_is_422_and_stores_nothing(
    client, session, admin, body, location
):
    error = assert_error(_json(client, "POST", f"{URL}/import", body, admin), 422)
    found = error["errors"]["json"]
    for key in location:
        found = found[key]
    assert found
    assert _stored(session) == (0, 0, 0)


def test_an_import_with_duplicate_or_foreign_days_names_each_line(client, session, admin):
    days = [*_days(2), _days(1)[0], _days(1, 2031)[0]]
    error = assert_error(
        client.post(
            f"{URL}/import",
            json={"year": 2030, "days": days},
            headers={**admin, "Accept-Language": "en"},
        ),
        422,
    )
    assert error["errors"]["json"] == {
        "days.2.date": ["This date appears more than once."],
        "days.3.date": ["This date is not in the year."],
    }
    assert _stored(session) == (0, 0, 0)


def test_an_oversized_import_is_413_and_stores_nothing(client, session, admin):
    body = {
        "year": 2030,
        "days": [{"date": "2030-01-01", "kind": "holiday", "name": "x" * 1000}] * 1200,
    }
    response = _json(client, "POST", f"{URL}/import", body, admin)
    assert_error(response, 413)
    assert _stored(session) == (0, 0, 0)
