"""Per-address rate limits on the sign-in endpoints (flask-limiter; memory or Redis storage).

Routes mark themselves with ``@rate_limited(kind)``; ``install_rate_limits`` gives each app its
own limiter and wraps the marked views, so nothing about limits lives at module level.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask_limiter import Limiter

from api.config import Config
from api.context import client_ip

_MARK = "_onegrid_rate_limit"


def rate_limited(kind: str) -> Callable:
    """Mark a view for the ``kind`` limit ("login" or "otp"); place it right under the route."""

    def mark(view: Callable) -> Callable:
        setattr(view, _MARK, kind)
        return view

    return mark


def install_rate_limits(app: Flask, config: Config) -> Limiter:
    limiter = Limiter(
        key_func=lambda: client_ip() or "unknown",
        app=app,
        storage_uri=config.ratelimit_storage_uri,
        enabled=config.ratelimit_enabled,
        # The error handler sets Retry-After on 429s; no rate headers on ordinary responses.
        headers_enabled=False,
        key_prefix="onegrid",
    )
    limits = {"login": config.login_rate_limit, "otp": config.otp_rate_limit}
    for endpoint, view in list(app.view_functions.items()):
        kind = getattr(view, _MARK, None)
        if kind is not None:
            app.view_functions[endpoint] = limiter.limit(limits[kind])(view)
    return limiter
