"""Who sees a photo, and how much of it: EXIF for the uploader, the original for the report's
staff, nothing at all (404) for anyone else."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from services.actors import Actor
from services.errors import NotFound
from services.media import get_media, media_view
from services.models.accounts import Role, User
from services.policies import MediaPolicy
from tests.factories import make_department, make_resident, make_user
from tests.fakes_media_h3 import MemoryStore, attach
from tests.report_factories import make_media

POLICY = MediaPolicy(url_ttl_seconds=600)
TAKEN = dt.datetime(2026, 5, 1, 1, 2, 3, tzinfo=dt.UTC)


@pytest.fixture
def store():
    return MemoryStore()


@pytest.fixture
def photo(session):
    uploader = make_resident(session)
    media = make_media(session, uploader, exif_lat=33.96, exif_lng=118.27)
    media.exif_taken_at = TAKEN
    session.flush()
    return media


def _get(session, user, media, store):
    return get_media(
        session, actor=Actor.for_user(user), media_id=media.id, store=store, policy=POLICY
    )


def test_the_view_has_signed_urls_and_no_private_fields_unless_asked(photo, store):
    view = media_view(store, POLICY, photo, include_exif=False, include_original=False)
    assert view["display_url"] == f"/fake-files/{photo.display_key}?expires_in=600"
    assert view["thumbnail_url"] == f"/fake-files/{photo.thumbnail_key}?expires_in=600"
    assert "exif" not in view and "original_url" not in view
    assert view["attached"] is False
    assert (view["width"], view["height"], view["sha256"]) == (1600, 1200, photo.sha256)
    assert "originals/" not in view["display_url"] + view["thumbnail_url"]


def test_the_view_gives_exif_and_the_original_when_asked(photo, store):
    view = media_view(store, POLICY, photo, include_exif=True, include_original=True)
    assert view["exif"] == {"lat": 33.96, "lng": 118.27, "taken_at": TAKEN}
    assert view["original_url"].startswith(f"/fake-files/{photo.original_key}?expires_in=600")
    assert f"dl={photo.sha256[:16]}.jpg" in view["original_url"]


def test_the_view_has_no_original_url_once_the_original_is_removed(photo, store):
    photo.original_key = None
    view = media_view(store, POLICY, photo, include_exif=True, include_original=True)
    assert "original_url" not in view


def test_the_uploader_sees_the_exif_but_not_the_original(session, photo, store):
    view = _get(session, _user(session, photo.uploader_id), photo, store)
    assert view["exif"]["lat"] == 33.96
    assert "original_url" not in view


def test_another_resident_gets_404(session, photo, store):
    with pytest.raises(NotFound):
        _get(session, make_resident(session), photo, store)


def test_staff_cannot_see_an_unattached_upload(session, photo, store, tree):
    admin = make_user(session, role=Role.ADMIN, area=tree["city"])
    with pytest.raises(NotFound):
        _get(session, admin, photo, store)


def test_staff_of_the_reports_area_see_the_original_but_not_the_exif(session, photo, store, tree):
    attach(session, photo, area=tree["grid"], reporter=_user(session, photo.uploader_id))
    dispatcher = make_user(session, role=Role.DISPATCHER, area=tree["street"])
    view = _get(session, dispatcher, photo, store)
    assert view["attached"] is True
    assert "exif" not in view
    assert view["original_url"].startswith(f"/fake-files/{photo.original_key}")


def test_staff_of_another_area_get_404(session, photo, store, tree):
    attach(session, photo, area=tree["grid"], reporter=_user(session, photo.uploader_id))
    outsider = make_user(session, role=Role.DISPATCHER, area=tree["other_street"])
    with pytest.raises(NotFound):
        _get(session, outsider, photo, store)


def test_the_reports_department_handler_sees_the_original(session, photo, store, tree):
    department = make_department(session, area=tree["city"])
    attach(
        session,
        photo,
        area=tree["grid"],
        reporter=_user(session, photo.uploader_id),
        department=department,
    )
    handler = make_user(session, role=Role.DEPARTMENT_HANDLER, department=department)
    view = _get(session, handler, photo, store)
    assert "original_url" in view and "exif" not in view


def test_another_departments_handler_gets_404(session, photo, store, tree):
    department = make_department(session, area=tree["city"])
    attach(
        session,
        photo,
        area=tree["grid"],
        reporter=_user(session, photo.uploader_id),
        department=department,
    )
    other = make_user(
        session,
        role=Role.DEPARTMENT_HANDLER,
        department=make_department(session, area=tree["city"]),
    )
    with pytest.raises(NotFound):
        _get(session, other, photo, store)


def test_an_unknown_id_is_404(session, store, photo):
    with pytest.raises(NotFound):
        get_media(
            session,
            actor=Actor.for_user(_user(session, photo.uploader_id)),
            media_id=uuid.uuid4(),
            store=store,
            policy=POLICY,
        )


def _user(session, user_id) -> User:
    return session.get(User, user_id)
