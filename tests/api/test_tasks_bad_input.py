"""GET /api/v1/tasks refuses unknown or foreign queues and out-of-range pages with 422."""

from __future__ import annotations

import pytest

from services.models.accounts import Role
from tests.assertions import assert_error
from tests.factories import login, make_department, make_user

URL = "/api/v1/tasks"


@pytest.fixture
def headers(client, session, tree):
    return login(client, make_user(session, role=Role.DISPATCHER, area=tree["district"]))


@pytest.mark.parametrize(
    "queue",
    ["lost", "", "TO_FILE", "to_file ", "to_file'; drop table reports; --", "q" * 10_000, "%00"],
)
def test_an_unknown_queue_is_refused_with_the_field_named(client, headers, queue):
    body = assert_error(client.get(URL, query_string={"queue": queue}, headers=headers), 422)
    assert "queue" in body["errors"]["query"]


@pytest.mark.parametrize(
    "query",
    [
        {"page": 0},
        {"page": -1},
        {"page": "one"},
        {"page": 100_001},
        {"page_size": 0},
        {"page_size": 101},
        {"page_size": 1.5},
    ],
)
def test_pages_out_of_range_are_refused(client, headers, query):
    body = assert_error(client.get(URL, query_string=query, headers=headers), 422)
    assert set(body["errors"]["query"]) == set(query)


def test_a_queue_of_another_role_is_refused_naming_mine(client, session):
    dept = make_department(session)
    headers = login(client, make_user(session, role=Role.DEPARTMENT_HANDLER, department=dept))
    english = client.get(
        URL, query_string={"queue": "to_file"}, headers={**headers, "Accept-Language": "en"}
    )
    body = assert_error(english, 422)
    assert body["errors"]["json"]["queue"] == [
        "Your roles have no such work queue; yours are: to_accept, in_progress, rework."
    ]
    chinese = assert_error(
        client.get(URL, query_string={"queue": "to_verify"}, headers=headers), 422
    )
    assert "to_accept, in_progress, rework" in chinese["errors"]["json"]["queue"][0]
    assert "工作队列" in chinese["errors"]["json"]["queue"][0]
