"""Request bodies are JSON unless a route says otherwise: anything else is refused with 415."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from werkzeug.exceptions import UnsupportedMediaType

_MARK = "_onegrid_accepts"
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def accepts(*mimetypes: str) -> Callable:
    """Mark a view that takes bodies other than JSON (e.g. multipart uploads)."""

    def mark(view: Callable) -> Callable:
        setattr(view, _MARK, frozenset(mimetypes))
        return view

    return mark


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


def install_content_type_check(app: Flask) -> None:
    @app.before_request
    def _refuse_unexpected_bodies() -> None:
        has_body = bool(request.content_length) or "chunked" in request.headers.get(
            "Transfer-Encoding", ""
        )
        if request.method not in _BODY_METHODS or not has_body or request.endpoint is None:
            return
        view = current_app.view_functions.get(request.endpoint)
        allowed = getattr(view, _MARK, frozenset())
        if not _is_json(request.mimetype) and request.mimetype not in allowed:
            raise UnsupportedMediaType()
