"""The staff list and map refuse malformed, out-of-range and hostile filters with 422."""

from __future__ import annotations

import pytest

from services.models.accounts import Role
from tests.assertions import assert_error
from tests.factories import login, make_user
from tests.report_read_factories import make_report, report_category

URL = "/api/v1/reports"
GEO = "/api/v1/reports.geojson"


@pytest.fixture
def headers(client, session, tree):
    make_report(session, reporter=None, grid=tree["grid"])
    report_category(session, "0101")
    return login(client, make_user(session, role=Role.ADMIN))


BAD_QUERIES = [
    pytest.param({"status": "lost"}, "status", id="unknown-status"),
    pytest.param({"status": ["reported", "lost"]}, "status", id="one-unknown-status"),
    pytest.param({"source": "pigeon"}, "source", id="unknown-source"),
    pytest.param({"sort": "reporter"}, "sort", id="unknown-sort"),
    pytest.param({"sort": "--created_at"}, "sort", id="double-minus-sort"),
    pytest.param({"created_from": "yesterday"}, "created_from", id="garbage-date"),
    pytest.param({"created_from": "2026-11-22T10:00:00"}, "created_from", id="naive-date"),
    pytest.param({"created_to": "2026-13-01T00:00:00Z"}, "created_to", id="impossible-date"),
    pytest.param({"created_from": "0001-01-01T00:00:00+01:00"}, "created_from", id="pre-epoch"),
    pytest.param(
        {"created_from": "2026-11-23T00:00:00Z", "created_to": "2026-11-22T00:00:00Z"},
        "created_from",
        id="inverted-dates",
    ),
    pytest.param({"bbox": "118,33,119"}, "bbox", id="bbox-three-numbers"),
    pytest.param({"bbox": "118,33,119,34,1"}, "bbox", id="bbox-five-numbers"),
    pytest.param({"bbox": "a,b,c,d"}, "bbox", id="bbox-not-numbers"),
    pytest.param({"bbox": "nan,33,119,34"}, "bbox", id="bbox-nan"),
    pytest.param({"bbox": "118,33,119,91"}, "bbox", id="bbox-latitude-out-of-range"),
    pytest.param({"bbox": "-181,33,119,34"}, "bbox", id="bbox-longitude-out-of-range"),
    pytest.param({"bbox": "119,33,118,34"}, "bbox", id="bbox-inverted-longitudes"),
    pytest.param({"bbox": "118,34,119,33"}, "bbox", id="bbox-inverted-latitudes"),
    pytest.param({"bbox": "118,33,119,34\n"}, "bbox", id="bbox-trailing-newline"),
    pytest.param({"overdue": "perhaps"}, "overdue", id="overdue-not-boolean"),
    pytest.param({"category": "5"}, "category", id="category-malformed"),
    pytest.param({"category": "9999"}, "category", id="category-unknown"),
    pytest.param({"area": "3213"}, "area", id="area-malformed"),
    pytest.param({"area": "321399"}, "area", id="area-unknown-code"),
    pytest.param({"area": "00000000-0000-4000-8000-000000000000"}, "area", id="area-unknown-id"),
    pytest.param({"area": "321302' OR 1=1 --"}, "area", id="area-injection"),
    pytest.param({"department": "CG01"}, "department", id="department-not-uuid"),
    pytest.param({"q": "x" * 65}, "q", id="q-too-long"),
    pytest.param({"q": "灯\x00"}, "q", id="q-nul-byte"),
    pytest.param({"q": ""}, "q", id="q-empty"),
]


@pytest.mark.parametrize(("query", "field"), BAD_QUERIES)
@pytest.mark.parametrize("url", [URL, GEO])
def test_bad_filters_are_refused_with_the_field_named(client, headers, url, query, field):
    body = assert_error(client.get(url, query_string=query, headers=headers), 422)
    located = body["errors"].get("query") or body["errors"].get("json")
    assert field in located, body


@pytest.mark.parametrize(
    "query", [{"page_size": 101}, {"page_size": 0}, {"page": 0}, {"page": -1}, {"page": "one"}]
)
def test_bad_paging_is_refused(client, headers, query):
    assert_error(client.get(URL, query_string=query, headers=headers), 422)


def test_messages_are_in_the_callers_language(client, headers):
    query = {"bbox": "119,33,118,34"}
    english = client.get(URL, query_string=query, headers={**headers, "Accept-Language": "en"})
    chinese = client.get(URL, query_string=query, headers=headers)
    assert "min_lng" in str(english.json["errors"])
    assert "最小经度" in str(chinese.json["errors"])
    unknown = client.get(URL, query_string={"category": "9999"}, headers=headers)
    assert "9999" in str(unknown.json["errors"])


@pytest.mark.parametrize(
    "path", ["not-a-uuid", "1", "00000000-0000-4000-8000-00000000000g", "%00", "..%2F..%2Fetc"]
)
def test_malformed_report_ids_are_not_found(client, headers, path):
    assert_error(client.get(f"{URL}/{path}", headers=headers), 404)


def test_unknown_report_is_not_found(client, headers):
    body = assert_error(
        client.get(f"{URL}/00000000-0000-4000-8000-000000000000", headers=headers), 404
    )
    assert body["message"] == "上报事项不存在。"
