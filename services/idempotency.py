"""Idempotent creation: a phone's retry with the same ``Idempotency-Key`` gets the first result.

A key belongs to one user and one scope (``report.create`` …). The first request stores the key
with a hash of its arguments in the transaction that creates the object, before anything else
is written; a retry with the same arguments is answered with the object created first, a retry
with other arguments is refused (409). Two identical requests at the same moment: the second
insert of the key waits for the first transaction and then fails on the unique constraint, and
the loser answers with the winner's object. Records older than a day may be purged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.errors import Conflict
from services.models.reports import IdempotencyRecord

T = TypeVar("T")
KEEP = dt.timedelta(hours=24)


def request_hash(arguments: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the loaded arguments (sorted keys, no spaces), so the
    same body in another key order or spacing is the same request."""
    canonical = json.dumps(
        arguments, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _find(session: Session, user_id: uuid.UUID, scope: str, key: str) -> IdempotencyRecord | None:
    return session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id,
            IdempotencyRecord.scope == scope,
            IdempotencyRecord.key == key,
        )
    )


def _replay(record: IdempotencyRecord, digest: str, load: Callable[[uuid.UUID], T]) -> T:
    if record.request_hash != digest or record.result_id is None:
        raise Conflict("idempotency_key_reused")
    return load(record.result_id)


def run_once(
    session: Session,
    *,
    user_id: uuid.UUID,
    scope: str,
    key: str | None,
    arguments: Mapping[str, Any],
    create: Callable[[IdempotencyRecord | None], T],
    load: Callable[[uuid.UUID], T],
    before_create: Callable[[], None] | None = None,
) -> tuple[T, bool]:
    """``create(record)`` once per key; returns its result and whether it was a replay.

    ``create`` must set ``record.result_id`` (when a record is given) and commit; ``load``
    returns an earlier result by its id. ``before_create`` runs checks that only a new request
    must pass (rate limits): a replay is not a new request.
    """
    if key is None:
        if before_create is not None:
            before_create()
        return create(None), False
    digest = request_hash(arguments)
    found = _find(session, user_id, scope, key)
    if found is not None:
        return _replay(found, digest, load), True
    if before_create is not None:
        before_create()
    record = IdempotencyRecord(user_id=user_id, scope=scope, key=key, request_hash=digest)
    try:
        session.add(record)
        session.flush()
    except IntegrityError:
        # The same key was stored by a request that committed while we waited for the insert.
        session.rollback()
        found = _find(session, user_id, scope, key)
        if found is None:
            raise Conflict("idempotency_key_reused") from None
        return _replay(found, digest, load), True
    return create(record), False


def purge_idempotency(session: Session, now: dt.datetime, *, keep: dt.timedelta = KEEP) -> int:
    """Forget keys older than ``keep`` (a day): retries come within minutes. Returns how many."""
    result = session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - keep)
    )
    session.commit()
    return result.rowcount or 0
