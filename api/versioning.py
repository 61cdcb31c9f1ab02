"""The version a client acted on, for optimistic concurrency on cases: ``If-Match`` (``"3"``,
``W/"3"`` or ``3``) or a ``version`` field in the body."""

from __future__ import annotations

from flask import request

from services.errors import ValidationFailed


def expected_version(body_version: int | None = None) -> int:
    """The If-Match header wins over the body's ``version``; neither is 422."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        token = header.removeprefix("W/").strip().strip('"')
        if token.isdigit() and 0 < len(token) <= 9:
            return int(token)
        raise ValidationFailed(fields={"If-Match": "version_invalid"})
    if body_version is not None:
        return body_version
    raise ValidationFailed(fields={"version": "version_required"})
