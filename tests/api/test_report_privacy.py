"""What staff see of one report: the reporter only for dispatchers and admins (anonymous: admins
only), phones masked, originals and EXIF only in the detail, notes, duplicates."""

from __future__ import annotations

import pytest

from services.models.accounts import Role
from services.models.reports import ReportStatus
from tests.factories import login, make_department, make_resident, make_user
from tests.report_factories import make_media
from tests.report_read_factories import attach, link_duplicate, make_event, make_report

URL = "/api/v1/reports"
PHONE = "+8613812341234"


@pytest.fixture
def people(session, tree):
    dept = make_department(session, "CG01")
    return {
        "dept": dept,
        "resident": make_resident(session, PHONE),
        "platform_admin": make_user(session, role=Role.ADMIN),
        "district_admin": make_user(session, role=Role.ADMIN, area=tree["district"]),
        "dispatcher": make_user(session, role=Role.DISPATCHER, area=tree["district"]),
        "grid_worker": make_user(session, role=Role.GRID_WORKER, area=tree["grid"]),
        "emergency_officer": make_user(session, role=Role.EMERGENCY_OFFICER, area=tree["district"]),
        "handler": make_user(session, role=Role.DEPARTMENT_HANDLER, department=dept),
    }


@pytest.fixture
def reports(session, tree, people):
    kwargs = {"reporter": people["resident"], "grid": tree["grid"], "department": people["dept"]}
    return {
        "named": make_report(session, **kwargs),
        "anonymous": make_report(session, anonymous=True, **kwargs),
    }


SEES_REPORTER = {
    "named": {"platform_admin", "district_admin", "dispatcher"},
    "anonymous": {"platform_admin", "district_admin"},
}


@pytest.mark.parametrize(
    "who",
    [
        "platform_admin",
        "district_admin",
        "dispatcher",
        "grid_worker",
        "emergency_officer",
        "handler",
    ],
)
@pytest.mark.parametrize("kind", ["named", "anonymous"])
def test_reporter_is_shown_only_to_those_allowed(client, people, reports, who, kind):
    headers = login(client, people[who])
    report = reports[kind]
    detail = client.get(f"{URL}/{report.id}", headers=headers)
    listed = client.get(URL, headers=headers).json["items"]
    item = next(i for i in listed if i["id"] == str(report.id))
    for body in (detail.json, item):
        assert body["anonymous"] is (kind == "anonymous")
        if who in SEES_REPORTER[kind]:
            assert body["reporter"] == {
                "id": str(people["resident"].id),
                "display_name": people["resident"].display_name,
                "phone_masked": "138****1234",
            }
        else:
            assert body["reporter"] is None
    # never the full number, in any form
    for text in (detail.get_data(as_text=True), client.get(URL, headers=headers).get_data(True)):
        assert "13812341234" not in text
        assert "8613812341234" not in text


def test_original_and_exif_are_in_the_detail_for_staff_never_in_the_list(
    client, session, people, reports
):
    report = reports["named"]
    photo = make_media(session, people["resident"], exif_lat=33.95, exif_lng=118.28)
    attach(session, report, photo)
    for who in ("grid_worker", "handler", "dispatcher"):
        headers = login(client, people[who])
        detail = client.get(f"{URL}/{report.id}", headers=headers).json
        assert len(detail["photos"]) == 1
        shown = detail["photos"][0]
        assert shown["id"] == str(photo.id)
        assert shown["original_url"] and "originals/" in shown["original_url"]
        assert shown["exif"]["lat"] == 33.95 and shown["exif"]["lng"] == 118.28
        assert "thumbs/" in detail["thumbnail_url"]
        item = next(
            i for i in client.get(URL, headers=headers).json["items"] if i["id"] == str(report.id)
        )
        assert item["photo_count"] == 1
        assert "thumbs/" in item["thumbnail_url"]
        assert "exif" not in item and "photos" not in item and "original" not in str(item)


def test_timeline_shows_notes_and_staff_names_to_staff(client, session, people, reports):
    report = reports["named"]
    make_event(
        session,
        report,
        action="submitted",
        actor=people["resident"],
        actor_role="resident",
        to_status="reported",
    )
    make_event(
        session,
        report,
        action="filed",
        actor=people["dispatcher"],
        actor_role="dispatcher",
        to_status="filed",
        note="内部：已电话核实",
        public_note="已受理",
    )
    headers = login(client, people["grid_worker"])
    timeline = client.get(f"{URL}/{report.id}", headers=headers).json["timeline"]
    assert [e["action"] for e in timeline] == ["submitted", "filed"]
    assert timeline[1]["note"] == "内部：已电话核实"
    assert timeline[1]["public_note"] == "已受理"
    assert timeline[1]["actor"]["display_name"] == people["dispatcher"].display_name
    # a grid worker may not know who reported: the reporter's own entry does not name them
    assert timeline[0]["actor"] is None
    assert timeline[0]["actor_role"] == "resident"
    dispatcher = login(client, people["dispatcher"])
    timeline = client.get(f"{URL}/{report.id}", headers=dispatcher).json["timeline"]
    assert timeline[0]["actor"]["id"] == str(people["resident"].id)


def test_anonymous_reporters_own_timeline_entry_is_hidden_from_dispatchers(
    client, session, people, reports
):
    report = reports["anonymous"]
    make_event(session, report, action="submitted", actor=people["resident"], actor_role="resident")
    dispatcher = login(client, people["dispatcher"])
    entry = client.get(f"{URL}/{report.id}", headers=dispatcher).json["timeline"][0]
    assert entry["actor"] is None
    admin = login(client, people["district_admin"])
    entry = client.get(f"{URL}/{report.id}", headers=admin).json["timeline"][0]
    assert entry["actor"]["id"] == str(people["resident"].id)


def test_dispatchers_see_suspected_duplicates_both_ways_within_their_scope(
    client, session, tree, people, reports
):
    original = reports["named"]
    copy = make_report(session, reporter=people["resident"], grid=tree["grid2"])
    elsewhere = make_report(session, reporter=people["resident"], grid=tree["other_street"])
    link = link_duplicate(session, copy, original, distance_m=12.5)
    link_duplicate(session, elsewhere, original)
    headers = login(client, people["dispatcher"])
    duplicates = client.get(f"{URL}/{original.id}", headers=headers).json["duplicates"]
    # the one in the other district is outside the dispatcher's scope: not even its number
    assert duplicates == [
        {
            "id": str(link.id),
            "relation": "duplicated_by",
            "report": {
                "id": str(copy.id),
                "number": copy.number,
                "status": "reported",
                "created_at": duplicates[0]["report"]["created_at"],
            },
            "reason": "nearby",
            "distance_m": 12.5,
            "status": "suspected",
        }
    ]
    back = client.get(f"{URL}/{copy.id}", headers=headers).json["duplicates"]
    assert [(d["relation"], d["report"]["number"]) for d in back] == [
        ("duplicate_of", original.number)
    ]
    worker = login(client, people["grid_worker"])
    assert client.get(f"{URL}/{original.id}", headers=worker).json["duplicates"] is None


def test_detail_carries_status_category_area_department_and_supporters(
    client, session, tree, people
):
    report = make_report(
        session,
        reporter=people["resident"],
        grid=tree["grid"],
        department=people["dept"],
        status=ReportStatus.DISPATCHED,
        supporters_count=4,
    )
    headers = login(client, people["dispatcher"])
    body = client.get(f"{URL}/{report.id}", headers={**headers, "Accept-Language": "en"}).json
    assert body["status"] == "dispatched"
    assert body["category"] == {"code": "5601", "name": "Category 5601"}
    assert body["grid"]["code"] == tree["grid"].code
    assert body["department"] == {
        "id": str(people["dept"].id),
        "code": "CG01",
        "name": people["dept"].name,
    }
    assert body["supporters_count"] == 4
    assert body["photos"] == [] and body["timeline"] == [] and body["duplicates"] == []
