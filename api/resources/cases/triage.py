"""Triage of cases by dispatchers: file, reject, merge, dismiss a suspected duplicate, dispatch.

Every action takes the case version it acted on (``If-Match`` or ``version`` in the body) and
answers with the case's new state; a stale version is 409 with the current state.
"""

import uuid

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, container, db
from api.resources.cases.actions import case_action
from api.resources.cases.schemas import (
    DismissDuplicateSchema,
    DispatchCaseSchema,
    DuplicateDecisionSchema,
    FileCaseSchema,
    MergeCaseSchema,
    RejectCaseSchema,
)
from api.versioning import expected_version
from services.workflow_merge import dismiss_duplicate, merge_case
from services.workflow_triage import (
    TriageSettings,
    case_state,
    dispatch_case,
    file_case,
    reject_case,
)

blp = Blueprint(
    "cases_triage", __name__, url_prefix="/api/v1/reports", description="Case triage (dispatchers)"
)


def _settings() -> TriageSettings:
    c = container()
    return TriageSettings(locator=c.locator, hours=c.working_hours)


def _action(route: str, body_schema):
    return case_action(blp, route, body_schema)


@_action("/<uuid:report_id>/file", FileCaseSchema)
def file(headers, body, report_id: uuid.UUID):
    """File a reported case (立案), optionally correcting its category or location

    A corrected category or location re-proposes the department (area overrides first, then
    the category's default); the old values are kept in the timeline entry. A corrected
    location must lie in the city and in the dispatcher's own area.
    """
    version = expected_version(body.pop("version", None))
    report = file_case(
        db(),
        actor=actor(),
        report_id=report_id,
        expected_version=version,
        settings=_settings(),
        **body,
    )
    return case_state(db(), report)


@_action("/<uuid:report_id>/reject", RejectCaseSchema)
def reject(headers, body, report_id: uuid.UUID):
    """Reject a reported case (不予立案) with a reason"""
    version = expected_version(body.pop("version", None))
    report = reject_case(db(), actor=actor(), report_id=report_id, expected_version=version, **body)
    return case_state(db(), report)


@_action("/<uuid:report_id>/merge", MergeCaseSchema)
def merge(headers, body, report_id: uuid.UUID):
    """Merge a duplicate into another open case

    The duplicate's reporter and supporters become supporters of the case it is merged into;
    a suspected-duplicate link between the two is confirmed.
    """
    version = expected_version(body.pop("version", None))
    report = merge_case(
        db(),
        actor=actor(),
        report_id=report_id,
        expected_version=version,
        into_id=body.pop("into"),
        **body,
    )
    return case_state(db(), report)


@_action("/<uuid:report_id>/dispatch", DispatchCaseSchema)
def dispatch(headers, body, report_id: uuid.UUID):
    """Dispatch a filed case to a department (派遣) with a disposal deadline

    Without `due_at` the deadline is the category's disposal limit for the case's urgency,
    counted on the working calendar from now.
    """
    version = expected_version(body.pop("version", None))
    report = dispatch_case(
        db(),
        actor=actor(),
        report_id=report_id,
        expected_version=version,
        settings=_settings(),
        **body,
    )
    return case_state(db(), report)


@blp.route("/<uuid:report_id>/duplicates/<uuid:original_id>/dismiss", methods=["POST"])
@auth_required(blp)
@blp.arguments(DismissDuplicateSchema())
@blp.response(200, DuplicateDecisionSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def dismiss(body, report_id: uuid.UUID, original_id: uuid.UUID):
    """Dismiss a suspected duplicate: the case is not a duplicate of that one

    The case's state and version do not change. To confirm a duplicate, merge the case.
    """
    return dismiss_duplicate(
        db(), actor=actor(), report_id=report_id, original_id=original_id, **body
    )
