"""Self-resolution (小事不出网格): a grid worker who finds and fixes a small problem on patrol
files it with before and after photos, and it is closed at once. It is numbered like any
report, carries ``self_resolved`` for the statistics, and its timeline has one entry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.db import utcnow
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.geo.coords import Coord, to_wgs84
from services.idempotency import run_once
from services.media_claims import attach_media, claimable_media
from services.models.accounts import Role
from services.models.catalogue import Urgency
from services.models.media import MediaPurpose
from services.models.reports import (
    LocationSource,
    Report,
    ReportEvent,
    ReportSource,
    ReportStatus,
)
from services.report_numbers import next_report_number
from services.reports import LocationIn, ReportSettings, _category, route_report
from services.workflow import on_duty

SCOPE = "report.self_resolved"
ACTION = "self_resolved"


@dataclass(frozen=True)
class SelfResolvedDraft:
    """What the worker sends (already checked for shape by the HTTP schema)."""

    category_code: str
    description: str
    location: LocationIn
    before_media_ids: list[uuid.UUID]
    after_media_ids: list[uuid.UUID]
    note: str | None = None
    address: str | None = None


def self_resolve(
    session: Session,
    *,
    actor: Actor,
    draft: SelfResolvedDraft,
    settings: ReportSettings,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """File and close a problem the worker fixed in a grid where they are on duty. With an
    idempotency key, a retry answers with the first report."""
    if Role.GRID_WORKER not in actor.roles or actor.user_id is None:
        raise PermissionDenied()
    now = now or utcnow()

    def create(record) -> Report:
        report = _create(session, actor, draft, settings, now)
        if record is not None:
            record.result_id = report.id
        session.commit()
        return report

    def load(report_id: uuid.UUID) -> Report:
        report = session.get(Report, report_id)
        if report is None:
            raise NotFound(what="report")
        return report

    report, _replayed = run_once(
        session,
        user_id=actor.user_id,
        scope=SCOPE,
        key=idempotency_key,
        arguments=dataclasses.asdict(draft),
        create=create,
        load=load,
    )
    return report


def _create(
    session: Session, actor: Actor, draft: SelfResolvedDraft, settings: ReportSettings, now
) -> Report:
    category = _category(session, actor, draft.category_code)
    if not draft.before_media_ids:
        raise ValidationFailed(fields={"before_media_ids": "case_photos_required"})
    if not draft.after_media_ids:
        raise ValidationFailed(fields={"after_media_ids": "case_photos_required"})
    if set(draft.before_media_ids) & set(draft.after_media_ids):
        raise ValidationFailed(fields={"after_media_ids": "media_ids_repeated"})
    before = claimable_media(
        session,
        actor,
        draft.before_media_ids,
        purpose=MediaPurpose.REPORT,
        field="before_media_ids",
    )
    after = claimable_media(
        session,
        actor,
        draft.after_media_ids,
        purpose=MediaPurpose.DISPOSAL,
        field="after_media_ids",
    )
    given = draft.location
    lng, lat = to_wgs84(given.lng, given.lat, Coord(given.coord))
    location = settings.locator.get(session).locate(lng, lat)
    grid_id, area, department = route_report(session, category, location)
    if not on_duty(session, actor, grid_id):
        raise PermissionDenied("case_not_on_duty")
    report = Report(
        number=next_report_number(session, now),
        status=ReportStatus.CLOSED,
        source=ReportSource.PATROL,
        category_id=category.id,
        category=category,
        urgency=Urgency.NORMAL,
        description=draft.description,
        address=draft.address,
        lng=lng,
        lat=lat,
        coord_input=Coord(given.coord).value,
        accuracy_m=given.accuracy_m,
        location_source=LocationSource.DEVICE,
        location_mismatch=False,
        grid_id=grid_id,
        area_id=area.id,
        area_path=area.path,
        locate_status=location.status.value,
        department_id=department.id if department else None,
        reporter_id=actor.user_id,
        anonymous=False,
        supporters_count=0,
        overdue=False,
        version=1,
        self_resolved=True,
        filed_at=now,
        resolved_at=now,
        closed_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(report)
    session.flush()
    before_ids = attach_media(session, report, before, now)
    after_ids = attach_media(session, report, after, now)
    data = {"before_media_ids": before_ids, "after_media_ids": after_ids}
    session.add(
        ReportEvent(
            report_id=report.id,
            action=ACTION,
            from_status=None,
            to_status=ReportStatus.CLOSED.value,
            actor_id=actor.user_id,
            actor_role=Role.GRID_WORKER.value,
            note=draft.note,
            data=data,
            created_at=now,
        )
    )
    audit.record(
        session,
        actor,
        "report.self_resolved",
        object_type="report",
        object_id=report.id,
        area_path=report.area_path,
        after={"number": report.number, "category": category.code, **data},
    )
    return report
