"""Bodies of the case actions and the compact case state every action answers with.

``CaseStateSchema`` dumps the dict of ``services.workflow_triage.case_state(session, report)``
(or any object with these attributes; ``department`` is ``{id, code, name}`` or null).
"""

from __future__ import annotations

import datetime as dt

import marshmallow as ma
from marshmallow import validate

from api.schemas import DepartmentRefSchema, FullMatch, text
from services.geo.coords import Coord
from services.models.reports import DuplicateStatus, ReportStatus
from services.workflow_triage import PointIn


class CaseStateSchema(ma.Schema):
    """A case as an action leaves it."""

    id = ma.fields.UUID(required=True)
    number = ma.fields.String(required=True)
    status = ma.fields.Enum(ReportStatus, by_value=True, required=True)
    version = ma.fields.Integer(required=True, metadata={"description": "send it back as If-Match"})
    department = ma.fields.Nested(DepartmentRefSchema, allow_none=True, required=True)
    filing_due_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    disposal_due_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    overdue = ma.fields.Boolean(required=True)
    merged_into_id = ma.fields.UUID(allow_none=True, required=True)
    updated_at = ma.fields.AwareDateTime(required=True)


def _utc_representable(value: dt.datetime) -> dt.datetime:
    """Instants near datetime's limits (0001-01-01+01:00) have no UTC form to compare with."""
    try:
        value.astimezone(dt.UTC)
    except OverflowError:
        raise ma.ValidationError("Not a valid datetime.") from None
    return value


class IfMatchHeaderSchema(ma.Schema):
    """The ``If-Match`` header of a case action (documents it; api.versioning reads it)."""

    class Meta:
        unknown = ma.EXCLUDE

    if_match = ma.fields.String(
        data_key="If-Match",
        metadata={
            "description": 'the case version acted on: `"3"`, `W/"3"` or `3`; wins over the '
            "body's `version`. A stale version is 409 with the current state."
        },
    )


def version_field() -> ma.fields.Integer:
    return ma.fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=999_999_999),
        metadata={"description": "the case version acted on (required unless If-Match is sent)"},
    )


def note_field(max_len: int = 1000, description: str = "internal note (staff only)", **kwargs):
    return text(1, max_len, metadata={"description": description}, **kwargs)


def public_note_field():
    return text(1, 500, metadata={"description": "what the reporter and supporters may read"})


class CaseLocationSchema(ma.Schema):
    lat = ma.fields.Float(required=True, allow_nan=False, validate=validate.Range(min=-90, max=90))
    lng = ma.fields.Float(
        required=True, allow_nan=False, validate=validate.Range(min=-180, max=180)
    )
    coord = ma.fields.Enum(Coord, by_value=True, load_default=Coord.GCJ02)

    @ma.post_load
    def make(self, data, **kwargs):
        return PointIn(**data)


class FileCaseSchema(ma.Schema):
    version = version_field()
    note = note_field()
    public_note = public_note_field()
    category_code = ma.fields.String(
        validate=FullMatch(r"^[0-9]{4}$"),
        metadata={
            "description": "a corrected category (a minor class); re-proposes the department"
        },
    )
    location = ma.fields.Nested(
        CaseLocationSchema, metadata={"description": "a corrected location; re-locates the grid"}
    )


class RejectCaseSchema(ma.Schema):
    version = version_field()
    reason = note_field(500, "why the report is not taken up (staff see it)", required=True)
    public_note = public_note_field()


class MergeCaseSchema(ma.Schema):
    version = version_field()
    into = ma.fields.UUID(required=True, metadata={"description": "the open case to merge into"})
    note = note_field()


class DismissDuplicateSchema(ma.Schema):
    note = note_field()


class DispatchCaseSchema(ma.Schema):
    version = version_field()
    department_id = ma.fields.UUID(required=True)
    instructions = note_field(1000, "what the department should do", required=True)
    due_at = ma.fields.AwareDateTime(
        default_timezone=None,
        validate=_utc_representable,
        metadata={
            "description": "a deadline overriding the category's disposal limit (ISO 8601 with "
            "offset; in the future, at most a year ahead)"
        },
    )


class DuplicateDecisionSchema(ma.Schema):
    report_id = ma.fields.UUID(required=True)
    original_id = ma.fields.UUID(required=True)
    status = ma.fields.Enum(DuplicateStatus, by_value=True, required=True)
    decided_at = ma.fields.AwareDateTime(required=True)
