"""POST /api/v1/reports: what a submitted report records and answers."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from services.models.audit import AuditEntry
from services.models.media import MediaFile
from services.models.reports import Report, ReportEvent
from tests.assertions import assert_error
from tests.report_factories import (
    GRID1_LAT,
    GRID1_LNG,
    make_media,
    report_body,
)

pytest_plugins = ("tests.report_fixtures",)


def post(client, headers, body, **extra):
    return client.post("/api/v1/reports", json=body, headers={**headers, **extra})


def count_reports(session) -> int:
    return session.scalar(select(func.count()).select_from(Report))


def test_a_report_is_filed_placed_routed_numbered_and_answered(
    client, session, headers, resident, world
):
    photos = [make_media(session, resident) for _ in range(3)]
    response = post(client, headers, report_body(photos))
    assert response.status_code == 201, response.json
    body = response.json
    assert re.fullmatch(r"\d{12}", body["number"])
    assert body["status"] == "reported"
    assert body["status_text"] == "已提交，等待受理" or body["status_text"]
    assert body["source"] == "mini_program"
    assert body["category"] == {"code": "0101", "name_zh": "类别0101", "name_en": "Category 0101"}
    assert body["grid"]["code"] == world["grid1"].code
    assert body["location"] == {
        "lat": GRID1_LAT,
        "lng": GRID1_LNG,
        "coord": "wgs84",
        "source": "device",
        "accuracy_m": 12.0,
    }
    assert body["location_mismatch"] is False
    assert body["filing_due_at"] is not None
    assert body["anonymous"] is False
    assert body["suspected_duplicates"] == 0
    assert [m["id"] for m in body["media"]] == [str(p.id) for p in photos]
    assert all("exif" not in m and "original_url" not in m for m in body["media"])
    assert "area_path" not in body and "reporter" not in str(body)
    report = session.get(Report, uuid.UUID(body["id"]))
    assert report.reporter_id == resident.id
    assert report.area_path == world["grid1"].path
    assert report.department_id == world["department"].id
    assert report.version == 1 and report.locate_status == "grid"
    session.expire_all()
    attached = session.scalars(
        select(MediaFile).where(MediaFile.report_id == report.id).order_by(MediaFile.position)
    ).all()
    assert [(m.id, m.position) for m in attached] == [(p.id, i) for i, p in enumerate(photos)]
    (event,) = session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id))
    assert (event.action, event.to_status, event.actor_role) == ("reported", "reported", "resident")
    assert body["number"] in event.public_note
    assert session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "report.created", AuditEntry.object_id == str(report.id))
    )


def test_numbers_of_one_day_follow_each_other(client, session, headers, resident, world):
    first = post(client, headers, report_body([make_media(session, resident)])).json["number"]
    second = post(client, headers, report_body([make_media(session, resident)])).json["number"]
    assert second[:8] == first[:8]
    assert int(second[8:]) == int(first[8:]) + 1


def test_without_a_category_the_report_gets_the_fallback(client, session, headers, resident, world):
    body = report_body([make_media(session, resident)])
    del body["category_code"]
    response = post(client, headers, body)
    assert response.status_code == 201, response.json
    assert response.json["category"]["code"] == "5699"


def test_description_and_address_are_trimmed(client, session, headers, resident, world):
    body = report_body(
        [make_media(session, resident)], description="  路灯不亮\n第二行 ", address=" "
    )
    response = post(client, headers, body)
    assert response.status_code == 201, response.json
    assert response.json["description"] == "路灯不亮\n第二行"
    assert response.json["address"] is None


def test_chinese_map_coordinates_are_stored_as_wgs84(client, session, headers, resident, world):
    from services.geo.coords import Coord, from_wgs84

    lng, lat = from_wgs84(GRID1_LNG, GRID1_LAT, Coord.GCJ02)
    location = {"lat": lat, "lng": lng}  # coord defaults to gcj02
    response = post(
        client, headers, report_body([make_media(session, resident)], location=location)
    )
    assert response.status_code == 201, response.json
    assert response.json["location"]["lng"] == pytest.approx(GRID1_LNG, abs=1e-6)
    assert response.json["location"]["lat"] == pytest.approx(GRID1_LAT, abs=1e-6)
    assert response.json["grid"]["code"] == world["grid1"].code
    assert session.get(Report, uuid.UUID(response.json["id"])).coord_input == "gcj02"


def test_without_a_location_the_first_photo_gps_is_used(client, session, headers, resident, world):
    plain = make_media(session, resident)
    gps = make_media(session, resident, exif_lat=GRID1_LAT + 0.01, exif_lng=GRID1_LNG)
    body = report_body([plain, gps])
    del body["location"]
    response = post(client, headers, body)
    assert response.status_code == 201, response.json
    assert response.json["location"]["source"] == "exif"
    assert response.json["location"]["lat"] == pytest.approx(GRID1_LAT + 0.01)
    assert response.json["location"]["accuracy_m"] is None
    assert response.json["grid"]["code"] == world["grid3"].code


def test_without_a_location_or_photo_gps_the_report_is_refused(
    client, session, headers, resident, world
):
    photo = make_media(session, resident)
    body = report_body([photo], location=None)
    body_error = assert_error(post(client, headers, body), 422)
    assert "location" in body_error["errors"]["json"]
    assert count_reports(session) == 0
    session.expire_all()
    assert session.get(MediaFile, photo.id).report_id is None


def test_a_location_far_from_the_photo_gps_is_flagged(client, session, headers, resident, world):
    far = make_media(session, resident, exif_lat=GRID1_LAT + 0.009, exif_lng=GRID1_LNG)  # ~1 km
    response = post(client, headers, report_body([far]))
    assert response.status_code == 201
    assert response.json["location_mismatch"] is True
    report = session.get(Report, uuid.UUID(response.json["id"]))
    assert report.mismatch_m == pytest.approx(998, abs=5)
    near = make_media(session, resident, exif_lat=GRID1_LAT + 0.001, exif_lng=GRID1_LNG)
    response = post(client, headers, report_body([near]))
    assert response.json["location_mismatch"] is False


def test_a_point_outside_the_city_is_accepted_for_the_dispatcher(
    client, session, headers, resident, world
):
    location = {"lat": 39.9, "lng": 116.4, "coord": "wgs84"}
    response = post(
        client, headers, report_body([make_media(session, resident)], location=location)
    )
    assert response.status_code == 201, response.json
    assert response.json["grid"] is None
    report = session.get(Report, uuid.UUID(response.json["id"]))
    assert (report.locate_status, report.area_id, report.area_path) == ("outside", None, None)
    # Outside every area the category's default department is still proposed.
    assert report.department_id == world["department"].id


def test_a_point_in_no_grid_is_tagged_to_the_enclosing_area(
    client, session, headers, resident, world
):
    location = {"lat": 33.925, "lng": 118.345, "coord": "wgs84"}  # street, no community
    response = post(
        client, headers, report_body([make_media(session, resident)], location=location)
    )
    assert response.status_code == 201, response.json
    assert response.json["grid"] is None
    report = session.get(Report, uuid.UUID(response.json["id"]))
    assert report.locate_status == "unassigned"
    assert report.area_path == world["street"].path


def test_anonymous_reports_are_recorded_as_such(client, session, headers, resident, world):
    response = post(client, headers, report_body([make_media(session, resident)], anonymous=True))
    assert response.json["anonymous"] is True
    report = session.get(Report, uuid.UUID(response.json["id"]))
    assert report.anonymous is True and report.reporter_id == resident.id


def test_english_status_text_follows_accept_language(client, session, headers, resident, world):
    response = post(
        client, headers, report_body([make_media(session, resident)]), **{"Accept-Language": "en"}
    )
    assert response.status_code == 201
    assert re.search(r"[A-Za-z]", response.json["status_text"])


def test_submitting_requires_sign_in(client, session, resident, world):
    assert_error(client.post("/api/v1/reports", json=report_body([])), 401)
