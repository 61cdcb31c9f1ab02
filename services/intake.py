"""Events from external systems (hotline, 110, digital city …) become cases.

One event per (source, external_id): a retry with the same content answers with the first case,
other content under the same id is 409. The case is made like a resident's report (number,
grid, department, filing deadline, duplicate links) but has no reporter; the caller's phone, if
sent, stays on the intake event and is shown masked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.calendar_hours import DEFAULT_WORKING_HOURS, WorkingHours
from services.category_mapping import map_text
from services.db import lock_key, utcnow
from services.errors import Conflict, NotFound, ValidationFailed
from services.geo.coords import Coord, to_wgs84
from services.geo.locator_cache import LocatorCache
from services.messages import render
from services.models.areas import Area
from services.models.catalogue import Category, Urgency
from services.models.reports import LocationSource, Report, ReportEvent, ReportStatus
from services.models.workflow import IntakeEvent, IntakeSource
from services.phones import mask_phone, normalise_mobile
from services.policies import ReportPolicy
from services.ports import Geocoder
from services.queries.areas import path_in_subtree
from services.queries.catalogue import find_category
from services.report_duplicates import link_duplicates
from services.report_numbers import next_report_number
from services.report_status_text import status_text
from services.reports import filing_due, route_report

logger = logging.getLogger(__name__)
ADDRESS_COORD = "address"  # coord_input of a point the geocoder found


@dataclass(frozen=True)
class IntakeLocation:
    lat: float
    lng: float
    coord: Coord = Coord.WGS84


@dataclass(frozen=True)
class IntakeDraft:
    """What a source sends (already checked for shape by the HTTP schema)."""

    external_id: str
    description: str
    category_code: str | None = None
    text: str | None = None
    location: IntakeLocation | None = None
    address: str | None = None
    caller_phone: str | None = None
    occurred_at: dt.datetime | None = None
    urgency: Urgency | None = None


@dataclass(frozen=True)
class IntakeSettings:
    locator: LocatorCache
    geocoder: Geocoder
    policy: ReportPolicy = dataclasses.field(default_factory=ReportPolicy)
    hours: WorkingHours = DEFAULT_WORKING_HOURS


@dataclass(frozen=True)
class IntakeResult:
    report: Report
    event: IntakeEvent
    source_name: str
    caller_phone_masked: str | None
    suspected_duplicates: int = 0
    replayed: bool = False


@dataclass(frozen=True)
class IntakeStatus:
    external_id: str
    number: str
    status: str
    status_text: str
    updated_at: dt.datetime
    merged_into: str | None
    closed_at: dt.datetime | None


def _canonical(draft: IntakeDraft, phone: str | None) -> dict:
    data = dataclasses.asdict(draft)
    data["caller_phone"] = phone
    if draft.occurred_at is not None:
        data["occurred_at"] = draft.occurred_at.astimezone(dt.UTC).isoformat()
    if draft.location is not None:
        data["location"]["coord"] = Coord(draft.location.coord).value
    if draft.urgency is not None:
        data["urgency"] = Urgency(draft.urgency).value
    return data


def _hash(data: dict) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _existing(session: Session, source_id: uuid.UUID, external_id: str) -> IntakeEvent | None:
    return session.scalar(
        select(IntakeEvent).where(
            IntakeEvent.source_id == source_id, IntakeEvent.external_id == external_id
        )
    )


def _replay(session: Session, event: IntakeEvent, digest: str, source: IntakeSource):
    if event.request_hash != digest:
        raise Conflict("intake_replay_mismatch", external_id=event.external_id)
    report = session.get(Report, event.report_id)
    return IntakeResult(
        report=report,
        event=event,
        source_name=source.name,
        caller_phone_masked=mask_phone(event.caller_phone),
        replayed=True,
    )


def _point(draft: IntakeDraft, geocoder: Geocoder) -> tuple[float, float, str, str | None]:
    """(lng, lat) in WGS-84, the input coordinate system and the geocoder's label."""
    if draft.location is not None:
        coord = Coord(draft.location.coord)
        lng, lat = to_wgs84(draft.location.lng, draft.location.lat, coord)
        return lng, lat, coord.value, None
    if not draft.address:
        raise ValidationFailed(fields={"location": "intake_location_required"})
    place = geocoder.geocode(draft.address)
    if place is None:
        raise ValidationFailed(fields={"address": "intake_address_not_found"})
    return place.lng, place.lat, ADDRESS_COORD, place.label


def _category(session: Session, source_id: uuid.UUID, draft: IntakeDraft) -> Category:
    if draft.category_code:
        category = find_category(session, draft.category_code)
        if category is None:
            raise ValidationFailed(fields={"category_code": "category_unknown"})
        if category.parent_id is None or not category.active:
            raise ValidationFailed(fields={"category_code": "category_not_selectable"})
        return category
    if not draft.text:
        raise ValidationFailed(fields={"text": "intake_category_or_text"})
    category = map_text(session, source_id=source_id, text=draft.text)
    if category is None:  # a catalogue without the fallback 5699
        raise ValidationFailed(fields={"text": "category_unknown"})
    return category


def receive_event(
    session: Session,
    *,
    actor: Actor,
    source_id: uuid.UUID,
    draft: IntakeDraft,
    settings: IntakeSettings,
    now: dt.datetime | None = None,
) -> IntakeResult:
    """Make a case of ``draft`` for the source, or answer with the one made before."""
    now = now or utcnow()
    phone = (
        normalise_mobile(draft.caller_phone, field_name="caller_phone")
        if (draft.caller_phone)
        else None
    )
    payload = _canonical(draft, phone)
    digest = _hash(payload)
    source = session.get(IntakeSource, source_id)
    if source is None or not source.active:  # deactivated since the key was checked
        raise NotFound(what="intake_source")
    found = _existing(session, source_id, draft.external_id)
    if found is not None:  # a retry: answer before calling the geocoder again
        return _replay(session, found, digest, source)
    lng, lat, coord_input, label = _point(draft, settings.geocoder)
    # Two deliveries of one event at once: the second waits here, then finds the first's row.
    lock_key(session, f"intake:{source_id}:{draft.external_id}")
    found = _existing(session, source_id, draft.external_id)
    if found is not None:
        return _replay(session, found, digest, source)
    category = _category(session, source_id, draft)
    source_area = session.get(Area, source.area_id)
    location = settings.locator.get(session).locate(lng, lat)
    if location.area is None or not path_in_subtree(location.area.path, source_area.path):
        raise ValidationFailed(fields={"location": "intake_outside_area"})
    grid_id, area, department = route_report(session, category, location)
    report = Report(
        number=next_report_number(session, now),
        status=ReportStatus.REPORTED,
        source=source.source,
        category_id=category.id,
        category=category,
        urgency=Urgency(draft.urgency) if draft.urgency else Urgency.NORMAL,
        description=draft.description,
        address=draft.address,
        lng=lng,
        lat=lat,
        coord_input=coord_input,
        location_source=LocationSource.DEVICE,
        grid_id=grid_id,
        area_id=area.id if area else None,
        area_path=area.path if area else None,
        locate_status=location.status.value,
        department_id=department.id if department else None,
        reporter_id=None,
        anonymous=False,
        supporters_count=0,
        filing_due_at=filing_due(session, category, settings.hours, now),
        overdue=False,
        version=1,
        external_ref=draft.external_id,
        created_at=now,
        updated_at=now,
    )
    session.add(report)
    session.flush()
    stored = {k: v for k, v in payload.items() if k != "caller_phone"}
    if label is not None:
        stored["geocoded"] = {"label": label, "lng": lng, "lat": lat}
    event = IntakeEvent(
        source_id=source.id,
        external_id=draft.external_id,
        report_id=report.id,
        request_hash=digest,
        caller_phone=phone,
        payload=stored,
        created_at=now,
    )
    session.add(event)
    _record(session, actor, source, report, phone, now)
    duplicates = link_duplicates(session, report, photo_hashes=[], policy=settings.policy, now=now)
    session.commit()
    logger.info(
        "intake %s event %s became report %s", source.name, draft.external_id, report.number
    )
    return IntakeResult(
        report=report,
        event=event,
        source_name=source.name,
        caller_phone_masked=mask_phone(phone),
        suspected_duplicates=duplicates,
    )


def _record(session, actor: Actor, source: IntakeSource, report: Report, phone, now) -> None:
    session.add(
        ReportEvent(
            report_id=report.id,
            action="reported",
            to_status=ReportStatus.REPORTED.value,
            actor_id=None,
            actor_role="intake",
            public_note=render("intake_event_reported", source=source.name, number=report.number),
            data={
                "message": "intake_event_reported",
                "source": source.name,
                "number": report.number,
                "external_id": report.external_ref,
            },
            created_at=now,
        )
    )
    audit.record(
        session,
        dataclasses.replace(actor, label=f"intake:{source.name}"),
        "report.created",
        object_type="report",
        object_id=report.id,
        area_path=report.area_path,
        after={
            "number": report.number,
            "category": report.category.code,
            "source": report.source.value,
            "intake_source": source.name,
            "external_id": report.external_ref,
            "locate_status": report.locate_status,
            "caller_phone": mask_phone(phone),
        },
    )


def get_event_status(
    session: Session, *, source_id: uuid.UUID, source_name: str, external_id: str, locale: str
) -> IntakeStatus:
    """What became of one of the source's own events (another source's read as missing)."""
    source = session.get(IntakeSource, source_id)
    if source is None or source.name != source_name:
        raise NotFound(what="intake_event")
    row = session.execute(
        select(IntakeEvent, Report)
        .join(Report, Report.id == IntakeEvent.report_id)
        .where(IntakeEvent.source_id == source_id, IntakeEvent.external_id == external_id)
    ).first()
    if row is None:
        raise NotFound(what="intake_event")
    event, report = row
    merged_into = None
    if report.merged_into_id is not None:
        merged_into = session.scalar(
            select(Report.number).where(Report.id == report.merged_into_id)
        )
    return IntakeStatus(
        external_id=event.external_id,
        number=report.number,
        status=report.status.value,
        status_text=status_text(report.status, locale),
        updated_at=report.updated_at,
        merged_into=merged_into,
        closed_at=report.closed_at,
    )
