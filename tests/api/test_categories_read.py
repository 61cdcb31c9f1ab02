"""Reading the event catalogue: public for the mini-program; inactive entries for admins only."""

from __future__ import annotations

import pytest

from services.models.accounts import Role
from tests.assertions import assert_error
from tests.catalogue_factories import LIMITS, make_category
from tests.factories import login, login_resident, make_department, make_user

URL = "/api/v1/categories"


@pytest.fixture
def catalogue(session, tree):
    """Components 01 (two minors), events 51 (one active, one inactive, one staff-only), 56
    (the fallback), and 52, a major class whose only minor class is inactive."""
    cg = make_department(session, "SCQ-CG", area=tree["district"], name="宿城区城管局")
    made = {
        code: make_category(session, code, name_zh=zh, name_en=en, department=cg, **extra)
        for code, zh, en, extra in [
            ("01", "公用设施", "Public utilities", {"sort_order": 10}),
            ("0102", "污水井盖", "Sewer manhole cover", {"sort_order": 2}),
            ("0101", "上水井盖", "Water supply manhole cover", {"sort_order": 1}),
            ("51", "市容环境", "City appearance", {"sort_order": 20}),
            ("5101", "暴露垃圾", "Exposed garbage", {}),
            ("5102", "积存垃圾", "Piled-up garbage", {"active": False}),
            ("5103", "内部巡查", "Internal patrol finding", {"resident_selectable": False}),
            ("52", "宣传广告", "Advertising", {"sort_order": 30}),
            ("5201", "小广告", "Flyers", {"active": False}),
            ("56", "其他", "Other", {"sort_order": 40}),
            ("5699", "其他问题", "Other problem", {}),
        ]
    }
    return made


def _tree(response) -> dict[str, list[str]]:
    assert response.status_code == 200, response.json
    return {m["code"]: [c["code"] for c in m["children"]] for m in response.json["items"]}


def test_anyone_reads_the_catalogue_without_a_token(client, catalogue):
    response = client.get(URL)
    assert _tree(response) == {
        "01": ["0101", "0102"],
        "51": ["5101", "5103"],
        "56": ["5699"],
    }
    assert list(_tree(response)) == ["01", "51", "56"]  # display order
    assert response.json["fallback_code"] == "5699"


def test_entries_carry_both_names_kind_limits_and_routing(client, catalogue):
    major = client.get(URL).json["items"][0]
    assert (major["code"], major["level"], major["kind"], major["parent_code"]) == (
        "01",
        "major",
        "component",
        None,
    )
    assert (major["name_zh"], major["name_en"], major["name"]) == (
        "公用设施",
        "Public utilities",
        "公用设施",
    )
    assert major["time_limits"] is None and major["default_department"] is None
    minor = major["children"][0]
    assert (minor["level"], minor["parent_code"], minor["kind"]) == ("minor", "01", "component")
    assert minor["time_limits"] == LIMITS
    assert minor["default_department"]["code"] == "SCQ-CG"
    assert (minor["resident_selectable"], minor["photo_required"], minor["active"]) == (
        True,
        False,
        True,
    )


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("en", "Public utilities"),
        ("en-US,en;q=0.9", "Public utilities"),
        ("zh-CN", "公用设施"),
        ("fr", "公用设施"),
    ],
)
def test_name_follows_accept_language(client, catalogue, header, name):
    response = client.get(URL, headers={"Accept-Language": header})
    major = response.json["items"][0]
    assert major["name"] == name
    assert major["children"][0]["name"] == (
        "Water supply manhole cover" if name.isascii() else "上水井盖"
    )


def test_filters_by_kind_and_resident_selectable(client, catalogue):
    assert _tree(client.get(URL, query_string={"kind": "event"})) == {
        "51": ["5101", "5103"],
        "56": ["5699"],
    }
    assert _tree(client.get(URL, query_string={"kind": "component"})) == {"01": ["0101", "0102"]}
    assert _tree(client.get(URL, query_string={"resident_selectable": "true"})) == {
        "01": ["0101", "0102"],
        "51": ["5101"],
        "56": ["5699"],
    }
    assert _tree(client.get(URL, query_string={"resident_selectable": "false"})) == {}


def test_an_inactive_major_class_hides_its_minor_classes(client, session, catalogue):
    catalogue["01"].active = False
    session.flush()
    assert "01" not in _tree(client.get(URL))


def test_admins_may_include_inactive_entries(client, session, tree, catalogue):
    admin = make_user(session, role=Role.ADMIN, area=tree["district"])
    response = client.get(
        URL, query_string={"include_inactive": "true"}, headers=login(client, admin)
    )
    assert _tree(response) == {
        "01": ["0101", "0102"],
        "51": ["5101", "5102", "5103"],
        "52": ["5201"],
        "56": ["5699"],
    }
    inactive = response.json["items"][1]["children"][1]
    assert (inactive["code"], inactive["active"]) == ("5102", False)


def test_including_inactive_entries_needs_an_admins_token(client, session, sms, tree, catalogue):
    query = {"include_inactive": "true"}
    assert_error(client.get(URL, query_string=query), 401)
    dispatcher = login(client, make_user(session, role=Role.DISPATCHER, area=tree["city"]))
    assert_error(client.get(URL, query_string=query, headers=dispatcher), 403)
    resident = login_resident(client, sms, "13900000003")
    assert_error(client.get(URL, query_string=query, headers=resident), 403)
    # The same callers read the public catalogue as anyone does.
    assert _tree(client.get(URL, headers=resident)) == _tree(client.get(URL))


def test_a_bad_token_on_the_public_catalogue_is_401_not_ignored(client, catalogue):
    response = client.get(URL, headers={"Authorization": "Bearer not-a-token"})
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_one_category_is_public_and_a_major_class_comes_with_its_active_children(client, catalogue):
    response = client.get(f"{URL}/51")
    assert response.status_code == 200, response.json
    assert [c["code"] for c in response.json["children"]] == ["5101", "5103"]
    minor = client.get(f"{URL}/0101", headers={"Accept-Language": "en"}).json
    assert (minor["name"], minor["children"], minor["time_limits"]) == (
        "Water supply manhole cover",
        [],
        LIMITS,
    )


def test_an_inactive_category_is_still_readable_by_its_code(client, catalogue):
    """Old reports keep naming their category after it is retired."""
    response = client.get(f"{URL}/5102")
    assert response.status_code == 200 and response.json["active"] is False


@pytest.mark.parametrize("code", ["9999", "99", "abc", "0101 ", "%", "'--"])
def test_an_unknown_category_is_404(client, catalogue, code):
    assert_error(client.get(f"{URL}/{code}"), 404)


def test_an_empty_catalogue_is_an_empty_list(client, tree):
    response = client.get(URL)
    assert response.status_code == 200 and response.json["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "thing"}, "kind"),
        ({"resident_selectable": "perhaps"}, "resident_selectable"),
        ({"include_inactive": "2"}, "include_inactive"),
    ],
)
def test_bad_filters_are_422(client, catalogue, query, field):
    assert field in assert_error(client.get(URL, query_string=query), 422)["errors"]["query"]
