"""Submitting a report: validate, place, route, number, attach the photos, link duplicates.

One transaction per report: the idempotency key, the number, the report, its photos, its first
timeline entry, the duplicate links and the audit entry commit together or not at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from services import audit
from services.actors import Actor
from services.authz import Action, require
from services.calendar import WorkingCalendar
from services.calendar_hours import DEFAULT_WORKING_HOURS, WorkingHours
from services.catalogue import resolve_department
from services.catalogue_rules import FALLBACK_CATEGORY_CODE
from services.db import lock_key, utcnow
from services.errors import NotFound, RateLimited, ValidationFailed
from services.geo.coords import Coord, haversine_m, to_wgs84
from services.geo.locator import LocateStatus, Location
from services.geo.locator_cache import LocatorCache
from services.idempotency import run_once
from services.media_claims import attach_media, claimable_media
from services.messages import render
from services.models.accounts import Role
from services.models.areas import Area
from services.models.catalogue import Category, Phase, Urgency
from services.models.media import MediaFile, MediaPurpose
from services.models.reports import (
    LocationSource,
    Report,
    ReportDuplicate,
    ReportEvent,
    ReportSource,
    ReportStatus,
)
from services.policies import ReportPolicy
from services.queries.catalogue import find_category
from services.report_duplicates import link_duplicates
from services.report_numbers import next_report_number

SCOPE = "report.create"
RATE_WINDOW = dt.timedelta(hours=1)
# Sources a signed-in user may name; hotline, 110 and the like come through staff intake.
_OWN_SOURCES = {ReportSource.MINI_PROGRAM, ReportSource.APP}
_ROLE_SOURCES = {Role.GRID_WORKER: {ReportSource.PATROL}}
# The role a timeline entry names when the actor has several.
_ROLE_ORDER = (
    Role.ADMIN,
    Role.DISPATCHER,
    Role.GRID_WORKER,
    Role.EMERGENCY_OFFICER,
    Role.DEPARTMENT_HANDLER,
    Role.RESIDENT,
)


@dataclass(frozen=True)
class LocationIn:
    lat: float
    lng: float
    coord: Coord = Coord.GCJ02
    accuracy_m: float | None = None


@dataclass(frozen=True)
class ReportDraft:
    """What the reporter sends (already checked for shape by the HTTP schema)."""

    description: str
    media_ids: list[uuid.UUID]
    category_code: str | None = None
    location: LocationIn | None = None
    address: str | None = None
    anonymous: bool = False
    source: ReportSource | None = None


@dataclass(frozen=True)
class ReportSettings:
    """The adapters and rules a submission needs, built once in create_app."""

    locator: LocatorCache
    policy: ReportPolicy = field(default_factory=ReportPolicy)
    hours: WorkingHours = DEFAULT_WORKING_HOURS


@dataclass(frozen=True)
class SubmittedReport:
    report: Report
    media: list[MediaFile]
    suspected_duplicates: int
    replayed: bool = False  # an earlier request with the same Idempotency-Key created it


def actor_role(actor: Actor) -> str | None:
    return next((role.value for role in _ROLE_ORDER if role in actor.roles), None)


def submit_report(
    session: Session,
    *,
    actor: Actor,
    draft: ReportDraft,
    settings: ReportSettings,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> SubmittedReport:
    """File a report for ``actor`` (status ``reported``). With an idempotency key, a retry of
    the same draft answers with the first report; the same key with another draft is 409."""
    require(actor, Action.REPORT_CREATE)
    now = now or utcnow()
    policy = settings.policy

    def create(record) -> SubmittedReport:
        submitted = _create(session, actor, draft, settings, now)
        if record is not None:
            record.result_id = submitted.report.id
        session.commit()
        return submitted

    if actor.user_id is None:  # the platform itself (CLI): no key, no hourly limit
        return create(None)
    result, replayed = run_once(
        session,
        user_id=actor.user_id,
        scope=SCOPE,
        key=idempotency_key,
        arguments=dataclasses.asdict(draft),
        create=create,
        load=lambda report_id: _load(session, report_id),
        before_create=lambda: _check_rate(session, actor.user_id, policy, now),
    )
    return dataclasses.replace(result, replayed=True) if replayed else result


def _load(session: Session, report_id: uuid.UUID) -> SubmittedReport:
    report = session.get(Report, report_id, options=[joinedload(Report.grid)])
    if report is None:  # the report of a key is never deleted; kept for safety
        raise NotFound(what="report")
    count = session.scalar(
        select(func.count())
        .select_from(ReportDuplicate)
        .where(ReportDuplicate.report_id == report_id)
    )
    return SubmittedReport(report=report, media=list(report.media), suspected_duplicates=count)


def _check_rate(session: Session, user_id: uuid.UUID, policy: ReportPolicy, now: dt.datetime):
    """At most ``reports_per_hour`` in any rolling hour, counted in the database. One user's
    submissions are serialised so two at once cannot both take the last slot."""
    lock_key(session, f"{SCOPE}:{user_id}")
    recent = session.scalars(
        select(Report.created_at)
        .where(Report.reporter_id == user_id, Report.created_at > now - RATE_WINDOW)
        .order_by(Report.created_at)
    ).all()
    limit = policy.reports_per_hour
    if len(recent) >= limit:
        # The slot that frees first: the oldest report whose leaving brings the count below.
        frees_at = recent[len(recent) - limit] + RATE_WINDOW
        retry_after = max(1, math.ceil((frees_at - now).total_seconds()))
        raise RateLimited("reports_per_hour", retry_after=retry_after, limit=limit)


def _category(session: Session, actor: Actor, code: str | None) -> Category:
    category = find_category(session, code or FALLBACK_CATEGORY_CODE)
    if category is None:
        raise ValidationFailed(fields={"category_code": "category_unknown"})
    hidden = not actor.is_staff and not category.resident_selectable
    if category.parent_id is None or not category.active or hidden:
        raise ValidationFailed(fields={"category_code": "category_not_selectable"})
    return category


def _source(actor: Actor, source: ReportSource | None) -> ReportSource:
    source = source or ReportSource.MINI_PROGRAM
    allowed = set(_OWN_SOURCES)
    for role in actor.roles:
        allowed |= _ROLE_SOURCES.get(role, set())
    if source not in allowed:
        raise ValidationFailed(fields={"source": "source_not_allowed"})
    return source


def _media(session: Session, actor: Actor, ids: list[uuid.UUID], policy: ReportPolicy):
    return claimable_media(
        session, actor, ids, purpose=MediaPurpose.REPORT, min_count=1, max_count=policy.max_media
    )


@dataclass(frozen=True)
class _Place:
    lng: float
    lat: float
    coord_input: str
    accuracy_m: float | None
    source: LocationSource
    mismatch_m: float | None


def _place(draft: ReportDraft, media: list[MediaFile], policy: ReportPolicy) -> _Place:
    """The given location (to WGS-84), else the first photo's GPS; flag a large difference."""
    gps = next((m for m in media if m.exif_lat is not None and m.exif_lng is not None), None)
    given = draft.location
    if given is None:
        if gps is None:
            raise ValidationFailed("location_required", fields={"location": "location_required"})
        return _Place(
            gps.exif_lng, gps.exif_lat, Coord.WGS84.value, None, LocationSource.EXIF, None
        )
    lng, lat = to_wgs84(given.lng, given.lat, Coord(given.coord))
    mismatch = None
    if gps is not None:
        distance = haversine_m(lng, lat, gps.exif_lng, gps.exif_lat)
        mismatch = round(distance, 1) if distance > policy.location_mismatch_m else None
    return _Place(
        lng, lat, Coord(given.coord).value, given.accuracy_m, LocationSource.DEVICE, mismatch
    )


def _filing_due(session, category: Category, hours: WorkingHours, now: dt.datetime):
    limit = (category.time_limits or {}).get(Phase.FILING.value, {}).get(Urgency.NORMAL.value)
    if not limit:
        return None
    calendar = WorkingCalendar(session, hours=hours)
    return calendar.deadline(now, limit["amount"], limit["unit"])


def _route(session: Session, category: Category, location: Location):
    """(grid id, area, department) for the located point; outside the city only the
    category's default department (if it still works) is known."""
    if location.area is None:
        default = category.default_department
        return None, None, default if default is not None and default.active else None
    area = session.get(Area, location.area.id)
    grid_id = area.id if location.status in (LocateStatus.GRID, LocateStatus.NEAREST) else None
    return grid_id, area, resolve_department(session, category, area)


# Shared with the other ways a case comes in (external intake).
filing_due = _filing_due
route_report = _route


def _create(
    session: Session, actor: Actor, draft: ReportDraft, settings: ReportSettings, now
) -> SubmittedReport:
    policy = settings.policy
    category = _category(session, actor, draft.category_code)
    source = _source(actor, draft.source)
    media = _media(session, actor, list(draft.media_ids), policy)
    place = _place(draft, media, policy)
    location = settings.locator.get(session).locate(place.lng, place.lat)
    grid_id, area, department = _route(session, category, location)
    report = Report(
        number=next_report_number(session, now),
        status=ReportStatus.REPORTED,
        source=source,
        category_id=category.id,
        category=category,
        urgency=Urgency.NORMAL,
        description=draft.description,
        address=draft.address,
        lng=place.lng,
        lat=place.lat,
        coord_input=place.coord_input,
        accuracy_m=place.accuracy_m,
        location_source=place.source,
        location_mismatch=place.mismatch_m is not None,
        mismatch_m=place.mismatch_m,
        grid_id=grid_id,
        area_id=area.id if area else None,
        area_path=area.path if area else None,
        locate_status=location.status.value,
        department_id=department.id if department else None,
        reporter_id=actor.user_id,
        anonymous=draft.anonymous,
        supporters_count=0,
        filing_due_at=_filing_due(session, category, settings.hours, now),
        overdue=False,
        version=1,
        created_at=now,
        updated_at=now,
    )
    report.grid = area if grid_id is not None else None
    report.area = area
    session.add(report)
    session.flush()
    attach_media(session, report, media, now)
    _record(session, actor, report, len(media), now)
    duplicates = link_duplicates(
        session, report, photo_hashes=[m.phash for m in media], policy=policy, now=now
    )
    return SubmittedReport(report=report, media=media, suspected_duplicates=duplicates)


def _record(session: Session, actor: Actor, report: Report, photos: int, now) -> None:
    session.add(
        ReportEvent(
            report_id=report.id,
            action="reported",
            to_status=ReportStatus.REPORTED.value,
            actor_id=actor.user_id,
            actor_role=actor_role(actor),
            public_note=render("report_event_reported", number=report.number),
            data={"message": "report_event_reported", "number": report.number},
            created_at=now,
        )
    )
    audit.record(
        session,
        actor,
        "report.created",
        object_type="report",
        object_id=report.id,
        area_path=report.area_path,
        after={
            "number": report.number,
            "category": report.category.code,
            "source": report.source.value,
            "locate_status": report.locate_status,
            "anonymous": report.anonymous,
            "photos": photos,
        },
    )
