"""GET /api/v1/stats/cases on a hand-computed data set (tests/stats_factories.py): the figures,
every grouping, the scoping by role, area and department, and refused input."""

from __future__ import annotations

import datetime as dt

import pytest

from services.models.accounts import Role
from services.stats import month_of, percentile
from tests.assertions import assert_error
from tests.factories import login, login_resident, make_user
from tests.stats_factories import FROM, TO, make_stats_world

URL = "/api/v1/stats/cases"


@pytest.fixture
def world(session, tree):
    return make_stats_world(session, tree, now=dt.datetime.now(dt.UTC))


@pytest.fixture
def dispatcher(session, tree):
    return make_user(session, role=Role.DISPATCHER, area=tree["district"])


def _stats(client, headers, **query):
    query = {"from": FROM, "to": TO, **query}
    response = client.get(URL, query_string=query, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def _by_key(body) -> dict:
    return {group["key"]: group for group in body["groups"]}


def test_totals_match_the_hand_computed_figures(client, world, dispatcher):
    body = _stats(client, login(client, dispatcher))
    total = body["total"]
    assert total["total"] == 8
    assert total["counts"] == {
        "reported": 1,
        "filed": 0,
        "rejected": 1,
        "merged": 1,
        "dispatched": 0,
        "in_progress": 1,
        "resolved": 0,
        "closed": 4,
    }
    assert total["close_rate"] == pytest.approx(4 / 6, abs=1e-4)
    # 2 was flagged once (timeline), 4 is flagged now: cases 1 and 3 were on time.
    assert total["on_time_rate"] == 0.5
    assert total["avg_handling_hours"] == 25.0
    assert total["p90_handling_hours"] == 40.0
    assert total["rework_rate"] == 0.25
    assert total["self_resolution_share"] == 0.125
    assert body["groups"] == [] and body["group_by"] is None
    assert body["period"] == {
        "from": "2026-11-01T00:00:00+08:00",
        "to": "2026-12-01T00:00:00+08:00",
    }


def test_top_overdue_lists_open_overdue_cases_longest_overdue_first(client, world, dispatcher):
    body = _stats(client, login(client, dispatcher))
    cases = world["cases"]
    assert [(c["number"], c["days_overdue"]) for c in body["top_overdue"]] == [
        (cases[7].number, 3),
        (cases[8].number, 1),
    ]
    assert body["top_overdue"][0]["status"] == "in_progress"


def test_group_by_category_gives_each_minor_class_its_figures(client, world, dispatcher):
    groups = _by_key(_stats(client, login(client, dispatcher), group_by="category"))
    assert set(groups) == {"5601", "5602"}
    first, second = groups["5601"], groups["5602"]
    assert (first["total"], first["counts"]["closed"]) == (5, 2)
    assert first["close_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert (first["avg_handling_hours"], first["p90_handling_hours"]) == (15.0, 20.0)
    assert (first["rework_rate"], first["on_time_rate"]) == (0.5, 0.5)
    assert (second["total"], second["avg_handling_hours"], second["p90_handling_hours"]) == (
        3,
        35.0,
        40.0,
    )
    assert second["self_resolution_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert second["rework_rate"] == 0.0
    assert first["label"]  # the category's name


def test_group_by_department_keeps_cases_without_one_under_null(client, world, dispatcher):
    groups = _by_key(_stats(client, login(client, dispatcher), group_by="department"))
    assert set(groups) == {"CGJ", None}
    assert groups["CGJ"]["total"] == 4 and groups["CGJ"]["label"] == "城管局"
    assert groups[None]["total"] == 4
    assert groups["CGJ"]["close_rate"] == pytest.approx(3 / 4, abs=1e-4)


def test_group_by_source(client, world, dispatcher):
    groups = _by_key(_stats(client, login(client, dispatcher), group_by="source"))
    assert {key: g["total"] for key, g in groups.items()} == {"mini_program": 7, "patrol": 1}
    assert groups["patrol"]["self_resolution_share"] == 1.0


def test_group_by_day_counts_by_the_shanghai_calendar_day_in_order(client, world, dispatcher):
    body = _stats(client, login(client, dispatcher), group_by="day")
    assert [(g["key"], g["total"]) for g in body["groups"]] == [
        ("2026-11-01", 1),  # 10-31 16:00 UTC
        ("2026-11-03", 1),  # 11-02 20:00 UTC
        ("2026-11-04", 1),
        ("2026-11-05", 1),
        ("2026-11-06", 4),
    ]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("district", {"321302": 8}),
        ("street", {"321302001": 8}),
        ("community", {"321302001001": 8}),
        ("grid", {"321302001001001": 6, "321302001001002": 2}),
    ],
)
def test_group_by_area_level_folds_cases_into_their_ancestor(
    client, world, dispatcher, level, expected
):
    body = _stats(client, login(client, dispatcher), group_by="area_level", level=level)
    assert {g["key"]: g["total"] for g in body["groups"]} == expected
    assert body["level"] == level


def test_area_filter_narrows_to_a_subtree(client, world, dispatcher, tree):
    body = _stats(client, login(client, dispatcher), area=tree["grid2"].code)
    assert body["total"]["total"] == 2
    assert body["area"]["code"] == tree["grid2"].code
    assert [c["number"] for c in body["top_overdue"]] == [world["cases"][8].number]


def test_department_handler_reads_only_their_department(client, session, world):
    handler = make_user(session, role=Role.DEPARTMENT_HANDLER, department=world["dept"])
    body = _stats(client, login(client, handler))
    assert body["total"]["total"] == 4
    assert body["total"]["counts"]["closed"] == 3


def test_department_filter_for_a_dispatcher(client, world, dispatcher):
    body = _stats(client, login(client, dispatcher), department=str(world["dept"].id))
    assert body["total"]["total"] == 4
    assert body["department"]["code"] == "CGJ"


def test_emergency_officer_reads_their_area(client, session, tree, world):
    officer = make_user(session, role=Role.EMERGENCY_OFFICER, area=tree["district"])
    assert _stats(client, login(client, officer))["total"]["total"] == 8


def test_city_admin_sees_both_districts(client, session, tree, world):
    admin = make_user(session, role=Role.ADMIN, area=tree["city"])
    headers = login(client, admin)
    assert _stats(client, headers)["total"]["total"] == 9
    assert _stats(client, headers, area="321311")["total"]["total"] == 1


def test_an_area_beyond_my_scope_yields_nothing_more(client, tree, world, dispatcher):
    body = _stats(client, login(client, dispatcher), area="321311")
    assert body["total"]["total"] == 0
    assert body["total"]["close_rate"] is None and body["total"]["avg_handling_hours"] is None


def test_residents_and_grid_workers_are_refused(client, session, sms, tree, world):
    worker = make_user(session, role=Role.GRID_WORKER, area=tree["district"])
    assert_error(client.get(URL, headers=login(client, worker)), 403)
    resident = login_resident(client, sms, "+8613900001111")
    assert_error(client.get(URL, headers=resident), 403)


def test_anonymous_callers_are_refused(client):
    assert_error(client.get(URL), 401)


def test_default_period_is_this_month_in_shanghai(client, world, dispatcher):
    response = client.get(URL, headers=login(client, dispatcher))
    assert response.status_code == 200, response.json
    start, end = month_of(dt.datetime.now(dt.UTC))
    period = response.json["period"]
    assert dt.datetime.fromisoformat(period["from"]) == start
    assert dt.datetime.fromisoformat(period["to"]) == end
    assert period["from"].endswith("+08:00") and "-01T00:00:00" in period["from"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": TO, "to": FROM}, "to"),
        ({"from": FROM, "to": FROM}, "to"),
        ({"from": "2025-11-01T00:00:00+08:00", "to": "2026-11-03T00:00:00+08:00"}, "to"),
        ({"from": "2026-11-01T00:00:00", "to": TO}, "from"),
        ({"from": FROM, "to": "2026-12-01"}, "to"),
        ({"from": FROM}, "to"),
        ({"to": TO}, "from"),
        ({"group_by": "weekday"}, "group_by"),
        ({"group_by": "area_level", "level": "city"}, "level"),
        ({"area": "999999"}, "area"),
        ({"area": "not-an-area"}, "area"),
        ({"department": "00000000-0000-0000-0000-000000000000"}, "department"),
        ({"department": "CGJ"}, "department"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(client, dispatcher, query, field):
    response = client.get(URL, query_string=query, headers=login(client, dispatcher))
    body = assert_error(response, 422)
    assert field in {name for where in body["errors"].values() for name in where}, body


def test_period_of_366_days_is_accepted(client, dispatcher):
    query = {"from": "2025-11-01T00:00:00+08:00", "to": "2026-11-02T00:00:00+08:00"}
    assert _stats(client, login(client, dispatcher), **query)["total"]["total"] == 0


def test_percentile_is_the_nearest_rank():
    assert percentile([1.0], 0.9) == 1.0
    assert percentile([float(v) for v in range(1, 11)], 0.9) == 9.0
    assert percentile([float(v) for v in range(1, 12)], 0.9) == 10.0


@pytest.mark.parametrize(
    ("language", "text"),
    [("zh-CN", "不是带时区的有效日期时间。"), ("en", "Not a valid aware datetime.")],
)
def test_a_period_without_a_time_zone_is_explained_in_the_callers_language(
    client, dispatcher, language, text
):
    headers = {**login(client, dispatcher), "Accept-Language": language}
    query = {"from": "2026-11-01T00:00:00", "to": TO}
    body = assert_error(client.get(URL, query_string=query, headers=headers), 422)
    assert body["errors"]["query"]["from"] == [text]
