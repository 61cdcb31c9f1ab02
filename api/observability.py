"""Request ids in headers and in every log line."""

from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
LOG_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
_installed = False


def _current_request_id() -> str:
    return (g.get("request_id") or "-") if has_request_context() else "-"


def configure_logging(level: str) -> None:
    """Every record, from any logger, carries ``request_id``; one handler prints it."""
    global _installed
    root = logging.getLogger()
    if not _installed:
        base_factory = logging.getLogRecordFactory()

        def factory(*args, **kwargs):
            record = base_factory(*args, **kwargs)
            record.request_id = _current_request_id()
            return record

        logging.setLogRecordFactory(factory)
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
        _installed = True
    root.setLevel(level.upper())
    # Alembic announces its dialect on every revision lookup (each readiness probe): too chatty.
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)


def install_request_id(app: Flask) -> None:
    @app.before_request
    def _assign_request_id() -> None:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        # A client-chosen id is kept only if it is short and plain, so logs cannot be forged.
        g.request_id = offered if _VALID_ID.match(offered) else uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response):
        response.headers[REQUEST_ID_HEADER] = g.get("request_id") or uuid.uuid4().hex
        return response
