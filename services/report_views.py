"""Turning reports into what an actor may see of them.

Privacy rules live here, in one place:

- the reporter's identity (id, display name, masked phone) only for ``REPORT_READ_REPORTER``
  holders, and for an anonymous report only for ``REPORT_READ_ANONYMOUS`` holders; everyone
  else reads ``reporter: null`` and ``anonymous``. A full phone number is never shown;
- the original photo and its EXIF only for ``MEDIA_READ_ORIGINAL`` holders, and never in lists;
- timeline notes and staff names for staff only; residents read public texts, and "staff".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, can
from services.media import media_view
from services.models.accounts import STAFF_ROLES, Role, User
from services.models.areas import Area, Department
from services.models.reports import Report, ReportDuplicate, ReportEvent
from services.phones import mask_phone
from services.policies import MediaPolicy
from services.ports import MediaStore
from services.queries.pagination import Page
from services.queries.reports import (
    ReportFilter,
    get_own_report,
    get_report_for_staff,
    list_own_reports,
    list_reports,
    report_target,
    staff_can_read,
)
from services.report_status_text import actor_text, status_text

# Roles that triage reports, and so see suspected duplicates.
_TRIAGE_ROLES = frozenset({Role.ADMIN, Role.DISPATCHER})


def _by_id(session: Session, model: type, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Any]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(wanted)))}


def may_see_reporter(actor: Actor, report: Report) -> bool:
    action = Action.REPORT_READ_ANONYMOUS if report.anonymous else Action.REPORT_READ_REPORTER
    return can(actor, action, report_target(report))


def reporter_view(actor: Actor, report: Report, reporter: User | None) -> dict[str, Any] | None:
    """Who reported, for those allowed to know; ``None`` for everyone else."""
    if reporter is None or not may_see_reporter(actor, report):
        return None
    return {
        "id": reporter.id,
        "display_name": reporter.display_name,
        "phone_masked": mask_phone(reporter.phone),
    }


def _category(report: Report, locale: str) -> dict[str, Any]:
    category = report.category
    return {
        "code": category.code,
        "name": category.name_en if locale == "en" else category.name_zh,
    }


def _area_ref(area: Area | None) -> dict[str, Any] | None:
    if area is None:
        return None
    return {"id": area.id, "code": area.code, "name": area.name, "level": area.level.value}


def _department_ref(department: Department | None) -> dict[str, Any] | None:
    if department is None:
        return None
    return {"id": department.id, "code": department.code, "name": department.name}


def _thumbnail_url(store: MediaStore, policy: MediaPolicy, report: Report) -> str | None:
    if not report.media:
        return None
    return store.url(report.media[0].thumbnail_key, expires_in=policy.url_ttl_seconds)


class _Lookups:
    """Rows that a page of reports refers to, loaded with one query per kind."""

    def __init__(self, session: Session, reports: list[Report]) -> None:
        self.users = _by_id(session, User, (r.reporter_id for r in reports))
        self.areas = _by_id(session, Area, (i for r in reports for i in (r.grid_id, r.area_id)))
        self.departments = _by_id(session, Department, (r.department_id for r in reports))


def _staff_item(
    actor: Actor,
    report: Report,
    lookups: _Lookups,
    *,
    store: MediaStore,
    policy: MediaPolicy,
    locale: str,
) -> dict[str, Any]:
    return {
        "id": report.id,
        "number": report.number,
        "status": report.status.value,
        "source": report.source.value,
        "category": _category(report, locale),
        "urgency": report.urgency.value,
        "description": report.description,
        "address": report.address,
        "lat": report.lat,
        "lng": report.lng,
        "location_mismatch": report.location_mismatch,
        "grid": _area_ref(lookups.areas.get(report.grid_id)),
        "area": _area_ref(lookups.areas.get(report.area_id)),
        "locate_status": report.locate_status,
        "department": _department_ref(lookups.departments.get(report.department_id)),
        "anonymous": report.anonymous,
        "reporter": reporter_view(actor, report, lookups.users.get(report.reporter_id)),
        "supporters_count": report.supporters_count,
        "overdue": report.overdue,
        "filing_due_at": report.filing_due_at,
        "disposal_due_at": report.disposal_due_at,
        "closed_at": report.closed_at,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "thumbnail_url": _thumbnail_url(store, policy, report),
        "photo_count": len(report.media),
    }


def list_reports_for_staff(
    session: Session,
    *,
    actor: Actor,
    filters: ReportFilter,
    store: MediaStore,
    policy: MediaPolicy,
    page: int = 1,
    page_size: int = 20,
    locale: str = "zh-CN",
) -> Page:
    """A page of the reports ``actor`` may read as staff, each as they may see it."""
    found = list_reports(session, actor, filters, page=page, page_size=page_size)
    lookups = _Lookups(session, found.items)
    items = [
        _staff_item(actor, r, lookups, store=store, policy=policy, locale=locale)
        for r in found.items
    ]
    return Page(items=items, total=found.total, page=found.page, page_size=found.page_size)


def _staff_actor_ref(
    event: ReportEvent, report: Report, users: dict[uuid.UUID, User], reporter_visible: bool
) -> dict[str, Any] | None:
    user = users.get(event.actor_id) if event.actor_id else None
    if user is None:
        return None
    if user.id == report.reporter_id:
        # The reporter's own events would otherwise name them on an anonymous report.
        return {"id": user.id, "display_name": user.display_name} if reporter_visible else None
    if not user.roles & STAFF_ROLES:
        return None  # another resident (a supporter): not staff's business who
    return {"id": user.id, "display_name": user.display_name}


def _staff_timeline(session: Session, report: Report, reporter_visible: bool) -> list[dict]:
    events = list(
        session.scalars(
            select(ReportEvent)
            .where(ReportEvent.report_id == report.id)
            .order_by(ReportEvent.created_at, ReportEvent.id)
        )
    )
    users = _by_id(session, User, (e.actor_id for e in events))
    return [
        {
            "id": e.id,
            "at": e.created_at,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor_role": e.actor_role,
            "actor": _staff_actor_ref(e, report, users, reporter_visible),
            "note": e.note,
            "public_note": e.public_note,
        }
        for e in events
    ]


def _duplicates(session: Session, actor: Actor, report: Report) -> list[dict[str, Any]]:
    """Suspected (and decided) duplicate links both ways, to reports the actor may read."""
    links = list(
        session.scalars(
            select(ReportDuplicate)
            .where(
                or_(
                    ReportDuplicate.report_id == report.id, ReportDuplicate.original_id == report.id
                )
            )
            .order_by(ReportDuplicate.created_at, ReportDuplicate.id)
        )
    )
    others = _by_id(
        session,
        Report,
        (link.original_id if link.report_id == report.id else link.report_id for link in links),
    )
    views = []
    for link in links:
        is_copy = link.report_id == report.id
        other = others.get(link.original_id if is_copy else link.report_id)
        if other is None or not staff_can_read(actor, other):
            continue
        views.append(
            {
                "id": link.id,
                "relation": "duplicate_of" if is_copy else "duplicated_by",
                "report": {
                    "id": other.id,
                    "number": other.number,
                    "status": other.status.value,
                    "created_at": other.created_at,
                },
                "reason": link.reason.value,
                "distance_m": link.distance_m,
                "status": link.status.value,
            }
        )
    return views


def read_report_for_staff(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    store: MediaStore,
    policy: MediaPolicy,
    locale: str = "zh-CN",
) -> dict[str, Any]:
    """One report with its photos, timeline and, for dispatchers, suspected duplicates."""
    report = get_report_for_staff(session, actor, report_id)
    view = _staff_item(
        actor, report, _Lookups(session, [report]), store=store, policy=policy, locale=locale
    )
    originals = can(actor, Action.MEDIA_READ_ORIGINAL, report_target(report))
    view.update(
        coord_input=report.coord_input,
        accuracy_m=report.accuracy_m,
        location_source=report.location_source.value,
        mismatch_m=report.mismatch_m,
        version=report.version,
        photos=[
            media_view(store, policy, m, include_exif=originals, include_original=originals)
            for m in report.media
        ],
        timeline=_staff_timeline(session, report, may_see_reporter(actor, report)),
        duplicates=_duplicates(session, actor, report) if actor.roles & _TRIAGE_ROLES else None,
    )
    return view


# ---- a resident's own reports ----


def _own_photos(actor: Actor, report: Report, store: MediaStore, policy: MediaPolicy) -> list:
    return [
        media_view(store, policy, m, include_exif=False, include_original=False)
        for m in report.media
        if m.uploader_id == actor.user_id
    ]


def _own_item(
    actor: Actor, report: Report, *, store: MediaStore, policy: MediaPolicy, locale: str
) -> dict[str, Any]:
    own = [m for m in report.media if m.uploader_id == actor.user_id]
    return {
        "id": report.id,
        "number": report.number,
        "status": report.status.value,
        "status_text": status_text(report.status, locale),
        "category": _category(report, locale),
        "description": report.description,
        "address": report.address,
        "lat": report.lat,
        "lng": report.lng,
        "anonymous": report.anonymous,
        "supporters_count": report.supporters_count,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "closed_at": report.closed_at,
        "thumbnail_url": (
            store.url(own[0].thumbnail_key, expires_in=policy.url_ttl_seconds) if own else None
        ),
    }


def list_my_reports(
    session: Session,
    *,
    actor: Actor,
    store: MediaStore,
    policy: MediaPolicy,
    page: int = 1,
    page_size: int = 20,
    locale: str = "zh-CN",
) -> Page:
    """The signed-in user's own reports, newest first, with a plain-language status."""
    found = list_own_reports(session, actor, page=page, page_size=page_size)
    items = [_own_item(actor, r, store=store, policy=policy, locale=locale) for r in found.items]
    return Page(items=items, total=found.total, page=found.page, page_size=found.page_size)


def _who(event: ReportEvent, actor: Actor, locale: str) -> str:
    if event.actor_id is None:
        return actor_text("system", locale)
    if event.actor_id == actor.user_id:
        return actor_text("me", locale)
    if event.actor_role == Role.RESIDENT.value:
        return actor_text("resident", locale)
    return actor_text("staff", locale)


def _public_timeline(session: Session, actor: Actor, report: Report, locale: str) -> list[dict]:
    """Status changes, public texts and the resident's own acts; no internal note, no name."""
    events = session.scalars(
        select(ReportEvent)
        .where(ReportEvent.report_id == report.id)
        .order_by(ReportEvent.created_at, ReportEvent.id)
    )
    return [
        {
            "at": e.created_at,
            "action": e.action,
            "status": e.to_status,
            "status_text": status_text(e.to_status, locale) if e.to_status else None,
            "text": e.public_note,
            "by": _who(e, actor, locale),
        }
        for e in events
        if _changes_status(e) or e.public_note or e.actor_id == actor.user_id
    ]


def _changes_status(event: ReportEvent) -> bool:
    """A new state (or the first one): entries that keep the state (supervision, extensions,
    the overdue flag) are internal unless they carry a public text."""
    return bool(event.to_status) and event.to_status != event.from_status


def read_my_report(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    store: MediaStore,
    policy: MediaPolicy,
    locale: str = "zh-CN",
) -> dict[str, Any]:
    """One of the signed-in user's own reports with its public timeline and their photos."""
    report = get_own_report(session, actor, report_id)
    view = _own_item(actor, report, store=store, policy=policy, locale=locale)
    view.update(
        photos=_own_photos(actor, report, store, policy),
        timeline=_public_timeline(session, actor, report, locale),
    )
    return view
