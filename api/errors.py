"""One JSON error shape for every failure, with messages in the caller's language."""

from __future__ import annotations

import logging
import math
import time
from http import HTTPStatus

import marshmallow as ma
from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from api.context import EXTENSION, request_id
from api.i18n import current_locale, message, translate_field_messages
from services import errors as domain
from services.messages import render

logger = logging.getLogger(__name__)

STATUS_OF: list[tuple[type[domain.DomainError], int]] = [
    (domain.NotFound, 404),
    (domain.PermissionDenied, 403),
    (domain.AuthenticationFailed, 401),
    (domain.AccountLocked, 423),
    (domain.InvalidTransition, 409),
    (domain.Conflict, 409),
    (domain.ValidationFailed, 422),
    (domain.PayloadTooLarge, 413),
    (domain.UnsupportedMedia, 415),
    (domain.RateLimited, 429),
    (domain.ServiceUnavailable, 503),
]

_HTTP_MESSAGE_KEYS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "permission_denied",
    404: "route_not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media",
    422: "validation_failed",
    429: "rate_limited",
}


class ErrorSchema(ma.Schema):
    """The body of every error response."""

    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status code"})
    status = ma.fields.String(required=True, metadata={"description": "HTTP status name"})
    message = ma.fields.String(required=True, metadata={"description": "Human-readable message"})
    errors = ma.fields.Dict(
        metadata={"description": "Per-location, per-field messages (validation errors)"}
    )
    request_id = ma.fields.String(metadata={"description": "Quote this when reporting a problem"})
    retry_after = ma.fields.Integer(metadata={"description": "Seconds to wait before retrying"})
    current = ma.fields.Dict(
        metadata={
            "description": "409 on a case: its current state (status, version), so the client "
            "can show what happened meanwhile"
        }
    )


def error_response(
    status: int, message_text: str, *, errors=None, retry_after=None, headers=None, current=None
):
    body = {
        "code": status,
        "status": HTTPStatus(status).phrase,
        "message": message_text,
        "request_id": request_id(),
    }
    if errors:
        body["errors"] = errors
    if current:
        body["current"] = current
    if retry_after is not None:
        body["retry_after"] = int(retry_after)
        headers = {**(headers or {}), "Retry-After": str(int(retry_after))}
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _domain_status(exc: domain.DomainError) -> int:
    return next((code for cls, code in STATUS_OF if isinstance(exc, cls)), 400)


def handle_domain_error(exc: domain.DomainError):
    locale = current_locale()
    status = _domain_status(exc)
    errors = None
    if exc.fields:
        errors = {"json": {f: [render(k, locale, **exc.params)] for f, k in exc.fields.items()}}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return error_response(
        status,
        render(exc.key, locale, retry_after=exc.retry_after, **exc.params),
        errors=errors,
        retry_after=exc.retry_after,
        headers=headers,
        current=exc.details.get("current"),
    )


def handle_http_exception(exc: HTTPException):
    status = exc.code or 500
    locale = current_locale()
    data = getattr(exc, "data", None) or {}
    errors = data.get("messages") or data.get("errors")
    if errors is not None:
        errors = _encodable(translate_field_messages(errors, locale))
    retry_after = None
    if status == 429:
        retry_after = _limiter_retry_after()
    params = {"method": request.method, "retry_after": retry_after}
    if isinstance(exc, RequestEntityTooLarge):
        params["limit"] = request.max_content_length  # a view may set its own limit
    key = _HTTP_MESSAGE_KEYS.get(status)
    text = message(key, **params) if key else (exc.description or exc.name)
    headers = dict(data.get("headers") or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    valid_methods = getattr(exc, "valid_methods", None)
    if status == 405 and valid_methods:
        headers["Allow"] = ", ".join(valid_methods)
    return error_response(status, text, errors=errors, retry_after=retry_after, headers=headers)


def _encodable(value: object) -> object:
    """Validation errors echo the client's field names, which may hold lone surrogates
    (``{"\\ud800": 1}``); escape them so the response can still be encoded as UTF-8."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encodable(v) for v in value]
    return value


def _limiter_retry_after() -> int:
    """Seconds until the breached limit's window resets (the limiter knows; 60 if it does not)."""
    limiter = current_app.extensions[EXTENSION].limiter
    current = limiter.current_limit if limiter is not None else None
    if current is None:
        return 60
    # reset_at is rounded up to the next whole second; never promise more than one window.
    remaining = math.ceil(current.reset_at - time.time())
    return max(1, min(remaining, int(current.limit.get_expiry())))


def handle_unexpected(exc: Exception):
    logger.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, message("internal_error", request_id=request_id()))


def install_error_handlers(app: Flask) -> None:
    app.register_error_handler(domain.DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
