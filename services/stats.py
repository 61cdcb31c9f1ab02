"""Case statistics for an area subtree (or a department) and a period.

Definitions (also in the endpoint's OpenAPI description):

- the cases are those *created* in [from, to) within the caller's scope and the filters;
- ``close_rate`` = closed ÷ (total − rejected − merged): the share of the cases that had to be
  handled that are closed; null when nothing had to be handled;
- ``on_time_rate`` = closed cases never flagged overdue ÷ closed cases. "Flagged" means the SLA
  scan found a running deadline (filing or disposal) passed: the case is overdue now or its
  timeline has an "overdue" entry (an extension granted afterwards does not erase it);
- ``avg_handling_hours`` / ``p90_handling_hours``: closed_at − created_at of closed cases, in
  natural hours; the 90th percentile by the nearest-rank method (the smallest value with at
  least 90 % of the values at or below it);
- ``rework_rate`` = closed cases with at least one failed verification ÷ closed cases;
- ``self_resolution_share`` = self-resolved cases (小事不出网格) ÷ total;
- ``top_overdue``: up to 10 open cases flagged overdue now, in scope and filters but whatever
  their creation date, longest overdue first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import uuid
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, require_some, scope_clause
from services.db import utcnow
from services.errors import ValidationFailed
from services.models.areas import Area, AreaLevel, Department
from services.models.catalogue import Category
from services.models.reports import Report, ReportStatus
from services.queries.areas import in_subtree
from services.queries.stats import GroupBy, closed_durations, grouped_counts, top_overdue

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_PERIOD = dt.timedelta(days=366)
TOP_OVERDUE = 10
GROUP_LEVELS = (AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID)


@dataclasses.dataclass
class _Tally:
    counts: dict[str, int] = dataclasses.field(
        default_factory=lambda: {status.value: 0 for status in ReportStatus}
    )
    closed_on_time: int = 0
    closed_reworked: int = 0
    self_resolved: int = 0
    durations: list[float] = dataclasses.field(default_factory=list)

    def metrics(self) -> dict[str, Any]:
        total = sum(self.counts.values())
        closed = self.counts[ReportStatus.CLOSED]
        handled = total - self.counts[ReportStatus.REJECTED] - self.counts[ReportStatus.MERGED]
        hours = sorted(seconds / 3600 for seconds in self.durations)
        return {
            "counts": dict(self.counts),
            "total": total,
            "close_rate": _ratio(closed, handled),
            "on_time_rate": _ratio(self.closed_on_time, closed),
            "avg_handling_hours": round(sum(hours) / len(hours), 2) if hours else None,
            "p90_handling_hours": round(percentile(hours, 0.9), 2) if hours else None,
            "rework_rate": _ratio(self.closed_reworked, closed),
            "self_resolution_share": _ratio(self.self_resolved, total),
        }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole > 0 else None


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least ``fraction`` of the values at or below."""
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def month_of(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """[first day of the month, first day of the next) in Asia/Shanghai, as aware datetimes."""
    local = now.astimezone(SHANGHAI)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following


def _period(
    start: dt.datetime | None, end: dt.datetime | None, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    if start is None and end is None:
        return month_of(now)
    if start is None or end is None:
        missing = "from" if start is None else "to"
        raise ValidationFailed(fields={missing: "stats_period_incomplete"})
    for name, value in (("from", start), ("to", end)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationFailed(fields={name: "stats_naive_datetime"})
    if start >= end:
        raise ValidationFailed(fields={"to": "stats_period_inverted"})
    if end - start > MAX_PERIOD:
        raise ValidationFailed(fields={"to": "stats_period_too_long"}, days=MAX_PERIOD.days)
    return start, end


def _scope(actor: Actor) -> ColumnElement[bool]:
    require_some(actor, Action.STATS_READ)
    return scope_clause(
        actor,
        Action.STATS_READ,
        area_paths=(Report.area_path,),
        department_col=Report.department_id,
    )


def _find_area(session: Session, ref: str) -> Area:
    try:
        area = session.get(Area, uuid.UUID(ref))
    except ValueError:
        area = session.scalar(select(Area).where(Area.code == ref))
    if area is None:
        raise ValidationFailed(fields={"area": "stats_unknown_area"})
    return area


def _area_ref(area: Area | None) -> dict[str, Any] | None:
    if area is None:
        return None
    return {"id": area.id, "code": area.code, "name": area.name, "level": area.level.value}


def _department_ref(department: Department | None) -> dict[str, Any] | None:
    if department is None:
        return None
    return {"id": department.id, "code": department.code, "name": department.name}


class _Labeller:
    """Turns raw dimension values into group keys and labels people read."""

    def __init__(
        self, session: Session, group_by: GroupBy | None, level: AreaLevel, root: Area | None
    ) -> None:
        self.session, self.group_by = session, group_by
        self.level_areas: dict[str, Area] = {}
        if group_by == GroupBy.AREA_LEVEL:
            stmt = select(Area).where(Area.level == level)
            if root is not None:
                prefixes = _prefixes(root.path)
                stmt = stmt.where(in_subtree(Area.path, root.path) | Area.path.in_(prefixes))
            self.level_areas = {area.path: area for area in self.session.scalars(stmt)}
        self._cache: dict[Any, tuple[str | None, str]] = {}

    def fold(self, raw: Any) -> Any:
        """The group a raw value belongs to (an area path folds into its ancestor's path)."""
        if self.group_by == GroupBy.AREA_LEVEL:
            for prefix in _prefixes(raw or ""):
                if prefix in self.level_areas:
                    return prefix
            return None
        if self.group_by == GroupBy.DAY and raw is not None:
            return str(raw)[:10]
        if self.group_by == GroupBy.SOURCE and raw is not None:
            return getattr(raw, "value", raw)
        return raw

    def describe(self, keys: set[Any], locale: str) -> dict[Any, dict[str, Any]]:
        match self.group_by:
            case GroupBy.CATEGORY:
                rows = _by_id(self.session, Category, keys)
                return {
                    k: {"key": c.code, "label": c.name_en if locale == "en" else c.name_zh}
                    for k, c in rows.items()
                }
            case GroupBy.DEPARTMENT:
                rows = _by_id(self.session, Department, keys)
                return {k: {"key": d.code, "label": d.name} for k, d in rows.items()}
            case GroupBy.AREA_LEVEL:
                return {
                    k: {"key": self.level_areas[k].code, "label": self.level_areas[k].name}
                    for k in keys
                    if k in self.level_areas
                }
        return {k: {"key": str(k), "label": str(k)} for k in keys if k is not None}


def _prefixes(path: str) -> list[str]:
    """``/a/b/c/`` → ``/a/``, ``/a/b/``, ``/a/b/c/``."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _by_id(session: Session, model: type, ids: set[Any]) -> dict[Any, Any]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(wanted)))}


def case_statistics(
    session: Session,
    *,
    actor: Actor,
    area: str | None = None,
    department_id: uuid.UUID | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    group_by: GroupBy | None = None,
    level: AreaLevel = AreaLevel.STREET,
    locale: str = "zh-CN",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The figures of the cases created in [start, end) that ``actor`` may read, filtered by an
    area subtree (id or code) and a department, in total and per group."""
    now = now or utcnow()
    scope = _scope(actor)
    start, end = _period(start, end, now)
    if level not in GROUP_LEVELS:
        raise ValidationFailed(fields={"level": "stats_unknown_level"})
    root = _find_area(session, area) if area else None
    department = None
    if department_id is not None:
        department = session.get(Department, department_id)
        if department is None:
            raise ValidationFailed(fields={"department": "stats_unknown_department"})

    # Everything is ANDed with the caller's scope: an area beyond it only yields fewer cases.
    filters: list[ColumnElement[bool]] = [scope]
    if root is not None:
        filters.append(in_subtree(Report.area_path, root.path))
    if department is not None:
        filters.append(Report.department_id == department.id)
    period = [Report.created_at >= start, Report.created_at < end]

    labeller = _Labeller(session, group_by, level, root)
    total, groups = _Tally(), defaultdict(_Tally)
    for row in grouped_counts(session, [*filters, *period], group_by):
        for tally in (total, groups[labeller.fold(row.key)]) if group_by else (total,):
            tally.counts[row.status] += row.count
            tally.self_resolved += row.count if row.self_resolved else 0
            if row.status == ReportStatus.CLOSED:
                tally.closed_on_time += 0 if row.ever_overdue else row.count
                tally.closed_reworked += row.count if row.reworked else 0
    for key, seconds in closed_durations(session, [*filters, *period], group_by):
        total.durations.append(seconds)
        if group_by:
            groups[labeller.fold(key)].durations.append(seconds)

    return {
        "period": {"start": start, "end": end},
        "area": _area_ref(root),
        "department": _department_ref(department),
        "group_by": group_by.value if group_by else None,
        "level": level.value if group_by == GroupBy.AREA_LEVEL else None,
        "total": total.metrics(),
        "groups": _groups(labeller, groups, locale),
        "top_overdue": [
            {
                "id": row.id,
                "number": row.number,
                "status": row.status.value,
                "due_at": row.due_at,
                "days_overdue": (now - row.due_at).days if row.due_at else None,
            }
            for row in top_overdue(session, filters, limit=TOP_OVERDUE)
        ],
    }


def _groups(labeller: _Labeller, groups: dict[Any, _Tally], locale: str) -> list[dict[str, Any]]:
    names = labeller.describe(set(groups), locale)
    out = [
        {**names.get(key, {"key": None, "label": None}), **tally.metrics()}
        for key, tally in groups.items()
    ]
    if labeller.group_by == GroupBy.DAY:
        return sorted(out, key=lambda g: g["key"] or "")
    return sorted(out, key=lambda g: (-g["total"], g["key"] or "\uffff"))
