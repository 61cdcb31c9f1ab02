"""POST /api/v1/intake/events and GET …/events/{source}/{external_id}: external sources."""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import func, select

from services.models.audit import AuditEntry
from services.models.reports import Report, ReportDuplicate, ReportEvent, ReportSource
from services.models.workflow import IntakeEvent
from tests.assertions import assert_error
from tests.intake_factories import (
    EVENTS,
    PHONE,
    PHONE_E164,
    PHONE_MASKED,
    FakeGeocoder,
    event_body,
    make_source,
)
from tests.report_factories import GRID1_LAT, GRID1_LNG
from tests.report_read_factories import make_report

pytest_plugins = ("tests.report_fixtures",)


@pytest.fixture
def hotline(session, container, world):
    return make_source(session, container)


@pytest.fixture
def geocoder(container):
    original = container.geocoder
    container.geocoder = FakeGeocoder()
    yield container.geocoder
    container.geocoder = original


def post(client, key, body):
    return client.post(EVENTS, json=body, headers={"X-Api-Key": key})


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_an_event_becomes_a_case_awaiting_filing_in_its_grid(client, session, world, hotline):
    _source, key = hotline
    response = post(client, key, event_body())
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "reported" and body["replayed"] is False
    assert body["external_id"] == "12345-0001" and body["category_code"] == "0101"
    assert body["caller_phone"] == PHONE_MASKED and body["locate_status"] == "grid"
    report = session.get(Report, uuid.UUID(body["id"]))
    assert report.source is ReportSource.HOTLINE and report.reporter_id is None
    assert report.external_ref == "12345-0001" and report.number == body["number"]
    assert report.grid_id == world["grid1"].id
    event = session.scalars(select(IntakeEvent)).one()
    assert event.caller_phone == PHONE_E164 and "caller_phone" not in event.payload
    timeline = session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id)).one()
    assert timeline.action == "reported" and timeline.data["source"] == "hotline"
    assert "hotline" in timeline.public_note


def test_missing_api_key_is_401_with_the_api_key_challenge(client, hotline):
    response = client.post(EVENTS, json=event_body(), headers={"Accept-Language": "en"})
    body = assert_error(response, 401)
    assert body["message"] == "The X-Api-Key header is missing."
    assert response.headers["WWW-Authenticate"] == 'ApiKey header="X-Api-Key"'


@pytest.mark.parametrize("key", ["nonsense", "ogk_" + "A" * 43, "Bearer x"])
def test_unknown_or_malformed_api_key_is_401_and_nothing_is_stored(client, session, hotline, key):
    assert_error(post(client, key, event_body()), 401)
    assert count(session, Report) == 0


def test_an_inactive_source_is_refused(client, session, container, hotline):
    source, key = hotline
    source.active = False
    session.flush()
    assert_error(post(client, key, event_body()), 401)


def test_a_rotated_key_stops_working_and_the_new_one_works(client, session, container, hotline):
    from services.actors import Actor
    from services.intake_sources import rotate_key
    from tests.intake_factories import key_secret

    source, old = hotline
    _s, _a, new = rotate_key(
        session, actor=Actor.system("t"), source_id=source.id, key_secret=key_secret(container)
    )
    assert_error(post(client, old, event_body()), 401)
    assert post(client, new, event_body()).status_code == 201


def test_the_same_event_again_answers_200_with_the_first_case(client, session, hotline):
    _source, key = hotline
    first = post(client, key, event_body())
    again = post(client, key, event_body())
    assert again.status_code == 200 and again.json["replayed"] is True
    assert again.json["id"] == first.json["id"] and count(session, Report) == 1


def test_other_content_under_the_same_external_id_is_409(client, session, hotline):
    _source, key = hotline
    post(client, key, event_body())
    body = assert_error(post(client, key, event_body(description="另一件事")), 409)
    assert "12345-0001" in body["message"]
    assert count(session, Report) == 1


def test_the_same_external_id_from_two_sources_makes_two_cases(client, session, container, hotline):
    _source, key = hotline
    _other, other_key = make_source(session, container, name="city-110", kind="police_110")
    assert post(client, key, event_body()).status_code == 201
    second = post(client, other_key, event_body())
    assert second.status_code == 201
    assert session.get(Report, uuid.UUID(second.json["id"])).source is ReportSource.POLICE_110


def test_an_event_outside_the_sources_area_is_422_and_nothing_is_stored(
    client, session, container, world
):
    _source, key = make_source(session, container, name="grid-only", area_code="321302001001")
    # Column 3 of the street: outside the community the source covers.
    location = {"lat": 33.905, "lng": 118.335, "coord": "wgs84"}
    body = assert_error(post(client, key, event_body(location=location)), 422)
    assert "location" in body["errors"]["json"]
    assert count(session, Report) == 0 and count(session, IntakeEvent) == 0


def test_an_address_is_geocoded(client, session, hotline, geocoder):
    _source, key = hotline
    geocoder.places["宿城区幸福路12号"] = (GRID1_LNG, GRID1_LAT)
    body = event_body(location=None, address="宿城区幸福路12号")
    response = post(client, key, body)
    assert response.status_code == 201, response.json
    assert geocoder.calls == ["宿城区幸福路12号"]
    report = session.get(Report, uuid.UUID(response.json["id"]))
    assert report.coord_input == "address" and report.address == "宿城区幸福路12号"
    # A retry answers from the stored event, without asking the geocoder again.
    assert post(client, key, body).status_code == 200 and len(geocoder.calls) == 1


def test_an_address_the_geocoder_cannot_place_is_422(client, session, hotline, geocoder):
    _source, key = hotline
    body = assert_error(post(client, key, event_body(location=None, address="火星")), 422)
    assert "address" in body["errors"]["json"]
    assert count(session, Report) == 0


def test_a_geocoder_outage_is_503_and_nothing_is_stored(client, session, hotline, geocoder):
    _source, key = hotline
    geocoder.down = True
    assert_error(post(client, key, event_body(location=None, address="幸福路")), 503)
    assert count(session, Report) == 0 and count(session, IntakeEvent) == 0


def test_the_offline_geocoder_places_an_address_naming_a_grid(client, session, hotline):
    _source, key = hotline
    response = post(client, key, event_body(location=None, address="宿城区幸福社区第1网格门口"))
    assert response.status_code == 201, response.json
    assert response.json["locate_status"] == "grid"


def test_phone_is_masked_in_answers_audit_and_logs(client, session, hotline, caplog):
    _source, key = hotline
    with caplog.at_level(logging.DEBUG):
        response = post(client, key, event_body())
        status = client.get("/api/v1/intake/events/hotline/12345-0001", headers={"X-Api-Key": key})
    for text in (response.get_data(as_text=True), status.get_data(as_text=True), caplog.text):
        assert PHONE not in text and PHONE_E164 not in text
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "report.created")).one()
    assert entry.after["caller_phone"] == PHONE_MASKED and entry.actor_label == "intake:hotline"


def test_a_hotline_call_about_a_residents_problem_is_linked_as_a_duplicate(
    client, session, world, resident, hotline
):
    _source, key = hotline
    original = make_report(
        session,
        reporter=resident,
        category=world["category"],
        grid=world["grid1"],
        lat=GRID1_LAT,
        lng=GRID1_LNG,
        number="202001010001",
    )
    response = post(client, key, event_body())
    assert response.json["suspected_duplicates"] == 1
    link = session.scalars(select(ReportDuplicate)).one()
    assert link.report_id == uuid.UUID(response.json["id"])
    assert link.original_id == original.id


def test_a_source_polls_its_events_status(client, session, hotline):
    _source, key = hotline
    created = post(client, key, event_body()).json
    response = client.get(
        "/api/v1/intake/events/hotline/12345-0001",
        headers={"X-Api-Key": key, "Accept-Language": "en"},
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["number"] == created["number"] and body["status"] == "reported"
    assert body["status_text"] and body["merged_into"] is None and body["closed_at"] is None


def test_polling_shows_the_master_case_of_a_merged_event(client, session, world, resident, hotline):
    from services.models.reports import ReportStatus

    _source, key = hotline
    master = make_report(
        session, reporter=resident, category=world["category"], lat=34.0, number="202001010002"
    )
    created = post(client, key, event_body()).json
    report = session.get(Report, uuid.UUID(created["id"]))
    report.status, report.merged_into_id = ReportStatus.MERGED, master.id
    session.flush()
    body = client.get("/api/v1/intake/events/hotline/12345-0001", headers={"X-Api-Key": key}).json
    assert body["status"] == "merged" and body["merged_into"] == master.number


def test_a_source_cannot_poll_another_sources_events(client, session, container, hotline):
    _source, key = hotline
    _other, other_key = make_source(session, container, name="digital", kind="digital_city")
    post(client, key, event_body())
    for path, k in (
        ("/api/v1/intake/events/hotline/12345-0001", other_key),
        ("/api/v1/intake/events/digital/12345-0001", other_key),
        ("/api/v1/intake/events/hotline/unknown-id", key),
    ):
        assert_error(client.get(path, headers={"X-Api-Key": k}), 404)
    assert_error(client.get("/api/v1/intake/events/hotline/12345-0001"), 401)


def test_a_dispatcher_reads_the_intake_case_with_its_timeline_and_no_phone(
    client, session, world, hotline
):
    from services.models.accounts import Role
    from tests.factories import login, make_user

    _source, key = hotline
    created = post(client, key, event_body()).json
    dispatcher = login(client, make_user(session, role=Role.DISPATCHER, area=world["district"]))
    response = client.get(f"/api/v1/reports/{created['id']}", headers=dispatcher)
    assert response.status_code == 200, response.json
    assert response.json["number"] == created["number"]
    assert response.json["source"] == "hotline"
    text = response.get_data(as_text=True)
    assert PHONE not in text and PHONE_E164 not in text
