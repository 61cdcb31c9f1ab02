"""External intake sources (12345 hotline, 110, digital city …) and their API keys.

A key is shown once, when it is made: ``ogk_`` and 43 URL-safe characters (32 random bytes).
Stored are its first 12 characters (to find the row and to show admins which key is which) and
its keyed SHA-256 (HMAC with the app secret): a copy of the table alone opens nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.authz import Action, Target, can, require, require_some, scope_clause
from services.errors import AuthenticationFailed, Conflict, NotFound, ValidationFailed
from services.models.areas import Area
from services.models.reports import ReportSource
from services.models.workflow import IntakeSource
from services.queries.areas import find_area_by_code

KEY_PREFIX = "ogk_"
KEY_BYTES = 32
SHOWN_PREFIX_LENGTH = 12
INTAKE_SOURCES = (
    ReportSource.HOTLINE,
    ReportSource.POLICE_110,
    ReportSource.DIGITAL_CITY,
    ReportSource.OTHER,
)
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{1,31}")
_KEY = re.compile(re.escape(KEY_PREFIX) + r"[A-Za-z0-9_-]{43}")


def hash_key(key_secret: bytes, api_key: str) -> str:
    return hmac.new(key_secret, api_key.encode(), hashlib.sha256).hexdigest()


def _new_key(key_secret: bytes) -> tuple[str, str, str]:
    """(key, shown prefix, hash)."""
    key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    return key, key[:SHOWN_PREFIX_LENGTH], hash_key(key_secret, key)


def authenticate_source(
    session: Session, *, api_key: str | None, key_secret: bytes
) -> IntakeSource:
    """The active source holding ``api_key``; anything else is 401 (missing, malformed,
    unknown, rotated away or inactive all read the same but for a missing header)."""
    if not api_key:
        raise AuthenticationFailed("api_key_missing")
    if not _KEY.fullmatch(api_key):
        raise AuthenticationFailed("api_key_invalid")
    digest = hash_key(key_secret, api_key)
    candidates = session.scalars(
        select(IntakeSource).where(IntakeSource.key_prefix == api_key[:SHOWN_PREFIX_LENGTH])
    ).all()
    for source in candidates:
        if hmac.compare_digest(source.key_hash, digest) and source.active:
            return source
    raise AuthenticationFailed("api_key_invalid")


def _area(session: Session, area_code: str) -> Area:
    area = find_area_by_code(session, area_code)
    if area is None or not area.active:
        raise ValidationFailed(fields={"area_code": "intake_area_unknown"})
    return area


def _summary(source: IntakeSource, area: Area) -> dict:
    return {
        "name": source.name,
        "source": source.source.value,
        "area": area.code,
        "key_prefix": source.key_prefix,
        "active": source.active,
    }


def create_source(
    session: Session,
    *,
    actor: Actor,
    name: str,
    source: ReportSource | str,
    area_code: str,
    key_secret: bytes,
) -> tuple[IntakeSource, Area, str]:
    """A new active source and its API key (returned here once, never stored in clear)."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValidationFailed(fields={"name": "intake_source_name_invalid"})
    if source not in {s.value for s in INTAKE_SOURCES}:
        raise ValidationFailed(fields={"source": "intake_source_kind_invalid"})
    area = _area(session, area_code)
    require(actor, Action.AREA_MANAGE, Target(area_path=area.path))
    if session.scalar(select(IntakeSource.id).where(IntakeSource.name == name)) is not None:
        raise Conflict("intake_source_name_taken", fields={"name": "intake_source_name_taken"})
    key, prefix, digest = _new_key(key_secret)
    row = IntakeSource(
        name=name, source=ReportSource(source), key_prefix=prefix, key_hash=digest, area_id=area.id
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "intake_source.created",
        object_type="intake_source",
        object_id=row.id,
        area_path=area.path,
        after=_summary(row, area),
    )
    session.commit()
    return row, area, key


def list_sources(session: Session, actor: Actor) -> list[tuple[IntakeSource, Area]]:
    """The sources whose area the actor administers, by name."""
    require_some(actor, Action.AREA_MANAGE)
    rows = session.execute(
        select(IntakeSource, Area)
        .join(Area, Area.id == IntakeSource.area_id)
        .where(scope_clause(actor, Action.AREA_MANAGE, area_paths=(Area.path,)))
        .order_by(IntakeSource.name)
    ).all()
    return [(row[0], row[1]) for row in rows]


def get_source_for(
    session: Session, actor: Actor, source_id: uuid.UUID
) -> tuple[IntakeSource, Area]:
    """A source the actor administers (others read as missing)."""
    row = session.execute(
        select(IntakeSource, Area)
        .join(Area, Area.id == IntakeSource.area_id)
        .where(IntakeSource.id == source_id)
    ).first()
    if row is None or not can(actor, Action.AREA_MANAGE, Target(area_path=row[1].path)):
        raise NotFound(what="intake_source")
    return row[0], row[1]


def rotate_key(
    session: Session, *, actor: Actor, source_id: uuid.UUID, key_secret: bytes
) -> tuple[IntakeSource, Area, str]:
    """Replace the source's key: the old one stops working at once."""
    source, area = get_source_for(session, actor, source_id)
    before = source.key_prefix
    key, source.key_prefix, source.key_hash = _new_key(key_secret)
    audit.record(
        session,
        actor,
        "intake_source.key_rotated",
        object_type="intake_source",
        object_id=source.id,
        area_path=area.path,
        before={"key_prefix": before},
        after={"key_prefix": source.key_prefix},
    )
    session.commit()
    return source, area, key


def deactivate_source(
    session: Session, *, actor: Actor, source_id: uuid.UUID
) -> tuple[IntakeSource, Area]:
    """Stop accepting the source's events; its past events and cases stay."""
    source, area = get_source_for(session, actor, source_id)
    if source.active:
        source.active = False
        audit.record(
            session,
            actor,
            "intake_source.deactivated",
            object_type="intake_source",
            object_id=source.id,
            area_path=area.path,
            before={"active": True},
            after={"active": False},
        )
    session.commit()
    return source, area


def source_id_by_name(session: Session, name: str) -> uuid.UUID:
    found = session.scalar(select(IntakeSource.id).where(IntakeSource.name == name))
    if found is None:
        raise NotFound(what="intake_source")
    return found
