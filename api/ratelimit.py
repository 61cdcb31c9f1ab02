"""Per-address rate limits on the sign-in endpoints (flask-limiter; memory or Redis storage)."""

from __future__ import annotations

from flask import current_app
from flask_limiter import Limiter

from api.context import client_ip

# The Flask extension pattern: created unbound, attached to each app in create_app.
limiter = Limiter(key_func=lambda: client_ip() or "unknown", headers_enabled=True)


def login_limit() -> str:
    return current_app.config["ONEGRID"].login_rate_limit


def otp_limit() -> str:
    return current_app.config["ONEGRID"].otp_rate_limit
