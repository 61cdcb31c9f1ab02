"""Staff reading reports: scoping of the list, the map and the detail; every filter and sort."""

from __future__ import annotations

import datetime as dt

import pytest

from services.models.accounts import Role
from services.models.reports import ReportSource, ReportStatus
from tests.assertions import assert_error
from tests.factories import login, login_resident, make_department, make_resident, make_user
from tests.report_read_factories import make_report, report_category

URL = "/api/v1/reports"
GEO = "/api/v1/reports.geojson"
T0 = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(session, tree):
    dept = make_department(session, "CG01")
    other_dept = make_department(session, "ZJ01")
    resident = make_resident(session, "+8613812341234")
    reports = {
        "grid": make_report(session, reporter=resident, grid=tree["grid"], department=dept),
        "grid2": make_report(session, reporter=resident, grid=tree["grid2"]),
        "other": make_report(
            session, reporter=resident, grid=tree["other_street"], department=other_dept
        ),
        # dispatched to our department although it lies in the other district
        "other_ours": make_report(
            session, reporter=resident, grid=tree["other_street"], department=dept
        ),
        "outside": make_report(session, reporter=resident, grid=None),
    }
    return {"tree": tree, "dept": dept, "resident": resident, "reports": reports}


def _viewer(session, world, who):
    tree, dept = world["tree"], world["dept"]
    return {
        "platform_admin": lambda: make_user(session, role=Role.ADMIN),
        "district_admin": lambda: make_user(session, role=Role.ADMIN, area=tree["district"]),
        "district_dispatcher": lambda: make_user(
            session, role=Role.DISPATCHER, area=tree["district"]
        ),
        "street_worker": lambda: make_user(session, role=Role.GRID_WORKER, area=tree["street"]),
        "grid_worker": lambda: make_user(session, role=Role.GRID_WORKER, area=tree["grid"]),
        "emergency_officer": lambda: make_user(
            session, role=Role.EMERGENCY_OFFICER, area=tree["district"]
        ),
        "handler": lambda: make_user(session, role=Role.DEPARTMENT_HANDLER, department=dept),
        "unbound_handler": lambda: make_user(session, role=Role.DEPARTMENT_HANDLER),
        "other_dispatcher": lambda: make_user(
            session, role=Role.DISPATCHER, area=tree["other_district"]
        ),
        "unbound_dispatcher": lambda: make_user(session, role=Role.DISPATCHER),
    }[who]()


SCOPES = {
    "platform_admin": {"grid", "grid2", "other", "other_ours", "outside"},
    "district_admin": {"grid", "grid2"},
    "district_dispatcher": {"grid", "grid2"},
    "street_worker": {"grid", "grid2"},
    "grid_worker": {"grid"},
    "emergency_officer": {"grid", "grid2"},
    "handler": {"grid", "other_ours"},
    "unbound_handler": set(),
    "other_dispatcher": {"other", "other_ours"},
    "unbound_dispatcher": set(),
}


def _names(world, numbers) -> set[str]:
    by_number = {r.number: name for name, r in world["reports"].items()}
    return {by_number[n] for n in numbers}


def _listed(client, headers, world, **query) -> list[str]:
    response = client.get(URL, query_string={"page_size": 100, **query}, headers=headers)
    assert response.status_code == 200, response.json
    return [item["number"] for item in response.json["items"]]


@pytest.mark.parametrize("who", sorted(SCOPES))
def test_list_map_and_detail_show_exactly_the_callers_scope(client, session, world, who):
    headers = login(client, _viewer(session, world, who))
    listed = client.get(URL, query_string={"page_size": 100}, headers=headers)
    assert listed.status_code == 200
    assert _names(world, [i["number"] for i in listed.json["items"]]) == SCOPES[who]
    assert listed.json["total"] == len(SCOPES[who])

    mapped = client.get(GEO, headers=headers)
    assert mapped.status_code == 200
    numbers = [f["properties"]["number"] for f in mapped.json["features"]]
    assert _names(world, numbers) == SCOPES[who]

    missing = client.get(f"{URL}/00000000-0000-4000-8000-000000000000", headers=headers).json
    for name, report in world["reports"].items():
        detail = client.get(f"{URL}/{report.id}", headers=headers)
        if name in SCOPES[who]:
            assert detail.status_code == 200
            assert detail.json["number"] == report.number
        else:
            # the same answer as for a report that does not exist
            assert assert_error(detail, 404)["message"] == missing["message"], name


def test_residents_may_not_use_the_staff_endpoints(client, sms, world):
    report = world["reports"]["grid"]
    headers = login_resident(client, sms, "13812341234")  # the reporter themself
    assert client.get(URL, headers=headers).status_code == 403
    assert client.get(GEO, headers=headers).status_code == 403
    assert client.get(f"{URL}/{report.id}", headers=headers).status_code == 403


def test_reading_needs_a_signed_in_user(client, world):
    assert client.get(URL).status_code == 401
    assert client.get(GEO).status_code == 401
    assert client.get(f"{URL}/{world['reports']['grid'].id}").status_code == 401


@pytest.fixture
def admin(client, session):
    return login(client, make_user(session, role=Role.ADMIN))


@pytest.fixture
def varied(session, tree):
    """Reports that differ in one attribute each, for the filters."""
    resident = make_resident(session)
    dept = make_department(session, "SW01")
    report_category(session, "0101")
    make = make_report
    return {
        "lamp": make(
            session,
            reporter=resident,
            grid=tree["grid"],
            category="5601",
            created_at=T0,
            description="路灯不亮",
            address="幸福路 1 号",
            supporters_count=3,
            filing_due_at=T0 + dt.timedelta(days=2),
        ),
        "rubbish": make(
            session,
            reporter=resident,
            grid=tree["grid2"],
            category="5602",
            status=ReportStatus.DISPATCHED,
            department=dept,
            created_at=T0 + dt.timedelta(days=1),
            description="垃圾堆放 100%_满",
            supporters_count=7,
            filing_due_at=T0 + dt.timedelta(days=1),
        ),
        "manhole": make(
            session,
            reporter=resident,
            grid=tree["other_street"],
            category="0101",
            status=ReportStatus.CLOSED,
            source=ReportSource.PATROL,
            overdue=True,
            created_at=T0 + dt.timedelta(days=2),
            lng=118.40,
            lat=34.10,
            description="井盖缺失",
            supporters_count=1,
        ),
    }


def _only(client, admin, varied, **query) -> set[str]:
    response = client.get(URL, query_string={"page_size": 100, **query}, headers=admin)
    assert response.status_code == 200, response.json
    by_number = {r.number: name for name, r in varied.items()}
    return {by_number[i["number"]] for i in response.json["items"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "reported"}, {"lamp"}),
        ({"status": ["dispatched", "closed"]}, {"rubbish", "manhole"}),
        ({"category": "5601"}, {"lamp"}),
        ({"category": "56"}, {"lamp", "rubbish"}),  # a major class includes its minors
        ({"category": "01"}, {"manhole"}),
        ({"area": "321302"}, {"lamp", "rubbish"}),
        ({"area": "321302001001002"}, {"rubbish"}),
        ({"area": "321311"}, {"manhole"}),
        ({"source": "patrol"}, {"manhole"}),
        ({"source": ["patrol", "mini_program"]}, {"lamp", "rubbish", "manhole"}),
        ({"created_from": "2026-11-23T02:00:00+00:00"}, {"rubbish", "manhole"}),
        ({"created_to": "2026-11-23T10:00:00+08:00"}, {"lamp"}),  # exclusive bound
        (
            {"created_from": "2026-11-22T12:00:00+08:00", "created_to": "2026-11-24T00:00:00Z"},
            {"rubbish"},
        ),
        ({"bbox": "118.3,34.0,118.5,34.2"}, {"manhole"}),
        ({"bbox": "118.0,33.0,118.29,34.0"}, {"lamp", "rubbish"}),
        ({"overdue": "true"}, {"manhole"}),
        ({"overdue": "false"}, {"lamp", "rubbish"}),
        ({"q": "井盖"}, {"manhole"}),
        ({"q": "幸福路"}, {"lamp"}),
        ({"q": "100%_"}, {"rubbish"}),  # wildcards are taken literally
        ({"q": "%"}, {"rubbish"}),
        ({"q": "_"}, {"rubbish"}),
        ({"status": "reported", "category": "56", "area": "321302"}, {"lamp"}),
    ],
)
def test_each_filter_narrows_the_list_and_the_map(client, admin, varied, query, expected):
    assert _only(client, admin, varied, **query) == expected
    mapped = client.get(GEO, query_string=query, headers=admin)
    assert mapped.status_code == 200
    by_number = {r.number: name for name, r in varied.items()}
    assert {by_number[f["properties"]["number"]] for f in mapped.json["features"]} == expected


def test_number_filter_by_text_finds_the_report(client, admin, varied):
    assert _only(client, admin, varied, q=varied["rubbish"].number) == {"rubbish"}


def test_department_filter(client, admin, varied):
    dept_id = varied["rubbish"].department_id
    assert _only(client, admin, varied, department=str(dept_id)) == {"rubbish"}


def test_area_filter_accepts_an_id(client, admin, varied, tree):
    assert _only(client, admin, varied, area=str(tree["grid"].id)) == {"lamp"}


def test_area_filter_outside_the_callers_scope_yields_nothing(client, session, varied, tree):
    headers = login(client, make_user(session, role=Role.DISPATCHER, area=tree["district"]))
    assert _only(client, headers, varied, area="321311") == set()
    # an ancestor of the caller's area does not widen their scope
    assert _only(client, headers, varied, area="321300") == {"lamp", "rubbish"}


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (None, ["manhole", "rubbish", "lamp"]),
        ("-created_at", ["manhole", "rubbish", "lamp"]),
        ("created_at", ["lamp", "rubbish", "manhole"]),
        ("supporters_count", ["manhole", "lamp", "rubbish"]),
        ("-supporters_count", ["rubbish", "lamp", "manhole"]),
        ("filing_due_at", ["rubbish", "lamp", "manhole"]),  # no deadline: last
        ("-filing_due_at", ["lamp", "rubbish", "manhole"]),
        ("number", ["lamp", "rubbish", "manhole"]),
        ("-number", ["manhole", "rubbish", "lamp"]),
    ],
)
def test_sort_orders(client, admin, varied, sort, order):
    query = {"page_size": 100} | ({"sort": sort} if sort else {})
    response = client.get(URL, query_string=query, headers=admin)
    by_number = {r.number: name for name, r in varied.items()}
    assert [by_number[i["number"]] for i in response.json["items"]] == order


def test_pages_carry_totals_and_do_not_overlap(client, session, admin, tree):
    resident = make_resident(session)
    for n in range(7):
        make_report(
            session, reporter=resident, grid=tree["grid"], created_at=T0 + dt.timedelta(minutes=n)
        )
    pages = [
        client.get(URL, query_string={"page": p, "page_size": 3}, headers=admin).json
        for p in (1, 2, 3, 4)
    ]
    assert [p["total"] for p in pages] == [7, 7, 7, 7]
    assert [len(p["items"]) for p in pages] == [3, 3, 1, 0]
    numbers = [i["number"] for p in pages for i in p["items"]]
    assert len(set(numbers)) == 7
    assert numbers == sorted(numbers, reverse=True)


def test_map_features_are_points_without_reporter_or_text(client, admin, varied):
    response = client.get(GEO, headers=admin)
    assert response.json["type"] == "FeatureCollection"
    feature = next(
        f
        for f in response.json["features"]
        if f["properties"]["number"] == varied["manhole"].number
    )
    assert feature["geometry"] == {"type": "Point", "coordinates": [118.40, 34.10]}
    assert feature["properties"] == {
        "id": str(varied["manhole"].id),
        "number": varied["manhole"].number,
        "status": "closed",
        "category": "0101",
        "created_at": feature["properties"]["created_at"],
        "overdue": True,
    }
    assert dt.datetime.fromisoformat(feature["properties"]["created_at"]) == T0 + dt.timedelta(
        days=2
    )


def test_map_refuses_more_features_than_its_limit(client, admin, varied, monkeypatch):
    from api.resources.reports import read

    monkeypatch.setattr(read, "GEOJSON_MAX_FEATURES", 2)
    response = client.get(GEO, headers={**admin, "Accept-Language": "en"})
    assert response.status_code == 422
    assert "narrow" in str(response.json["errors"])
    assert client.get(GEO, query_string={"overdue": "true"}, headers=admin).status_code == 200
