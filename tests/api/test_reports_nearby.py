"""Duplicates linked on creation, and GET /api/v1/reports/nearby."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from services.db import utcnow
from services.models.reports import Report, ReportDuplicate, ReportStatus
from tests.assertions import assert_error
from tests.catalogue_factories import make_category
from tests.factories import login_resident, make_resident
from tests.report_factories import GRID1_LAT, GRID1_LNG, make_media, report_body

# Metres per 0.0001 degree of latitude, about.
M_PER_1E4_LAT = 11.1


pytest_plugins = ("tests.report_fixtures",)


def file(client, session, headers, user, *, north_m=0.0, **changes) -> dict:
    location = {
        "lat": GRID1_LAT + north_m / M_PER_1E4_LAT * 1e-4,
        "lng": GRID1_LNG,
        "coord": "wgs84",
    }
    media = [changes.pop("media", None) or make_media(session, user)]
    response = client.post(
        "/api/v1/reports", json=report_body(media, location=location, **changes), headers=headers
    )
    assert response.status_code == 201, response.json
    return response.json


def links(session, report_id: str) -> list[ReportDuplicate]:
    return list(
        session.scalars(
            select(ReportDuplicate).where(ReportDuplicate.report_id == uuid.UUID(report_id))
        )
    )


def test_same_category_close_and_recent_is_linked_as_nearby(client, session, headers, resident):
    original = file(client, session, headers, resident)
    second = file(client, session, headers, resident, north_m=30)
    assert second["suspected_duplicates"] == 1
    (link,) = links(session, second["id"])
    assert str(link.original_id) == original["id"]
    assert link.reason == "nearby" and link.status == "suspected"
    assert link.distance_m == pytest.approx(30, abs=2)


def test_far_other_category_old_or_closed_reports_are_not_linked(
    client, session, headers, resident, world
):
    make_category(session, "0102")
    file(client, session, headers, resident, north_m=0, category_code="0102")
    old = file(client, session, headers, resident, north_m=10)
    session.get(Report, uuid.UUID(old["id"])).created_at = utcnow() - dt.timedelta(hours=73)
    closed = file(client, session, headers, resident, north_m=20)
    session.get(Report, uuid.UUID(closed["id"])).status = ReportStatus.CLOSED
    session.flush()
    # Within 50 m of all three, yet none of them counts.
    new = file(client, session, headers, resident, north_m=25)
    assert new["suspected_duplicates"] == 0
    assert links(session, new["id"]) == []


def test_a_near_identical_photo_links_reports_anywhere(client, session, headers, resident):
    first = file(
        client, session, headers, resident, media=make_media(session, resident, phash="f" * 16)
    )
    close = make_media(session, resident, phash="f" * 14 + "f0")  # 4 bits differ
    other = file(client, session, headers, resident, north_m=3000, media=close)
    (link,) = links(session, other["id"])
    assert str(link.original_id) == first["id"] and link.reason == "similar_photo"
    unlike = make_media(session, resident, phash="f" * 12 + "0000")  # 16 bits
    assert (
        file(client, session, headers, resident, north_m=6000, media=unlike)["suspected_duplicates"]
        == 0
    )


def test_a_near_identical_photo_on_a_report_older_than_72_hours_is_not_linked(
    client, session, headers, resident
):
    first = file(
        client, session, headers, resident, media=make_media(session, resident, phash="f" * 16)
    )
    session.get(Report, uuid.UUID(first["id"])).created_at = utcnow() - dt.timedelta(hours=73)
    session.flush()
    close = make_media(session, resident, phash="f" * 14 + "f0")
    other = file(client, session, headers, resident, north_m=3000, media=close)
    assert other["suspected_duplicates"] == 0


def nearby(client, headers, **params):
    params = {"lat": GRID1_LAT, "lng": GRID1_LNG, "coord": "wgs84", **params}
    return client.get("/api/v1/reports/nearby", query_string=params, headers=headers)


def test_nearby_lists_open_recent_reports_same_category_first_then_nearest(
    client, session, sms, world
):
    reporter = make_resident(session)
    h = login_resident(client, sms, reporter.phone)
    make_category(session, "0102")
    far_same = file(client, session, h, reporter, north_m=200)
    near_other = file(client, session, h, reporter, north_m=20, category_code="0102")
    near_same = file(client, session, h, reporter, north_m=50)
    file(client, session, h, reporter, north_m=400)  # beyond 250 m
    old = file(client, session, h, reporter, north_m=10)
    session.get(Report, uuid.UUID(old["id"])).created_at = utcnow() - dt.timedelta(days=31)
    rejected = file(client, session, h, reporter, north_m=15)
    session.get(Report, uuid.UUID(rejected["id"])).status = ReportStatus.REJECTED
    session.flush()
    viewer = make_resident(session)
    viewer_headers = login_resident(client, sms, viewer.phone)
    response = nearby(client, viewer_headers, category="0101")
    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert [i["id"] for i in items] == [near_same["id"], far_same["id"], near_other["id"]]
    first = items[0]
    assert first["distance_m"] == pytest.approx(50, abs=2)
    assert first["category"] == {"code": "0101", "name": "类别0101"}
    assert first["thumbnail_url"] and first["status"] == "reported"
    assert set(first) == {
        "id", "number", "category", "status", "status_text", "distance_m", "created_at",
        "supporters_count", "description", "address", "thumbnail_url",
    }  # fmt: skip
    # Without a category, the nearest come first.
    ordered = nearby(client, viewer_headers).json["items"]
    assert [i["id"] for i in ordered] == [near_other["id"], near_same["id"], far_same["id"]]


def test_nearby_answers_at_most_five_and_hides_anonymous_addresses(
    client, session, sms, headers, resident
):
    for n in range(6):
        file(client, session, headers, resident, north_m=n * 10, anonymous=n == 0)
    items = nearby(client, headers).json["items"]
    assert len(items) == 5
    assert items[0]["address"] is None
    assert items[1]["address"] == "幸福路 12 号门口"
    assert "reporter" not in str(items)


def test_nearby_excerpts_long_descriptions(client, session, headers, resident):
    file(client, session, headers, resident, description="长" * 300)
    (item,) = nearby(client, headers).json["items"]
    assert len(item["description"]) == 80 and item["description"].endswith("…")


@pytest.mark.parametrize(
    "params",
    [{"lat": 91}, {"lng": "east"}, {"coord": "utm"}, {"lat": "nan"}, {"category": "x" * 17}],
)
def test_nearby_refuses_bad_input(client, headers, params):
    assert_error(nearby(client, headers, **params), 422)


def test_nearby_requires_sign_in(client, world):
    assert_error(client.get("/api/v1/reports/nearby?lat=33.9&lng=118.3"), 401)
