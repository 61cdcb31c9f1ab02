"""A resident's own reports: newest first, plain-language status, public timeline only."""

from __future__ import annotations

import datetime as dt

import pytest

from services.models.accounts import Role
from services.models.reports import ReportStatus
from tests.assertions import assert_error
from tests.factories import login, login_resident, make_resident, make_user
from tests.report_factories import make_media
from tests.report_read_factories import attach, make_event, make_report

URL = "/api/v1/me/reports"
T0 = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
PHONE = "13812341234"


@pytest.fixture
def me(session):
    return make_resident(session, f"+86{PHONE}")


@pytest.fixture
def headers(client, sms, me):
    return login_resident(client, sms, PHONE)


def test_my_reports_lists_only_mine_newest_first_with_totals(client, session, tree, me, headers):
    stranger = make_resident(session)
    mine = [
        make_report(session, reporter=me, grid=tree["grid"], created_at=T0 + dt.timedelta(hours=h))
        for h in range(5)
    ]
    make_report(session, reporter=stranger, grid=tree["grid"])
    first = client.get(URL, query_string={"page_size": 2}, headers=headers).json
    third = client.get(URL, query_string={"page": 3, "page_size": 2}, headers=headers).json
    assert first["total"] == third["total"] == 5
    assert [i["number"] for i in first["items"]] == [mine[4].number, mine[3].number]
    assert [i["number"] for i in third["items"]] == [mine[0].number]
    assert "reporter" not in first["items"][0]


def test_my_reports_include_reports_outside_the_city_and_anonymous_ones(
    client, session, me, headers
):
    report = make_report(session, reporter=me, grid=None, anonymous=True)
    items = client.get(URL, headers=headers).json["items"]
    assert [(i["number"], i["anonymous"]) for i in items] == [(report.number, True)]


@pytest.mark.parametrize(
    ("status", "zh", "en"),
    [
        (ReportStatus.REPORTED, "已提交，等待受理", "Received; waiting to be reviewed"),
        (ReportStatus.IN_PROGRESS, "正在处理", "Being dealt with"),
        (ReportStatus.CLOSED, "已办结", "Closed"),
    ],
)
def test_status_is_given_in_plain_words(client, session, tree, me, headers, status, zh, en):
    report = make_report(session, reporter=me, grid=tree["grid"], status=status)
    assert client.get(URL, headers=headers).json["items"][0]["status_text"] == zh
    english = {**headers, "Accept-Language": "en"}
    assert client.get(f"{URL}/{report.id}", headers=english).json["status_text"] == en


def test_every_status_has_a_plain_text(client, session, tree, me, headers):
    for status in ReportStatus:
        make_report(session, reporter=me, grid=tree["grid"], status=status)
    items = client.get(URL, query_string={"page_size": 50}, headers=headers).json["items"]
    texts = {i["status"]: i["status_text"] for i in items}
    assert set(texts) == {s.value for s in ReportStatus}
    assert all(text and not text.isascii() for text in texts.values())


def test_my_report_timeline_hides_internal_notes_and_staff_names(
    client, session, tree, me, headers
):
    dispatcher = make_user(session, role=Role.DISPATCHER, area=tree["district"])
    report = make_report(session, reporter=me, grid=tree["grid"], status=ReportStatus.FILED)
    make_event(
        session,
        report,
        action="submitted",
        actor=me,
        actor_role="resident",
        to_status="reported",
        at=T0,
    )
    make_event(
        session,
        report,
        action="filed",
        actor=dispatcher,
        actor_role="dispatcher",
        to_status="filed",
        note="内部：疑似重复，先受理",
        public_note="已受理，请耐心等待",
        at=T0 + dt.timedelta(minutes=5),
    )
    # an internal remark alone, with no status change and no public text, is not shown at all
    make_event(
        session,
        report,
        action="commented",
        actor=dispatcher,
        actor_role="dispatcher",
        note="内部：联系了城管",
        at=T0 + dt.timedelta(minutes=6),
    )
    response = client.get(f"{URL}/{report.id}", headers=headers)
    assert response.status_code == 200
    timeline = response.json["timeline"]
    assert timeline == [
        {
            "at": timeline[0]["at"],
            "action": "submitted",
            "status": "reported",
            "status_text": "已提交，等待受理",
            "text": None,
            "by": "我",
        },
        {
            "at": timeline[1]["at"],
            "action": "filed",
            "status": "filed",
            "status_text": "已受理，正在安排处理",
            "text": "已受理，请耐心等待",
            "by": "工作人员",
        },
    ]
    body = response.get_data(as_text=True)
    assert "内部" not in body
    assert dispatcher.display_name not in body and str(dispatcher.id) not in body
    english = client.get(f"{URL}/{report.id}", headers={**headers, "Accept-Language": "en"})
    assert [e["by"] for e in english.json["timeline"]] == ["You", "Staff"]


def test_my_report_shows_my_photos_without_originals_or_exif(client, session, tree, me, headers):
    worker = make_user(session, role=Role.GRID_WORKER, area=tree["grid"])
    report = make_report(session, reporter=me, grid=tree["grid"])
    mine = make_media(session, me, exif_lat=33.95, exif_lng=118.28)
    theirs = make_media(session, worker)
    attach(session, report, theirs, mine)  # the first photo is not mine
    body = client.get(f"{URL}/{report.id}", headers=headers).json
    assert [p["id"] for p in body["photos"]] == [str(mine.id)]
    assert "original_url" not in body["photos"][0] and "exif" not in body["photos"][0]
    assert "thumbs/" in body["thumbnail_url"]
    listed = client.get(URL, headers=headers).json["items"][0]
    assert mine.sha256 in listed["thumbnail_url"] and theirs.sha256 not in listed["thumbnail_url"]


def test_someone_elses_report_is_not_found(client, session, tree, headers):
    stranger = make_resident(session)
    report = make_report(session, reporter=stranger, grid=tree["grid"])
    assert_error(client.get(f"{URL}/{report.id}", headers=headers), 404)
    missing = client.get(f"{URL}/00000000-0000-4000-8000-000000000000", headers=headers)
    assert_error(missing, 404)


def test_staff_read_their_own_reports_here_too(client, session, tree):
    worker = make_user(session, role=Role.GRID_WORKER, area=tree["grid"])
    report = make_report(session, reporter=worker, grid=tree["other_street"])
    headers = login(client, worker)
    assert [i["id"] for i in client.get(URL, headers=headers).json["items"]] == [str(report.id)]
    assert client.get(f"{URL}/{report.id}", headers=headers).status_code == 200


def test_my_reports_need_a_signed_in_user(client, session, tree, me):
    report = make_report(session, reporter=me, grid=tree["grid"])
    assert_error(client.get(URL), 401)
    assert_error(client.get(f"{URL}/{report.id}"), 401)


@pytest.mark.parametrize(
    "query", [{"page_size": 101}, {"page_size": 0}, {"page": 0}, {"page": "x"}]
)
def test_my_reports_refuse_bad_paging(client, headers, query):
    assert_error(client.get(URL, query_string=query, headers=headers), 422)


def test_my_report_with_a_malformed_id_is_not_found(client, headers):
    assert_error(client.get(f"{URL}/not-a-uuid", headers=headers), 404)


def test_entries_that_keep_the_state_are_internal_unless_they_say_something_public(
    client, session, tree, me, headers
):
    dispatcher = make_user(session, role=Role.DISPATCHER, area=tree["district"])
    report = make_report(session, reporter=me, grid=tree["grid"], status=ReportStatus.IN_PROGRESS)
    kept = {"actor": dispatcher, "actor_role": "dispatcher", "to_status": "in_progress"}
    supervised = make_event(session, report, action="supervise", note="催办", at=T0, **kept)
    extended = make_event(
        session,
        report,
        action="approve_extension",
        public_note="处置期限已延长",
        at=T0 + dt.timedelta(hours=1),
        **kept,
    )
    for event in (supervised, extended):
        event.from_status = "in_progress"
    session.flush()

    timeline = client.get(f"{URL}/{report.id}", headers=headers).json["timeline"]

    assert [entry["action"] for entry in timeline] == ["approve_extension"]
    assert timeline[0]["text"] == "处置期限已延长"
