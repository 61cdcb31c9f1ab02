"""The decorators every versioned case action shares: POST route, bearer auth, the If-Match
header and the JSON body, the answer, and the documented 404/409/422."""

from __future__ import annotations

from collections.abc import Callable

from flask_smorest import Blueprint

from api.auth import auth_required
from api.resources.cases.schemas import CaseStateSchema, IfMatchHeaderSchema


def case_action(
    blp: Blueprint, route: str, body_schema, response_schema=CaseStateSchema, status: int = 200
) -> Callable:
    def decorate(view: Callable) -> Callable:
        for decorator in reversed(
            (
                blp.route(route, methods=["POST"]),
                auth_required(blp),
                blp.arguments(IfMatchHeaderSchema(), location="headers"),
                blp.arguments(body_schema()),
                blp.response(status, response_schema),
                blp.alt_response(404, response="NOT_FOUND"),
                blp.alt_response(409, response="CONFLICT"),
                blp.alt_response(422, response="UNPROCESSABLE_ENTITY"),
            )
        ):
            view = decorator(view)
        return view

    return decorate
