"""POST /api/v1/reports refuses bad input with a clear 4xx and stores nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from services.models.accounts import Role
from services.models.media import MediaFile, MediaPurpose
from services.models.reports import IdempotencyRecord, Report, ReportNumberDay
from tests.assertions import assert_error
from tests.catalogue_factories import make_category
from tests.factories import login, make_resident, make_user
from tests.report_factories import make_media, report_body

pytest_plugins = ("tests.report_fixtures",)


@pytest.fixture
def photo(session, resident):
    return make_media(session, resident)


def assert_nothing_stored(session, *photos):
    assert session.scalar(select(func.count()).select_from(Report)) == 0
    assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    assert session.scalar(select(func.count()).select_from(ReportNumberDay)) == 0
    session.expire_all()
    for photo in photos:
        assert session.get(MediaFile, photo.id).report_id is None


def refused(client, headers, body, status=422, **extra) -> dict:
    response = client.post("/api/v1/reports", json=body, headers={**headers, **extra})
    return assert_error(response, status)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "   \n\t "}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"description": "bad\x00byte"}, "description"),
        ({"description": None}, "description"),
        ({"description": 42}, "description"),
        ({"address": "x" * 201}, "address"),
        ({"address": "a\x1bb"}, "address"),
        ({"category_code": ""}, "category_code"),
        ({"category_code": "0" * 17}, "category_code"),
        ({"category_code": ["0101"]}, "category_code"),
        ({"location": {"lat": 91, "lng": 118.3}}, "location"),
        ({"location": {"lat": 33.9, "lng": -181}}, "location"),
        ({"location": {"lat": "NaN", "lng": 118.3}}, "location"),
        ({"location": {"lat": 33.9}}, "location"),
        ({"location": {"lat": 33.9, "lng": 118.3, "coord": "utm"}}, "location"),
        ({"location": {"lat": 33.9, "lng": 118.3, "accuracy_m": -1}}, "location"),
        ({"location": {"lat": 33.9, "lng": 118.3, "extra": 1}}, "location"),
        ({"location": [33.9, 118.3]}, "location"),
        ({"media_ids": []}, "media_ids"),
        ({"media_ids": "not-a-list"}, "media_ids"),
        ({"media_ids": ["not-a-uuid"]}, "media_ids"),
        ({"media_ids": [str(uuid.uuid4()) for _ in range(10)]}, "media_ids"),
        ({"anonymous": "perhaps"}, "anonymous"),
        ({"source": "carrier_pigeon"}, "source"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_malformed_fields_are_refused_with_the_field_named(
    client, session, headers, photo, change, field
):
    body = refused(client, headers, report_body([photo], **change))
    assert field in body["errors"]["json"]
    assert_nothing_stored(session, photo)


def test_a_missing_body_and_missing_fields_are_refused(client, session, headers, photo):
    body = refused(client, headers, {})
    assert {"description", "media_ids"} <= set(body["errors"]["json"])
    response = client.post(
        "/api/v1/reports", data="{", headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert_nothing_stored(session, photo)


def test_a_non_json_body_is_refused(client, session, headers, photo):
    response = client.post(
        "/api/v1/reports", data="description=x", headers={**headers, "Content-Type": "text/plain"}
    )
    assert_error(response, 415)
    assert_nothing_stored(session, photo)


def test_someone_elses_photo_reads_like_a_missing_one(client, session, headers, photo, world):
    other = make_media(session, make_resident(session))
    body_other = refused(client, headers, report_body([photo, other]))
    body_missing = refused(
        client, headers, {**report_body([photo]), "media_ids": [str(photo.id), str(uuid.uuid4())]}
    )
    assert body_other["errors"] == body_missing["errors"]
    assert str(other.id) not in str(body_other)
    assert_nothing_stored(session, photo, other)


def test_the_same_photo_twice_is_refused(client, session, headers, photo):
    body = refused(client, headers, report_body([photo, photo]))
    assert "media_ids" in body["errors"]["json"]
    assert_nothing_stored(session, photo)


def test_a_photo_for_another_purpose_is_refused(client, session, headers, resident, photo):
    after = make_media(session, resident, purpose=MediaPurpose.DISPOSAL)
    refused(client, headers, report_body([photo, after]))
    assert_nothing_stored(session, photo, after)


def test_a_photo_already_in_a_report_is_a_conflict(client, session, headers, resident, photo):
    assert client.post("/api/v1/reports", json=report_body([photo]), headers=headers).status_code
    fresh = make_media(session, resident)
    body = refused(client, headers, report_body([fresh, photo]), status=409)
    assert "media_ids" in body["errors"]["json"]
    session.expire_all()
    assert session.get(MediaFile, fresh.id).report_id is None
    assert session.scalar(select(func.count()).select_from(Report)) == 1


def test_ten_photos_are_too_many(client, session, headers, resident):
    photos = [make_media(session, resident) for _ in range(10)]
    refused(client, headers, report_body(photos))
    assert_nothing_stored(session, *photos)


@pytest.mark.parametrize("code", ["9999", "01", "56"])
def test_unknown_and_major_categories_are_refused(client, session, headers, photo, code):
    body = refused(client, headers, report_body([photo], category_code=code))
    assert "category_code" in body["errors"]["json"]
    assert_nothing_stored(session, photo)


def test_inactive_and_staff_only_categories_are_refused_for_residents(
    client, session, headers, photo, world
):
    make_category(session, "0102", active=False)
    make_category(session, "0103", resident_selectable=False)
    for code in ("0102", "0103"):
        body = refused(client, headers, report_body([photo], category_code=code))
        assert "category_code" in body["errors"]["json"]
    assert_nothing_stored(session, photo)


def test_a_grid_worker_may_use_a_staff_only_category_and_say_patrol(client, session, world):
    make_category(session, "0103", resident_selectable=False)
    worker = make_user(session, role=Role.GRID_WORKER, area=world["city"])
    body = report_body([make_media(session, worker)], category_code="0103", source="patrol")
    response = client.post("/api/v1/reports", json=body, headers=login(client, worker))
    assert response.status_code == 201, response.json
    assert response.json["source"] == "patrol"


@pytest.mark.parametrize("source", ["patrol", "hotline", "police_110", "other"])
def test_residents_may_not_claim_other_sources(client, session, headers, photo, source):
    body = refused(client, headers, report_body([photo], source=source))
    assert "source" in body["errors"]["json"]
    assert_nothing_stored(session, photo)


@pytest.mark.parametrize("key", ["", "k" * 129, "tab\tinside", "é"])
def test_a_malformed_idempotency_key_is_refused(client, session, headers, photo, key):
    response = client.post(
        "/api/v1/reports",
        json=report_body([photo]),
        headers={**headers, "Idempotency-Key": key.encode("utf-8").decode("latin-1")},
    )
    assert_error(response, 422)
    assert_nothing_stored(session, photo)
