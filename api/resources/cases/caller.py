"""Revealing an intake caller's full phone number to the case's dispatcher (audited)."""

import uuid

import marshmallow as ma
from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, db
from api.schemas import text
from services.intake_privacy import reveal_caller_phone

blp = Blueprint(
    "cases_caller", __name__, url_prefix="/api/v1/reports", description="Intake callers"
)


class RevealCallerSchema(ma.Schema):
    reason = text(1, 200, required=True, metadata={"description": "why the number is needed"})


class CallerPhoneSchema(ma.Schema):
    phone = ma.fields.String(required=True, metadata={"description": "E.164, in full"})
    masked = ma.fields.String(required=True, metadata={"example": "138****1234"})


@blp.route("/<uuid:report_id>/caller-phone/reveal", methods=["POST"])
@auth_required(blp)
@blp.arguments(RevealCallerSchema())
@blp.response(200, CallerPhoneSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def reveal(body, report_id: uuid.UUID):
    """Reveal the caller's full phone number of an intake case (dispatchers, audited)

    Everywhere else the caller's number is masked. A dispatcher or admin of the case's area
    who needs to call back gets it here with a reason; each reveal is an audit entry.
    """
    return reveal_caller_phone(db(), actor=actor(), report_id=report_id, reason=body["reason"])
