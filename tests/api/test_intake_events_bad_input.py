"""Bad input to POST /api/v1/intake/events: 4xx with a clear message, nothing stored."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from services.models.reports import Report
from services.models.workflow import IntakeEvent
from tests.assertions import assert_error
from tests.intake_factories import EVENTS, event_body, make_source

pytest_plugins = ("tests.report_fixtures",)

BAD = {
    "external_id missing": ({"external_id": ...}, "external_id"),
    "external_id empty": ({"external_id": ""}, "external_id"),
    "external_id too long": ({"external_id": "x" * 65}, "external_id"),
    "external_id with a space": ({"external_id": "a b"}, "external_id"),
    "external_id with a slash": ({"external_id": "a/b"}, "external_id"),
    "external_id not a string": ({"external_id": 42}, "external_id"),
    "description missing": ({"description": ...}, "description"),
    "description blank": ({"description": "   "}, "description"),
    "description too long": ({"description": "很" * 2001}, "description"),
    "description control chars": ({"description": "a\x00b"}, "description"),
    "description lone surrogate": ({"description": "\ud800"}, "description"),
    "neither category nor text": ({"category_code": None}, "text"),
    "unknown category": ({"category_code": "9999"}, "category_code"),
    "major class": ({"category_code": "01"}, "category_code"),
    "text too long": ({"category_code": None, "text": "x" * 201}, "text"),
    "neither location nor address": ({"location": None}, "location"),
    "latitude out of range": ({"location": {"lat": 91, "lng": 118.3}}, "location"),
    "longitude not a number": ({"location": {"lat": 33.9, "lng": "east"}}, "location"),
    "unknown coordinate system": (
        {"location": {"lat": 33.9, "lng": 118.3, "coord": "utm"}},
        "location",
    ),
    "far outside the city": ({"location": {"lat": 39.9, "lng": 116.4}}, "location"),
    "landline as caller phone": ({"caller_phone": "0527-84000001"}, "caller_phone"),
    "letters in caller phone": ({"caller_phone": "138ABCD5678"}, "caller_phone"),
    "caller phone too long": ({"caller_phone": "1" * 40}, "caller_phone"),
    "naive occurred_at": ({"occurred_at": "2026-11-22T10:00:00"}, "occurred_at"),
    "unknown urgency": ({"urgency": "whenever"}, "urgency"),
    "unknown field": ({"reporter_id": "x"}, "reporter_id"),
}


@pytest.mark.parametrize("overrides,field", BAD.values(), ids=BAD.keys())
def test_bad_event_is_refused_and_nothing_is_stored(
    client, session, container, world, overrides, field
):
    _source, key = make_source(session, container)
    # json.dumps escapes lone surrogates, as a hostile client's JSON would
    response = client.post(
        EVENTS,
        data=json.dumps(event_body(**overrides)),
        headers={"X-Api-Key": key, "Content-Type": "application/json"},
    )
    body = assert_error(response, 422)
    assert field in body["errors"]["json"], body
    assert session.scalar(select(func.count()).select_from(Report)) == 0
    assert session.scalar(select(func.count()).select_from(IntakeEvent)) == 0


def test_a_body_that_is_not_json_is_refused(client, session, container, world):
    _source, key = make_source(session, container)
    response = client.post(
        EVENTS, data="{not json", headers={"X-Api-Key": key, "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert session.scalar(select(func.count()).select_from(Report)) == 0
