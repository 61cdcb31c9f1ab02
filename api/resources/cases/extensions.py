"""Deadline extensions and supervision: the department asks for more time, a dispatcher
approves or refuses; a dispatcher supervises (督办) an overdue or important case.

Every action takes the case version it acted on (``If-Match`` or ``version`` in the body); a
stale version is 409 with the current state.
"""

import datetime as dt
import uuid

import marshmallow as ma
from flask_smorest import Blueprint

from api.context import actor, db
from api.resources.cases.actions import case_action
from api.resources.cases.disposal import reason_field
from api.resources.cases.schemas import (
    CaseStateSchema,
    note_field,
    version_field,
)
from api.versioning import expected_version
from services.models.workflow import ExtensionStatus
from services.workflow_extensions import (
    ExtensionOutcome,
    decide_extension,
    request_extension,
    supervise_case,
)
from services.workflow_triage import case_state

blp = Blueprint(
    "cases_extensions",
    __name__,
    url_prefix="/api/v1/reports",
    description="Deadline extensions and supervision",
)


def _utc_representable(value: dt.datetime) -> dt.datetime:
    """Instants near datetime's limits have no UTC form to compare with."""
    try:
        value.astimezone(dt.UTC)
    except OverflowError:
        raise ma.ValidationError("Not a valid datetime.") from None
    return value


class ExtensionCreateSchema(ma.Schema):
    version = version_field()
    due_at = ma.fields.AwareDateTime(
        required=True,
        default_timezone=None,
        validate=_utc_representable,
        metadata={
            "description": "the disposal deadline asked for (ISO 8601 with offset): later than "
            "the current deadline and than now, at most a year ahead"
        },
    )
    reason = reason_field(500, "why more time is needed (the dispatcher reads it)")


class ExtensionDecisionSchema(ma.Schema):
    version = version_field()
    note = note_field(500, "the dispatcher's note (the department reads it)")


class SuperviseCaseSchema(ma.Schema):
    version = version_field()
    note = reason_field(1000, "what is expected of the department, by when")


class ExtensionSchema(ma.Schema):
    """An extension request and the case as the action left it."""

    id = ma.fields.UUID(required=True)
    status = ma.fields.Enum(ExtensionStatus, by_value=True, required=True)
    requested_due_at = ma.fields.AwareDateTime(required=True)
    reason = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    decided_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    decision_note = ma.fields.String(allow_none=True, required=True)
    case = ma.fields.Nested(CaseStateSchema, required=True)


def _outcome(outcome: ExtensionOutcome) -> dict:
    ext = outcome.extension
    return {
        "id": ext.id,
        "status": ext.status,
        "requested_due_at": ext.requested_due_at,
        "reason": ext.reason,
        "created_at": ext.created_at,
        "decided_at": ext.decided_at,
        "decision_note": ext.decision_note,
        "case": case_state(db(), outcome.report),
    }


def _action(route: str, body_schema, response_schema, status: int = 200):
    return case_action(blp, route, body_schema, response_schema, status)


@_action("/<uuid:report_id>/extensions", ExtensionCreateSchema, ExtensionSchema, 201)
def request_(headers, body, report_id: uuid.UUID):
    """Ask for a later disposal deadline (延期申请)

    For handlers of the case's department while it is dispatched or in progress; one pending
    request per case (409 otherwise). A dispatcher approves or refuses it.
    """
    version = expected_version(body.pop("version", None))
    outcome = request_extension(
        db(), actor=actor(), report_id=report_id, expected_version=version, **body
    )
    return _outcome(outcome)


@_action(
    "/<uuid:report_id>/extensions/<uuid:extension_id>/approve",
    ExtensionDecisionSchema,
    ExtensionSchema,
)
def approve(headers, body, report_id: uuid.UUID, extension_id: uuid.UUID):
    """Approve a pending extension: the disposal deadline moves

    An overdue case whose new deadline is still ahead is no longer overdue.
    """
    version = expected_version(body.pop("version", None))
    outcome = decide_extension(
        db(),
        actor=actor(),
        report_id=report_id,
        extension_id=extension_id,
        expected_version=version,
        approve=True,
        **body,
    )
    return _outcome(outcome)


@_action(
    "/<uuid:report_id>/extensions/<uuid:extension_id>/refuse",
    ExtensionDecisionSchema,
    ExtensionSchema,
)
def refuse(headers, body, report_id: uuid.UUID, extension_id: uuid.UUID):
    """Refuse a pending extension: the deadline stays"""
    version = expected_version(body.pop("version", None))
    outcome = decide_extension(
        db(),
        actor=actor(),
        report_id=report_id,
        extension_id=extension_id,
        expected_version=version,
        approve=False,
        **body,
    )
    return _outcome(outcome)


@_action("/<uuid:report_id>/supervise", SuperviseCaseSchema, CaseStateSchema)
def supervise(headers, body, report_id: uuid.UUID):
    """Supervise a case (督办): the department is told

    For dispatchers of the case's area, on an open case after filing (typically overdue or
    important); the case keeps its state.
    """
    version = expected_version(body.pop("version", None))
    report = supervise_case(
        db(), actor=actor(), report_id=report_id, expected_version=version, **body
    )
    return case_state(db(), report)
