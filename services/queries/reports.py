"""Finding reports: the staff list and map with their filters, one report, a resident's own.

Every staff query is scoped by ``services.authz.scope_clause`` for ``REPORT_READ``: area staff see
their subtree (by ``Report.area_path``), department handlers their department's reports, and only
platform-wide staff the reports outside the city (``area_path`` NULL).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, Target, can, require_some, scope_clause
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.models.areas import Area
from services.models.catalogue import Category
from services.models.reports import Report, ReportSource, ReportStatus
from services.queries.areas import in_subtree
from services.queries.pagination import Page, paginate

DEFAULT_GEOJSON_MAX_FEATURES = 5000

# sort key -> (column, descending); a leading "-" in the key means newest/largest first.
_SORT_COLUMNS = {
    "created_at": Report.created_at,
    "filing_due_at": Report.filing_due_at,
    "number": Report.number,
    "supporters_count": Report.supporters_count,
}
SORTS = tuple(sorted([*_SORT_COLUMNS, *(f"-{key}" for key in _SORT_COLUMNS)]))
DEFAULT_SORT = "-created_at"


@dataclass(frozen=True)
class ReportFilter:
    statuses: tuple[ReportStatus, ...] = ()
    category: str | None = None  # a code; a major class includes its minor classes
    area: str | None = None  # an area id or code: its subtree
    department_id: uuid.UUID | None = None
    sources: tuple[ReportSource, ...] = ()
    created_from: dt.datetime | None = None  # inclusive
    created_to: dt.datetime | None = None  # exclusive
    bbox: tuple[float, float, float, float] | None = None  # min_lng, min_lat, max_lng, max_lat
    overdue: bool | None = None
    q: str | None = None  # text in the description, number or address, taken literally
    sort: str = DEFAULT_SORT


def report_target(report: Report) -> Target:
    return Target(
        area_path=report.area_path,
        department_id=report.department_id,
        owner_id=report.reporter_id,
    )


def _require_staff_reader(actor: Actor) -> None:
    """Staff lists are for staff: a resident reads their own reports under /me/reports."""
    require_some(actor, Action.REPORT_READ)
    if not actor.is_staff:
        raise PermissionDenied()


def _staff_scope(actor: Actor) -> ColumnElement[bool]:
    # No owner column: a staff member's reading rights come from their area or department.
    return scope_clause(
        actor,
        Action.REPORT_READ,
        area_paths=(Report.area_path,),
        department_col=Report.department_id,
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _category_condition(session: Session, code: str) -> ColumnElement[bool]:
    category = session.scalar(select(Category).where(Category.code == code))
    if category is None:
        raise ValidationFailed(fields={"category": "report_filter_unknown_category"}, code=code)
    minors = select(Category.id).where(Category.parent_id == category.id)
    return or_(Report.category_id == category.id, Report.category_id.in_(minors))


def _find_area(session: Session, ref: str) -> Area | None:
    try:
        area_id = uuid.UUID(ref)
    except ValueError:
        return session.scalar(select(Area).where(Area.code == ref))
    return session.get(Area, area_id)


def _filtered(session: Session, stmt: Select, filters: ReportFilter) -> Select:
    if filters.created_from and filters.created_to and filters.created_from > filters.created_to:
        raise ValidationFailed(fields={"created_from": "report_filter_dates_inverted"})
    if filters.statuses:
        stmt = stmt.where(Report.status.in_(filters.statuses))
    if filters.category:
        stmt = stmt.where(_category_condition(session, filters.category))
    if filters.area:
        area = _find_area(session, filters.area)
        if area is None:
            raise ValidationFailed(fields={"area": "report_filter_unknown_area"})
        # ANDed with the caller's scope: an area outside it simply yields nothing.
        stmt = stmt.where(in_subtree(Report.area_path, area.path))
    if filters.department_id:
        stmt = stmt.where(Report.department_id == filters.department_id)
    if filters.sources:
        stmt = stmt.where(Report.source.in_(filters.sources))
    if filters.created_from:
        stmt = stmt.where(Report.created_at >= filters.created_from)
    if filters.created_to:
        stmt = stmt.where(Report.created_at < filters.created_to)
    if filters.bbox:
        min_lng, min_lat, max_lng, max_lat = filters.bbox
        if min_lng > max_lng or min_lat > max_lat:
            raise ValidationFailed(fields={"bbox": "report_filter_bbox_invalid"})
        stmt = stmt.where(
            Report.lng.between(min_lng, max_lng), Report.lat.between(min_lat, max_lat)
        )
    if filters.overdue is not None:
        stmt = stmt.where(Report.overdue.is_(filters.overdue))
    if filters.q:
        pattern = _like(filters.q)
        stmt = stmt.where(
            or_(
                Report.description.ilike(pattern, escape="\\"),
                Report.number.ilike(pattern, escape="\\"),
                Report.address.ilike(pattern, escape="\\"),
            )
        )
    return stmt


def _ordered(stmt: Select, sort: str) -> Select:
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in _SORT_COLUMNS:
        raise ValidationFailed(fields={"sort": "validation_failed"})
    column = _SORT_COLUMNS[key]
    primary = column.desc() if descending else column.asc()
    # Deadlines may be unset; those rows come last either way. The number breaks ties stably.
    tie = Report.number.desc() if descending else Report.number.asc()
    return stmt.order_by(primary.nulls_last(), tie)


def staff_reports_query(session: Session, actor: Actor, filters: ReportFilter) -> Select:
    """The scoped, filtered and ordered SELECT of reports ``actor`` may read as staff."""
    _require_staff_reader(actor)
    stmt = select(Report).where(_staff_scope(actor))
    return _ordered(_filtered(session, stmt, filters), filters.sort)


def list_reports(
    session: Session, actor: Actor, filters: ReportFilter, *, page: int = 1, page_size: int = 20
) -> Page:
    stmt = staff_reports_query(session, actor, filters)
    return paginate(session, stmt, page=page, page_size=page_size)


def reports_geojson(
    session: Session,
    actor: Actor,
    filters: ReportFilter,
    *,
    max_features: int = DEFAULT_GEOJSON_MAX_FEATURES,
) -> dict[str, Any]:
    """The matching reports as GeoJSON points for a map: no reporter, no photos, no text.

    Refuses (422) rather than truncates above ``max_features``: half a map looks like a whole one.
    """
    stmt = staff_reports_query(session, actor, filters)
    count = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    if count > max_features:
        raise ValidationFailed(
            fields={"bbox": "report_geojson_too_many"}, count=count, limit=max_features
        )
    rows = session.execute(
        stmt.with_only_columns(
            Report.id,
            Report.number,
            Report.status,
            Category.code,
            Report.created_at,
            Report.overdue,
            Report.lng,
            Report.lat,
        ).join(Category, Category.id == Report.category_id)
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": str(row.id),
                "geometry": {"type": "Point", "coordinates": [row.lng, row.lat]},
                "properties": {
                    "id": str(row.id),
                    "number": row.number,
                    "status": row.status.value,
                    "category": row.code,
                    "created_at": row.created_at.isoformat(),
                    "overdue": row.overdue,
                },
            }
            for row in rows
        ],
    }


def get_report_for_staff(session: Session, actor: Actor, report_id: uuid.UUID) -> Report:
    """One report a staff member may read; 404 whether it is missing or out of their scope."""
    _require_staff_reader(actor)
    report = session.get(Report, report_id)
    if report is None or not staff_can_read(actor, report):
        raise NotFound(what="report")
    return report


def staff_can_read(actor: Actor, report: Report) -> bool:
    # A staff member who is also a resident must not read others' reports through OWN, and
    # reads their own only where their staff grants reach: drop the owner from the target.
    target = Target(area_path=report.area_path, department_id=report.department_id)
    return can(actor, Action.REPORT_READ, target)


def list_own_reports(session: Session, actor: Actor, *, page: int = 1, page_size: int = 20) -> Page:
    """The signed-in user's own reports, newest first."""
    if actor.user_id is None:
        raise PermissionDenied()
    stmt = (
        select(Report)
        .where(Report.reporter_id == actor.user_id)
        .order_by(Report.created_at.desc(), Report.number.desc())
    )
    return paginate(session, stmt, page=page, page_size=page_size)


def get_own_report(session: Session, actor: Actor, report_id: uuid.UUID) -> Report:
    """One of the signed-in user's own reports; anyone else's is "not found"."""
    report = session.get(Report, report_id)
    if report is None or actor.user_id is None or report.reporter_id != actor.user_id:
        raise NotFound(what="report")
    return report
