"""Disposal and verification: the department accepts, returns or resolves a case; a grid
worker on duty verifies it on site; the reporter may reopen it once within 7 days.

Every action takes the case version it acted on (``If-Match`` or ``version`` in the body) and
answers with the case's new state; a stale version is 409 with the current state.
"""

import uuid

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import validate

from api.context import actor, db
from api.resources.cases.actions import case_action
from api.resources.cases.schemas import (
    note_field,
    public_note_field,
    version_field,
)
from api.resources.reports.submit_schemas import Trimmed
from api.schemas import NO_CONTROL_CHARS, encodable
from api.versioning import expected_version
from services.media_claims import MAX_CASE_MEDIA
from services.workflow_disposal import (
    accept_case,
    reopen_case,
    resolve_case,
    return_case,
    verify_case,
)
from services.workflow_triage import case_state

blp = Blueprint(
    "cases_disposal",
    __name__,
    url_prefix="/api/v1/reports",
    description="Case disposal and verification (departments, grid workers, reporters)",
)


def reason_field(max_len: int, description: str) -> Trimmed:
    """A required text that must say something: surrounding whitespace is trimmed first."""
    return Trimmed(
        required=True,
        validate=[validate.Length(min=1, max=max_len), NO_CONTROL_CHARS, encodable],
        metadata={"description": description},
    )


def media_ids_field(description: str, **kwargs) -> ma.fields.List:
    return ma.fields.List(
        ma.fields.UUID(),
        validate=validate.Length(max=MAX_CASE_MEDIA),
        metadata={"description": description},
        **kwargs,
    )


class AcceptCaseSchema(ma.Schema):
    version = version_field()
    note = note_field()


class ReturnCaseSchema(ma.Schema):
    version = version_field()
    reason = reason_field(500, "why the department sends it back (the dispatcher reads it)")


class ResolveCaseSchema(ma.Schema):
    version = version_field()
    note = reason_field(1000, "what was done (staff only)")
    public_note = public_note_field()
    media_ids = media_ids_field(
        "after-photos: your own uploads with `purpose=disposal`, not yet attached; at least "
        "one when the category requires photos",
        load_default=list,
    )


class VerifyCaseSchema(ma.Schema):
    version = version_field()
    passed = ma.fields.Boolean(required=True, metadata={"description": "the work is really done"})
    note = note_field(1000, "findings; required when failing (the department reads it)")
    media_ids = media_ids_field(
        "on-site photos: your own uploads with `purpose=verification`; at least one to pass",
        load_default=list,
    )


class ReopenCaseSchema(ma.Schema):
    version = version_field()
    reason = reason_field(500, "why the problem is not solved")


def _action(route: str, body_schema):
    return case_action(blp, route, body_schema)


@_action("/<uuid:report_id>/accept", AcceptCaseSchema)
def accept(headers, body, report_id: uuid.UUID):
    """Accept a dispatched case (the department takes it)

    For handlers of the case's department; the case goes in progress with the caller as its
    handler.
    """
    version = expected_version(body.pop("version", None))
    report = accept_case(db(), actor=actor(), report_id=report_id, expected_version=version, **body)
    return case_state(db(), report)


@_action("/<uuid:report_id>/return", ReturnCaseSchema)
def return_(headers, body, report_id: uuid.UUID):
    """Return a dispatched case to the dispatcher (退回) with a reason

    The case goes back to `filed` for the dispatcher to re-dispatch; the department stays on
    it as a hint but it leaves the department's queue.
    """
    version = expected_version(body.pop("version", None))
    report = return_case(db(), actor=actor(), report_id=report_id, expected_version=version, **body)
    return case_state(db(), report)


@_action("/<uuid:report_id>/resolve", ResolveCaseSchema)
def resolve(headers, body, report_id: uuid.UUID):
    """Report a case resolved, with after-photos

    Upload the photos first (`POST /api/v1/media` with `purpose=disposal`); at least one is
    required when the case's category requires photos. The grid's workers are asked to verify.
    """
    version = expected_version(body.pop("version", None))
    report = resolve_case(
        db(), actor=actor(), report_id=report_id, expected_version=version, **body
    )
    return case_state(db(), report)


@_action("/<uuid:report_id>/verify", VerifyCaseSchema)
def verify(headers, body, report_id: uuid.UUID):
    """Verify a resolved case on site (grid workers on duty in its grid)

    Passing needs at least one photo (`POST /api/v1/media` with `purpose=verification`) and
    closes the case; failing needs a note and sends it back to the department as rework.
    """
    version = expected_version(body.pop("version", None))
    report = verify_case(db(), actor=actor(), report_id=report_id, expected_version=version, **body)
    return case_state(db(), report)


@_action("/<uuid:report_id>/reopen", ReopenCaseSchema)
def reopen(headers, body, report_id: uuid.UUID):
    """Reopen my closed case: the problem is not solved

    For the reporter, once, within 7 days of closing (409 otherwise); the case goes back to
    on-site verification.
    """
    version = expected_version(body.pop("version", None))
    report = reopen_case(db(), actor=actor(), report_id=report_id, expected_version=version, **body)
    return case_state(db(), report)
