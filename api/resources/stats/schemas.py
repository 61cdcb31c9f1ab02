"""The statistics' query and answer."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from api.resources.reports.read_schemas import AREA_REF, _utc_representable
from services.models.areas import AreaLevel
from services.models.reports import ReportStatus
from services.queries.stats import GroupBy
from services.stats import GROUP_LEVELS


def _aware(description: str, **kwargs) -> ma.fields.AwareDateTime:
    # No default time zone: a naive datetime is refused, not guessed.
    return ma.fields.AwareDateTime(
        default_timezone=None,
        validate=_utc_representable,
        metadata={"description": description},
        **kwargs,
    )


class CaseStatsQuerySchema(ma.Schema):
    area = ma.fields.String(
        validate=AREA_REF,
        metadata={"description": "area id or code: its subtree (within my own scope)"},
    )
    department_id = ma.fields.UUID(
        data_key="department", metadata={"description": "only cases of this department"}
    )
    start = _aware(
        "cases created at or after (ISO 8601 with offset); default: this month (Asia/Shanghai)",
        data_key="from",
    )
    end = _aware(
        "cases created before (ISO 8601 with offset); at most 366 days after from", data_key="to"
    )
    group_by = ma.fields.Enum(GroupBy, by_value=True)
    level = ma.fields.Enum(
        AreaLevel,
        by_value=True,
        load_default=AreaLevel.STREET,
        validate=validate.OneOf(GROUP_LEVELS),
        metadata={"description": "with group_by=area_level: the level to group by"},
    )


StatusCountsSchema = ma.Schema.from_dict(
    {status.value: ma.fields.Integer(required=True) for status in ReportStatus},
    name="StatusCounts",
)


class CaseMetricsSchema(ma.Schema):
    counts = ma.fields.Nested(StatusCountsSchema, required=True)
    total = ma.fields.Integer(required=True)
    close_rate = ma.fields.Float(required=True, allow_none=True)
    on_time_rate = ma.fields.Float(required=True, allow_none=True)
    avg_handling_hours = ma.fields.Float(required=True, allow_none=True)
    p90_handling_hours = ma.fields.Float(required=True, allow_none=True)
    rework_rate = ma.fields.Float(required=True, allow_none=True)
    self_resolution_share = ma.fields.Float(required=True, allow_none=True)


class CaseStatsGroupSchema(CaseMetricsSchema):
    key = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "category code, area code, department code, source, or day "
            "(YYYY-MM-DD, Asia/Shanghai); null: no department / outside any area of that level"
        },
    )
    label = ma.fields.String(required=True, allow_none=True)


class PeriodSchema(ma.Schema):
    start = ma.fields.AwareDateTime(required=True, data_key="from")
    end = ma.fields.AwareDateTime(required=True, data_key="to")


class StatsAreaSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    level = ma.fields.String(required=True)


class StatsDepartmentSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class OverdueCaseSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    number = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    due_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    days_overdue = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "whole natural days past due_at"}
    )


class CaseStatsSchema(ma.Schema):
    period = ma.fields.Nested(PeriodSchema, required=True)
    area = ma.fields.Nested(StatsAreaSchema, required=True, allow_none=True)
    department = ma.fields.Nested(StatsDepartmentSchema, required=True, allow_none=True)
    group_by = ma.fields.String(required=True, allow_none=True)
    level = ma.fields.String(required=True, allow_none=True)
    total = ma.fields.Nested(CaseMetricsSchema, required=True)
    groups = ma.fields.List(ma.fields.Nested(CaseStatsGroupSchema), required=True)
    top_overdue = ma.fields.List(ma.fields.Nested(OverdueCaseSchema), required=True)
