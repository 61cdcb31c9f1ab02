"""Periodic jobs the worker runs (``onegrid worker``, or a thread of ``onegrid run``).

A job is a name, an interval and a function of (session factory, now). Each run opens its own
sessions and commits its own work, so a job stopped halfway leaves nothing half-done behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from services.idempotency import purge_idempotency
from services.media_gc import collect_garbage
from services.policies import MediaPolicy
from services.ports import MediaStore
from services.sla import scan_overdue


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    run: Callable[[sessionmaker[Session], dt.datetime], object]  # returns a summary to log


def media_gc_job(*, store: MediaStore, policy: MediaPolicy) -> PeriodicJob:
    """Unattached uploads, expired originals and orphan files, every hour."""

    def run(session_factory: sessionmaker[Session], now: dt.datetime) -> object:
        with session_factory() as session:
            return collect_garbage(session, store=store, policy=policy, now=now).counts

    return PeriodicJob(name="media-gc", every=dt.timedelta(hours=1), run=run)


def idempotency_purge_job() -> PeriodicJob:
    """Idempotency keys older than a day (phones retry within minutes), every hour."""

    def run(session_factory: sessionmaker[Session], now: dt.datetime) -> object:
        with session_factory() as session:
            return {"purged": purge_idempotency(session, now)}

    return PeriodicJob(name="idempotency-purge", every=dt.timedelta(hours=1), run=run)


def sla_scan_job() -> PeriodicJob:
    """Flag the cases past their filing or disposal deadline, every five minutes."""

    def run(session_factory: sessionmaker[Session], now: dt.datetime) -> object:
        with session_factory() as session:
            return scan_overdue(session, now=now).as_dict()

    return PeriodicJob(name="sla-scan", every=dt.timedelta(minutes=5), run=run)


def periodic_jobs(*, store: MediaStore, policy: MediaPolicy) -> list[PeriodicJob]:
    """Every periodic job of the platform."""
    return [media_gc_job(store=store, policy=policy), idempotency_purge_job(), sla_scan_job()]
