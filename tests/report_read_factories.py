"""Factories for reading reports in tests: Report rows inserted directly, without submission."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.models.accounts import User
from services.models.areas import Area, Department
from services.models.catalogue import Category
from services.models.media import MediaFile
from services.models.reports import (
    DuplicateReason,
    LocationSource,
    Report,
    ReportDuplicate,
    ReportEvent,
    ReportSource,
    ReportStatus,
)
from tests.catalogue_factories import make_category

_seq = itertools.count(1)
# Inside the standard tree's grid in spirit: the rows carry their area, no geometry is needed.
LNG, LAT = 118.28, 33.95


def report_category(session: Session, code: str = "5601") -> Category:
    """The category with ``code``, made (with its major class) if missing."""
    found = session.scalar(select(Category).where(Category.code == code))
    if found is not None:
        return found
    if len(code) == 4:
        report_category(session, code[:2])
    return make_category(session, code)


def make_report(
    session: Session,
    *,
    reporter: User | None,
    category: Category | str | None = None,
    grid: Area | None = None,
    status: ReportStatus = ReportStatus.REPORTED,
    lat: float = LAT,
    lng: float = LNG,
    created_at: dt.datetime | None = None,
    anonymous: bool = False,
    department: Department | None = None,
    source: ReportSource = ReportSource.MINI_PROGRAM,
    description: str = "路灯不亮",
    address: str | None = None,
    overdue: bool = False,
    supporters_count: int = 0,
    filing_due_at: dt.datetime | None = None,
    number: str | None = None,
) -> Report:
    """A report placed in ``grid`` (its area path), or outside the city when ``grid`` is None."""
    if not isinstance(category, Category):
        category = report_category(session, category or "5601")
    report = Report(
        number=number or f"20261122{next(_seq):04d}",
        status=status,
        source=source,
        category_id=category.id,
        description=description,
        address=address,
        lng=lng,
        lat=lat,
        coord_input="wgs84",
        accuracy_m=15.0,
        location_source=LocationSource.DEVICE,
        grid_id=grid.id if grid else None,
        area_id=grid.id if grid else None,
        area_path=grid.path if grid else None,
        locate_status="inside" if grid else "outside",
        department_id=department.id if department else None,
        reporter_id=reporter.id if reporter else None,
        anonymous=anonymous,
        supporters_count=supporters_count,
        overdue=overdue,
        filing_due_at=filing_due_at,
    )
    if created_at is not None:
        report.created_at = report.updated_at = created_at
    session.add(report)
    session.flush()
    return report


def make_event(
    session: Session,
    report: Report,
    *,
    action: str = "filed",
    actor: User | None = None,
    actor_role: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
    public_note: str | None = None,
    at: dt.datetime | None = None,
) -> ReportEvent:
    event = ReportEvent(
        report_id=report.id,
        action=action,
        to_status=to_status,
        actor_id=actor.id if actor else None,
        actor_role=actor_role,
        note=note,
        public_note=public_note,
    )
    if at is not None:
        event.created_at = at
    session.add(event)
    session.flush()
    return event


def attach(session: Session, report: Report, *media: MediaFile) -> None:
    """Attach photos to the report in order, as submission does."""
    for position, item in enumerate(media):
        item.report_id = report.id
        item.position = position
        item.attached_at = dt.datetime.now(dt.UTC)
    session.flush()
    session.expire(report, ["media"])


def link_duplicate(
    session: Session, report: Report, original: Report, *, distance_m: float = 20.0
) -> ReportDuplicate:
    link = ReportDuplicate(
        report_id=report.id,
        original_id=original.id,
        reason=DuplicateReason.NEARBY,
        distance_m=distance_m,
    )
    session.add(link)
    session.flush()
    return link
