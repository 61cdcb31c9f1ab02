"""Standard replies: admin CRUD with audit, the list for dispatchers and handlers
(category-specific first), rendering for a readable case, and refused input."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from services.models.accounts import Role
from services.models.audit import AuditEntry
from services.models.workflow import ReplyTemplate
from tests.assertions import assert_error
from tests.factories import login, login_resident, make_department, make_user
from tests.report_read_factories import make_report, report_category

URL = "/api/v1/replies"
ZH = "您反映的问题（{number}，{category}）已转{department}办理，预计{due_date}前办结。"
EN = "Your report {number} ({category}) went to {department}; due by {due_date}."


@pytest.fixture
def admin(session):
    return make_user(session, role=Role.ADMIN)  # platform-wide


@pytest.fixture
def admin_headers(client, admin):
    return login(client, admin)


def _create(client, headers, **fields):
    body = {"action": "dispatch", "title": "转办", "text_zh": ZH, "text_en": EN, **fields}
    return client.post(URL, json=body, headers=headers)


def _created(client, headers, **fields) -> dict:
    response = _create(client, headers, **fields)
    assert response.status_code == 201, response.json
    return response.json


def test_admin_creates_a_reply_and_it_is_audited(client, session, admin_headers):
    report_category(session, "5601")
    reply = _created(client, admin_headers, category="5601")
    assert (reply["action"], reply["category"], reply["active"]) == ("dispatch", "5601", True)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "reply.create"))
    assert entry.object_id == reply["id"] and entry.after["category"] == "5601"


def test_list_for_an_action_puts_the_category_first_then_the_general(
    client, session, tree, admin_headers
):
    report_category(session, "5601")
    report_category(session, "5602")
    general = _created(client, admin_headers, title="通用")
    specific = _created(client, admin_headers, title="路灯", category="5601")
    _created(client, admin_headers, title="其他类", category="5602")
    _created(client, admin_headers, action="reject", title="不予立案")
    dispatcher = make_user(session, role=Role.DISPATCHER, area=tree["district"])
    response = client.get(
        URL,
        query_string={"action": "dispatch", "category": "5601"},
        headers=login(client, dispatcher),
    )
    assert response.status_code == 200, response.json
    assert [r["id"] for r in response.json] == [specific["id"], general["id"]]


def test_handlers_read_replies_but_residents_and_workers_do_not(client, session, sms, tree):
    handler = make_user(session, role=Role.DEPARTMENT_HANDLER, department=make_department(session))
    assert client.get(URL, headers=login(client, handler)).status_code == 200
    worker = make_user(session, role=Role.GRID_WORKER, area=tree["grid"])
    assert_error(client.get(URL, headers=login(client, worker)), 403)
    assert_error(client.get(URL, headers=login_resident(client, sms, "+8613900002222")), 403)


def test_only_platform_administrators_manage_replies(client, session, tree, admin_headers):
    area_admin = make_user(session, role=Role.ADMIN, area=tree["district"])
    assert_error(_create(client, login(client, area_admin)), 403)
    dispatcher = make_user(session, role=Role.DISPATCHER, area=tree["district"])
    assert_error(_create(client, login(client, dispatcher)), 403)
    assert session.scalar(select(ReplyTemplate)) is None


def test_update_changes_fields_and_audits_only_the_difference(client, session, admin_headers):
    reply = _created(client, admin_headers)
    response = client.patch(
        f"{URL}/{reply['id']}",
        json={"title": "转办（新）", "text_en": "Case {number}."},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.json
    assert response.json["title"] == "转办（新）" and response.json["text_zh"] == ZH
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "reply.update"))
    assert entry.before == {"title": "转办", "text_en": EN}
    assert entry.after == {"title": "转办（新）", "text_en": "Case {number}."}


def test_delete_deactivates_and_hides_it_from_staff(client, session, tree, admin_headers):
    reply = _created(client, admin_headers)
    assert client.delete(f"{URL}/{reply['id']}", headers=admin_headers).status_code == 204
    assert session.get(ReplyTemplate, uuid.UUID(reply["id"])) is not None
    assert client.get(URL, headers=admin_headers).json == []
    listed = client.get(URL, query_string={"include_inactive": "true"}, headers=admin_headers)
    assert [r["active"] for r in listed.json] == [False]
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "reply.delete"))


def test_render_fills_the_case_in_the_callers_language(client, session, tree, admin_headers):
    reply = _created(client, admin_headers)
    dept = make_department(session, "SWJ", name="水务局")
    report = make_report(session, reporter=None, grid=tree["grid"], department=dept)
    report.disposal_due_at = dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.UTC)  # 11-25 in Shanghai
    session.flush()
    dispatcher = make_user(session, role=Role.DISPATCHER, area=tree["district"])
    headers = login(client, dispatcher)
    url = f"{URL}/{reply['id']}/render"
    response = client.post(url, json={"report_id": str(report.id)}, headers=headers)
    assert response.status_code == 200, response.json
    name = report.category.name_zh
    assert response.json["text"] == (
        f"您反映的问题（{report.number}，{name}）已转水务局办理，预计2026-11-25前办结。"
    )
    english = client.post(
        url, json={"report_id": str(report.id)}, headers={**headers, "Accept-Language": "en"}
    )
    assert english.json["locale"] == "en"
    assert english.json["text"].startswith(f"Your report {report.number} (")


def test_render_leaves_values_the_case_lacks_as_placeholders(client, session, tree, admin_headers):
    reply = _created(client, admin_headers)
    report = make_report(session, reporter=None, grid=tree["grid"])
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=tree["district"]))
    response = client.post(
        f"{URL}/{reply['id']}/render", json={"report_id": str(report.id)}, headers=headers
    )
    assert "{department}" in response.json["text"] and "{due_date}" in response.json["text"]


def test_render_refuses_a_case_outside_my_area(client, session, tree, admin_headers):
    reply = _created(client, admin_headers)
    report = make_report(session, reporter=None, grid=tree["grid"])
    outsider = make_user(session, role=Role.DISPATCHER, area=tree["other_district"])
    response = client.post(
        f"{URL}/{reply['id']}/render",
        json={"report_id": str(report.id)},
        headers=login(client, outsider),
    )
    assert_error(response, 404)


def test_unknown_reply_is_not_found(client, admin_headers):
    missing = "00000000-0000-0000-0000-000000000000"
    assert_error(client.patch(f"{URL}/{missing}", json={"title": "x"}, headers=admin_headers), 404)
    assert_error(client.delete(f"{URL}/{missing}", headers=admin_headers), 404)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text_zh": "案件 {number} 由 {handler} 办理"}, "text_zh"),
        ({"text_en": "Case {number.__class__}"}, "text_en"),
        ({"text_en": "Case {0}"}, "text_en"),
        ({"text_zh": "未闭合 {number"}, "text_zh"),
        ({"text_zh": "多余 } 括号"}, "text_zh"),
        ({"text_zh": ""}, "text_zh"),
        ({"text_zh": "x" * 2001}, "text_zh"),
        ({"text_zh": "bell\x07"}, "text_zh"),
        ({"action": "fly"}, "action"),
        ({"category": "9999"}, "category"),
        ({"category": "abc"}, "category"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_templates_are_refused_and_nothing_is_stored(
    client, session, admin_headers, fields, field
):
    body = assert_error(_create(client, admin_headers, **fields), 422)
    assert field in {name for where in body["errors"].values() for name in where}, body
    assert session.scalar(select(ReplyTemplate)) is None


def test_unknown_placeholder_message_names_it(client, admin_headers):
    body = assert_error(_create(client, admin_headers, text_zh="{handler} 已处理"), 422)
    assert "handler" in str(body["errors"])


def test_empty_update_and_bad_update_are_refused(client, admin_headers):
    reply = _created(client, admin_headers)
    assert_error(client.patch(f"{URL}/{reply['id']}", json={}, headers=admin_headers), 422)
    bad = client.patch(f"{URL}/{reply['id']}", json={"text_en": "{oops}"}, headers=admin_headers)
    assert_error(bad, 422)


def test_render_needs_a_report_id(client, admin_headers):
    reply = _created(client, admin_headers)
    response = client.post(f"{URL}/{reply['id']}/render", json={}, headers=admin_headers)
    assert_error(response, 422)
