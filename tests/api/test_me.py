"""GET and PATCH /api/v1/me: the signed-in user's own profile, and nobody else's."""

import pytest
from sqlalchemy import select

from services.models.accounts import Role, User
from services.models.audit import AuditEntry
from tests.assertions import assert_error as _error
from tests.factories import login, login_resident, make_department, make_user

ME = "/api/v1/me"


def _updates(session):
    return session.scalars(select(AuditEntry).where(AuditEntry.action == "user.updated")).all()


def _resident(session, phone):
    return session.scalars(
        select(User).where(User.phone == phone).execution_options(populate_existing=True)
    ).one()


@pytest.fixture
def worker(session, tree):
    user = make_user(
        session,
        role=Role.GRID_WORKER,
        area=tree["grid"],
        username="worker.li",
        phone="+8613912345678",
    )
    session.commit()
    return user


def test_me_shows_a_staff_member_their_profile(client, worker, tree):
    response = client.get(ME, headers=login(client, worker))
    assert response.status_code == 200
    body = response.json
    assert body["id"] == str(worker.id)
    assert body["username"] == "worker.li"
    assert body["roles"] == ["grid_worker"]
    assert body["area"]["code"] == tree["grid"].code
    assert body["area"]["level"] == "grid"
    assert body["department"] is None
    assert body["locale"] == "zh-CN"
    assert body["last_login_at"] is not None
    assert body["phone"] == "139****5678"
    assert "13912345678" not in response.get_data(as_text=True)


def test_me_shows_a_handler_their_department(client, session, tree):
    department = make_department(session, "CG01", area=tree["district"], name="城管局")
    handler = make_user(session, role=Role.DEPARTMENT_HANDLER, department=department)
    session.commit()
    body = client.get(ME, headers=login(client, handler)).json
    assert body["department"] == {"id": str(department.id), "code": "CG01", "name": "城管局"}
    assert body["area"] is None


def test_me_never_shows_secrets(client, worker):
    body = client.get(ME, headers=login(client, worker)).json
    assert not {"password_hash", "failed_logins", "locked_until", "is_active"} & body.keys()


def test_me_shows_a_resident_a_masked_phone_and_never_the_full_number(client, sms):
    headers = login_resident(client, sms, "13812345678")
    response = client.get(ME, headers=headers)
    assert response.status_code == 200
    body = response.json
    assert body["phone"] == "138****5678"
    assert body["roles"] == ["resident"]
    assert body["username"] is None
    assert body["area"] is None
    assert "13812345678" not in response.get_data(as_text=True)


def test_each_resident_sees_only_themselves(client, session, sms):
    alice = login_resident(client, sms, "13812345678")
    bob = login_resident(client, sms, "13987654321")
    alice_me = client.get(ME, headers=alice)
    bob_me = client.get(ME, headers=bob)
    assert alice_me.json["id"] == str(_resident(session, "+8613812345678").id)
    assert bob_me.json["id"] == str(_resident(session, "+8613987654321").id)
    assert (alice_me.json["phone"], bob_me.json["phone"]) == ("138****5678", "139****4321")
    for leaked in (bob_me.json["id"], "139****4321", "13987654321", "居民4321"):
        assert leaked not in alice_me.get_data(as_text=True)


def test_me_ignores_attempts_to_name_another_user(client, session, sms):
    alice = login_resident(client, sms, "13812345678")
    login_resident(client, sms, "13987654321")
    bob_id = _resident(session, "+8613987654321").id
    response = client.get(f"{ME}?user_id={bob_id}&id={bob_id}", headers=alice)
    assert response.json["id"] == str(_resident(session, "+8613812345678").id)
    assert client.get(f"{ME}/{bob_id}", headers=alice).status_code == 404


def test_a_resident_cannot_patch_another_resident_through_me(client, session, sms):
    alice = login_resident(client, sms, "13812345678")
    login_resident(client, sms, "13987654321")
    bob = _resident(session, "+8613987654321")
    response = client.patch(ME, json={"id": str(bob.id), "display_name": "Hacked"}, headers=alice)
    _error(response, 422)
    assert _resident(session, "+8613987654321").display_name == bob.display_name
    assert _resident(session, "+8613812345678").display_name == "居民5678"


def test_patch_display_name_updates_it_and_writes_an_audit_row(client, session, worker):
    headers = login(client, worker)
    response = client.patch(ME, json={"display_name": "李网格"}, headers=headers)
    assert response.status_code == 200
    assert response.json["display_name"] == "李网格"
    assert client.get(ME, headers=headers).json["display_name"] == "李网格"
    [entry] = _updates(session)
    assert entry.actor_id == worker.id
    assert entry.object_id == str(worker.id)
    assert entry.before == {"display_name": "worker.li"}
    assert entry.after == {"display_name": "李网格"}
    assert entry.area_path == worker.area.path


def test_patch_locale_updates_it_and_writes_an_audit_row(client, session, worker):
    response = client.patch(ME, json={"locale": "en"}, headers=login(client, worker))
    assert response.status_code == 200
    assert response.json["locale"] == "en"
    [entry] = _updates(session)
    assert (entry.before, entry.after) == ({"locale": "zh-CN"}, {"locale": "en"})


def test_resident_may_change_their_name(client, session, sms):
    headers = login_resident(client, sms, "13812345678")
    response = client.patch(ME, json={"display_name": "张阿姨", "locale": "en"}, headers=headers)
    assert response.status_code == 200
    assert (response.json["display_name"], response.json["locale"]) == ("张阿姨", "en")
    assert response.json["phone"] == "138****5678"
    assert len(_updates(session)) == 1


@pytest.mark.parametrize(
    "name", ["x" * 50, "网" * 50, "Li Wei", "O'Brien-Smith", "阿依古丽·买买提"]
)
def test_patch_accepts_names_up_to_fifty_characters(client, session, worker, name):
    response = client.patch(ME, json={"display_name": name}, headers=login(client, worker))
    assert response.status_code == 200
    session.refresh(worker)
    assert worker.display_name == name


def test_patch_with_nothing_to_change_writes_no_audit_row(client, session, worker):
    headers = login(client, worker)
    assert client.patch(ME, json={}, headers=headers).status_code == 200
    same = {"display_name": "worker.li", "locale": "zh-CN"}
    assert client.patch(ME, json=same, headers=headers).status_code == 200
    assert _updates(session) == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"locale": "fr"}, "locale"),
        ({"locale": "zh-TW"}, "locale"),
        ({"locale": None}, "locale"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "\u3000\u3000"}, "display_name"),  # ideographic spaces
        ({"display_name": "x" * 51}, "display_name"),
        ({"display_name": "网" * 51}, "display_name"),
        ({"display_name": None}, "display_name"),
        ({"display_name": 42}, "display_name"),
        ({"display_name": ["李"]}, "display_name"),
        ({"display_name": "li\x00wei"}, "display_name"),
        ({"display_name": "\x1b[31mred"}, "display_name"),
        ({"display_name": "li\x7fwei"}, "display_name"),
        ({"display_name": "li\nwei"}, "display_name"),
        ({"display_name": "li wei\n"}, "display_name"),
        ({"display_name": "li\twei"}, "display_name"),
        ({"display_name": "li\u0085wei"}, "display_name"),  # C1 control "next line"
        ({"display_name": "admin\u202egnp.exe"}, "display_name"),  # right-to-left override
        ({"nickname": "x"}, "nickname"),
        ({"roles": ["admin"]}, "roles"),
        ({"phone": "13800000000"}, "phone"),
        ({"username": "boss"}, "username"),
        ({"is_active": True}, "is_active"),
    ],
)
def test_bad_patch_is_422_naming_the_field_and_changes_nothing(
    client, session, worker, payload, field
):
    body = _error(client.patch(ME, json=payload, headers=login(client, worker)), 422)
    assert body["message"] == "请求参数校验失败。"
    assert field in body["errors"]["json"]
    session.refresh(worker)
    assert (worker.display_name, worker.locale) == ("worker.li", "zh-CN")
    assert worker.roles == {Role.GRID_WORKER}
    assert _updates(session) == []


def test_bad_patch_names_the_allowed_locales(client, worker):
    body = _error(client.patch(ME, json={"locale": "fr"}, headers=login(client, worker)), 422)
    assert body["errors"]["json"]["locale"] == ["必须是以下之一：zh-CN, en。"]


def test_patch_with_a_body_that_is_not_an_object_is_refused(client, session, worker):
    headers = login(client, worker)
    for data in ('"李网格"', "[1]", "{broken"):
        response = client.patch(ME, data=data, content_type="application/json", headers=headers)
        assert response.status_code in (400, 422)
    session.refresh(worker)
    assert worker.display_name == "worker.li"


def test_me_requires_a_token(client):
    _error(client.get(ME), 401)
    _error(client.patch(ME, json={"display_name": "x"}), 401)


def test_me_refuses_other_methods(client, worker):
    headers = login(client, worker)
    _error(client.delete(ME, headers=headers), 405)
    _error(client.put(ME, json={"display_name": "x"}, headers=headers), 405)


def test_control_characters_in_a_name_get_a_field_message(client, worker):
    response = client.patch(ME, json={"display_name": "li\nwei"}, headers=login(client, worker))
    assert _error(response, 422)["errors"]["json"] == {"display_name": ["格式不正确。"]}


def test_name_with_a_lone_surrogate_is_refused_not_stored(client, session, worker):
    response = client.patch(
        ME,
        data='{"display_name": "li\\ud800wei"}',  # valid JSON, but no UTF-8 encoding exists
        content_type="application/json",
        headers=login(client, worker),
    )
    assert "display_name" in _error(response, 422)["errors"]["json"]
    session.refresh(worker)
    assert worker.display_name == "worker.li"
