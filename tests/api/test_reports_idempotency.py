"""Idempotent retries and the hourly limit of POST /api/v1/reports."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select

from services.db import utcnow
from services.idempotency import purge_idempotency, request_hash
from services.models.reports import IdempotencyRecord, Report
from tests.assertions import assert_error
from tests.factories import login_resident, make_resident
from tests.report_factories import make_media, report_body

pytest_plugins = ("tests.report_fixtures",)


def post(client, headers, body, key=None):
    extra = {"Idempotency-Key": key} if key is not None else {}
    return client.post("/api/v1/reports", json=body, headers={**headers, **extra})


def reports(session) -> int:
    return session.scalar(select(func.count()).select_from(Report))


def test_a_retry_with_the_same_key_and_body_answers_with_the_first_report(
    client, session, headers, resident
):
    body = report_body([make_media(session, resident), make_media(session, resident)])
    first = post(client, headers, body, key="retry-1")
    assert first.status_code == 201, first.json
    again = post(client, headers, dict(reversed(list(body.items()))), key="retry-1")
    assert again.status_code == 201, again.json
    assert again.json["id"] == first.json["id"]
    assert again.json["number"] == first.json["number"]
    same = {k: v for k, v in first.json.items() if k != "media"}
    assert {k: v for k, v in again.json.items() if k != "media"} == same
    assert [m["id"] for m in again.json["media"]] == [m["id"] for m in first.json["media"]]
    assert reports(session) == 1


def test_the_same_key_with_another_body_is_a_conflict(client, session, headers, resident):
    photo = make_media(session, resident)
    assert post(client, headers, report_body([photo]), key="k").status_code == 201
    changed = report_body([photo], description="另一件事")
    body = assert_error(post(client, headers, changed, key="k"), 409)
    assert (
        "Idempotency-Key"
        in assert_error(
            client.post(
                "/api/v1/reports",
                json=changed,
                headers={**headers, "Idempotency-Key": "k", "Accept-Language": "en"},
            ),
            409,
        )["message"]
    )
    assert body["message"]
    assert reports(session) == 1


def test_keys_belong_to_one_user(client, session, sms, headers, resident):
    assert post(client, headers, report_body([make_media(session, resident)]), key="k").status_code
    other = make_resident(session)
    other_headers = login_resident(client, sms, other.phone)
    response = post(client, other_headers, report_body([make_media(session, other)]), key="k")
    assert response.status_code == 201
    assert reports(session) == 2


def test_a_refused_request_does_not_use_up_its_key(client, session, headers, resident):
    photo = make_media(session, resident)
    assert_error(post(client, headers, report_body([photo], category_code="9999"), key="k"), 422)
    assert post(client, headers, report_body([photo]), key="k").status_code == 201


def test_the_hash_ignores_key_order_and_spacing():
    assert request_hash({"a": 1, "b": [1, 2]}) == request_hash({"b": [1, 2], "a": 1})
    assert request_hash({"a": 1}) != request_hash({"a": 2})


def test_old_keys_are_purged(client, session, headers, resident):
    assert post(
        client, headers, report_body([make_media(session, resident)]), key="old"
    ).status_code
    assert post(
        client, headers, report_body([make_media(session, resident)]), key="new"
    ).status_code
    old = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == "old"))
    old.created_at = utcnow() - dt.timedelta(hours=25)
    session.flush()
    assert purge_idempotency(session, utcnow()) == 1
    assert session.scalars(select(IdempotencyRecord.key)).all() == ["new"]


def test_more_reports_than_the_hourly_limit_are_refused_with_retry_after(
    client, session, container, monkeypatch, headers, resident
):
    monkeypatch.setattr(
        container, "report_policy", dataclasses.replace(container.report_policy, reports_per_hour=2)
    )
    for _ in range(2):
        assert (
            post(client, headers, report_body([make_media(session, resident)])).status_code == 201
        )
    oldest = session.scalars(select(Report).order_by(Report.created_at)).first()
    oldest.created_at = utcnow() - dt.timedelta(minutes=50)
    session.flush()
    photo = make_media(session, resident)
    response = post(client, headers, report_body([photo]), key="limited")
    body = assert_error(response, 429)
    assert 500 <= int(response.headers["Retry-After"]) <= 600
    assert body["retry_after"] == int(response.headers["Retry-After"])
    assert reports(session) == 2
    # A retry of a report already filed is not a new report: it is answered, not limited.
    monkeypatch.setattr(
        container, "report_policy", dataclasses.replace(container.report_policy, reports_per_hour=3)
    )
    first = post(client, headers, report_body([photo]), key="limited")
    assert first.status_code == 201
    monkeypatch.setattr(
        container, "report_policy", dataclasses.replace(container.report_policy, reports_per_hour=1)
    )
    assert post(client, headers, report_body([photo]), key="limited").json["id"] == first.json["id"]


def test_reports_older_than_an_hour_do_not_count(
    client, session, container, monkeypatch, headers, resident
):
    monkeypatch.setattr(
        container, "report_policy", dataclasses.replace(container.report_policy, reports_per_hour=1)
    )
    assert post(client, headers, report_body([make_media(session, resident)])).status_code == 201
    only = session.scalar(select(Report))
    only.created_at = utcnow() - dt.timedelta(minutes=61)
    session.flush()
    assert post(client, headers, report_body([make_media(session, resident)])).status_code == 201
