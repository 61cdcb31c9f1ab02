"""Self-resolution (小事不出网格): a grid worker files a problem they fixed on patrol, with
before and after photos, and it is closed at once."""

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import validate

from api.auth import auth_required
from api.context import actor, container, db
from api.resources.cases.schemas import CaseStateSchema
from api.resources.reports.submit_schemas import (
    IdempotencyHeaderSchema,
    ReportLocationSchema,
    Trimmed,
)
from api.schemas import FullMatch, encodable
from services.media_claims import MAX_CASE_MEDIA
from services.models.accounts import Role
from services.reports import ReportSettings
from services.self_resolution import SelfResolvedDraft, self_resolve
from services.workflow_triage import case_state

blp = Blueprint(
    "cases_self_resolved",
    __name__,
    url_prefix="/api/v1/reports",
    description="Self-resolution by grid workers",
)

_TEXT_CHARS = FullMatch(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")


def _photos(description: str) -> ma.fields.List:
    return ma.fields.List(
        ma.fields.UUID(),
        required=True,
        validate=validate.Length(min=1, max=MAX_CASE_MEDIA),
        metadata={"description": description, "maxItems": MAX_CASE_MEDIA, "uniqueItems": True},
    )


class SelfResolvedCreateSchema(ma.Schema):
    category_code = ma.fields.String(
        required=True,
        validate=FullMatch(r"^[0-9]{4}$"),
        metadata={"description": "a minor class's code", "example": "0101"},
    )
    description = Trimmed(
        required=True,
        validate=[validate.Length(min=1, max=2000), _TEXT_CHARS, encodable],
        metadata={"description": "what was wrong, 1–2000 characters after trimming"},
    )
    location = ma.fields.Nested(
        ReportLocationSchema,
        required=True,
        metadata={"description": "where; must lie in a grid where you are on duty"},
    )
    address = Trimmed(
        allow_none=True,
        validate=[validate.Length(max=200), _TEXT_CHARS, encodable],
        metadata={"description": "the address, ≤ 200 characters"},
    )
    before_media_ids = _photos(
        "1–9 of your own unattached photos of the problem (`purpose=report`)"
    )
    after_media_ids = _photos(
        "1–9 of your own unattached photos after the fix (`purpose=disposal`)"
    )
    note = Trimmed(
        allow_none=True,
        validate=[validate.Length(min=1, max=1000), _TEXT_CHARS, encodable],
        metadata={"description": "what you did (staff only)"},
    )

    @ma.post_load
    def make(self, data, **kwargs):
        if data.get("address") == "":
            data["address"] = None
        return SelfResolvedDraft(**data)


@blp.route("/self-resolved", methods=["POST"])
@auth_required(blp, Role.GRID_WORKER)
@blp.arguments(IdempotencyHeaderSchema(), location="headers")
@blp.arguments(SelfResolvedCreateSchema())
@blp.response(201, CaseStateSchema)
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create(headers, draft):
    """Report a problem I fixed on patrol (小事不出网格)

    For grid workers on duty in the grid of the point. Upload the photos first
    (`POST /api/v1/media`: before-photos with `purpose=report`, after-photos with
    `purpose=disposal`). The report is numbered like any other, created closed, marked
    self-resolved and counted separately in the statistics. Send an `Idempotency-Key` header
    so a retry cannot file it twice.
    """
    c = container()
    settings = ReportSettings(locator=c.locator, policy=c.report_policy, hours=c.working_hours)
    report = self_resolve(
        db(), actor=actor(), draft=draft, settings=settings, idempotency_key=headers.get("key")
    )
    return case_state(db(), report)
