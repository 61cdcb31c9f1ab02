"""Bearer-token authentication for routes, and its documentation in OpenAPI."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import g, request

from api.context import SAFE_METHODS, client_ip, container, db, request_id
from services import accounts
from services.actors import Actor
from services.errors import AuthenticationFailed, PermissionDenied
from services.models.accounts import Role

BEARER = [{"bearerAuth": []}]
SECURITY_SCHEME = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("unauthenticated")
    return token.strip()


def load_actor() -> Actor:
    """Authenticate the request: a live session of an active user, or 401.

    Requests that only read authenticate in their own (read-only) session. Requests that write
    authenticate in a separate read-only session, closed at once: on SQLite a write
    transaction holds the database's write lock from its first statement, which must not be
    taken while a body (a photo from a phone on a weak network) is still streaming in.
    """
    token = _bearer_token()
    c = container()
    if request.method in SAFE_METHODS:
        g.actor, g.session_id = accounts.authenticate(
            db(), auth=c.auth, token=token, request_id=request_id(), ip=client_ip()
        )
        return g.actor
    with c.read_session_factory() as session:
        g.actor, g.session_id = accounts.authenticate(
            session, auth=c.auth, token=token, request_id=request_id(), ip=client_ip()
        )
    return g.actor


def auth_required(blp, *roles: Role) -> Callable:
    """Route decorator (place it right under ``@blp.route``): authenticate, optionally require a
    role, and document the bearer scheme with its 401/403 responses.

    Finer checks (area, department, ownership) happen in services, where the objects are.
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            actor = load_actor()
            if roles and not (actor.roles & set(roles)):
                raise PermissionDenied()
            return view(*args, **kwargs)

        wrapper = blp.doc(security=BEARER)(wrapper)
        wrapper = blp.alt_response(401, response="UNAUTHORIZED")(wrapper)
        return blp.alt_response(403, response="FORBIDDEN")(wrapper)

    return decorator
