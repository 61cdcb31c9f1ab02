"""External sources deliver events (X-Api-Key) and poll what became of them."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import g, request
from flask_smorest import Blueprint

from api.context import actor as request_actor
from api.context import container, db
from api.errors import error_response
from api.i18n import current_locale, message
from api.resources.intake.schemas import (
    IntakeEventCreateSchema,
    IntakeEventStatusSchema,
    IntakeReceiptSchema,
)
from services.errors import AuthenticationFailed
from services.intake import IntakeResult, IntakeSettings, get_event_status, receive_event
from services.intake_sources import authenticate_source

API_KEY_HEADER = "X-Api-Key"
API_KEY = [{"apiKey": []}]
API_KEY_CHALLENGE = f'ApiKey header="{API_KEY_HEADER}"'
API_KEY_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": API_KEY_HEADER,
    "description": "An intake source's key (`onegrid intake create-source`, or "
    "`POST /api/v1/intake/sources`)",
}

blp = Blueprint(
    "intake",
    __name__,
    url_prefix="/api/v1/intake",
    description="Events from external systems: 12345 hotline, 110, digital city management",
)


def key_secret() -> bytes:
    """The HMAC key of stored API key hashes, derived from the app secret."""
    return ("intake-api-key:" + container().config.secret_key).encode()


def api_key_required(view: Callable) -> Callable:
    """Authenticate the source by its API key (in a session of its own, closed at once, like
    bearer authentication), and document the scheme with its 401."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with container().read_session_factory() as session:
            try:
                source = authenticate_source(
                    session, api_key=request.headers.get(API_KEY_HEADER), key_secret=key_secret()
                )
            except AuthenticationFailed as exc:
                # The common 401 shape, with the challenge of this scheme rather than Bearer.
                return error_response(
                    401, message(exc.key), headers={"WWW-Authenticate": API_KEY_CHALLENGE}
                )
            g.intake_source = (source.id, source.name)
        return view(*args, **kwargs)

    wrapper = blp.doc(security=API_KEY)(wrapper)
    return blp.alt_response(401, response="UNAUTHORIZED")(wrapper)


def _receipt(result: IntakeResult) -> dict:
    report = result.report
    return {
        "id": report.id,
        "number": report.number,
        "external_id": result.event.external_id,
        "status": report.status.value,
        "category_code": report.category.code,
        "locate_status": report.locate_status,
        "caller_phone": result.caller_phone_masked,
        "suspected_duplicates": result.suspected_duplicates,
        "replayed": result.replayed,
    }


@blp.route("/events", methods=["POST"])
@api_key_required
@blp.arguments(IntakeEventCreateSchema)
@blp.response(201, IntakeReceiptSchema)
@blp.alt_response(200, schema=IntakeReceiptSchema, description="a retry: the first case")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def create_event(draft):
    """Deliver an event: it becomes a case awaiting filing

    Send a `category_code` or the source's own `text` (mapped through the category mappings,
    else 5699 Other), and a `location` or an `address` (geocoded; 422 when it cannot be
    placed, 503 when the geocoder is down). Events placed outside the source's area are
    refused (422). `external_id` makes delivery idempotent: the same event again answers 200
    with the first case; other content under the same id is 409. `caller_phone` is stored and
    only ever shown masked. Cases near an open case of the same category are linked as
    suspected duplicates, whatever their source.
    """
    c = container()
    source_id, _name = g.intake_source
    settings = IntakeSettings(
        locator=c.locator, geocoder=c.geocoder, policy=c.report_policy, hours=c.working_hours
    )
    result = receive_event(
        db(), actor=request_actor(), source_id=source_id, draft=draft, settings=settings
    )
    return _receipt(result), 200 if result.replayed else 201


@blp.route("/events/<string:source>/<string:external_id>")
@api_key_required
@blp.response(200, IntakeEventStatusSchema)
@blp.alt_response(404, response="NOT_FOUND")
def event_status(source: str, external_id: str):
    """What became of one of my events

    Only the source's own events (`source` is its name); others read as not found.
    """
    source_id, _name = g.intake_source
    return get_event_status(
        db(),
        source_id=source_id,
        source_name=source,
        external_id=external_id,
        locale=current_locale(),
    )
