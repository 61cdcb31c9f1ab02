"""Report numbers, idempotent retries and support under real concurrency (separate connections).

The rows are committed while a test runs (uniquely coded; a day far in the future for the
numbers) and deleted afterwards.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import delete, select

from services.actors import Actor
from services.db import make_session_factory
from services.errors import DomainError
from services.geo.locator_cache import LocatorCache
from services.models.accounts import Role, User, UserRole
from services.models.audit import AuditEntry
from services.models.catalogue import Category
from services.models.media import MediaFile
from services.models.reports import (
    IdempotencyRecord,
    Report,
    ReportDuplicate,
    ReportEvent,
    ReportNumberDay,
    ReportSupporter,
)
from services.report_numbers import format_report_number, next_report_number
from services.report_support import support_report
from services.reports import LocationIn, ReportDraft, ReportSettings, submit_report
from tests.catalogue_factories import make_category
from tests.report_factories import make_media

THREADS = 8
DAY = dt.date(2031, 3, 4)
NOW = dt.datetime(2031, 3, 4, 4, 0, tzinfo=dt.UTC)  # 12:00 in Shanghai


@pytest.fixture
def committed(engine) -> Iterator[dict]:
    factory = make_session_factory(engine)
    with factory() as s:
        make_category(s, "97")
        make_category(s, "9701")
        users = []
        for n in range(THREADS + 1):
            user = User(phone=f"+8613700{uuid.uuid4().int % 10**6:06d}", display_name=f"居民{n}")
            user.set_roles({Role.RESIDENT})
            s.add(user)
            users.append(user)
        s.flush()
        media = [make_media(s, users[0]) for _ in range(THREADS)]
        s.commit()
        ids = {"users": [u.id for u in users], "media": [m.id for m in media]}
    try:
        yield {"factory": factory, **ids}
    finally:
        _cleanup(factory, ids["users"])


def _cleanup(factory, users: list[uuid.UUID]) -> None:
    with factory() as s:
        reports = select(Report.id).where(Report.reporter_id.in_(users))
        s.execute(delete(ReportDuplicate).where(ReportDuplicate.report_id.in_(reports)))
        s.execute(delete(ReportSupporter).where(ReportSupporter.report_id.in_(reports)))
        s.execute(delete(ReportEvent).where(ReportEvent.report_id.in_(reports)))
        s.execute(delete(MediaFile).where(MediaFile.uploader_id.in_(users)))
        s.execute(delete(IdempotencyRecord).where(IdempotencyRecord.user_id.in_(users)))
        s.execute(delete(AuditEntry).where(AuditEntry.actor_id.in_(users)))
        s.execute(delete(Report).where(Report.reporter_id.in_(users)))
        s.execute(delete(ReportNumberDay).where(ReportNumberDay.day == DAY))
        s.execute(delete(Category).where(Category.code == "9701"))
        s.execute(delete(Category).where(Category.code == "97"))
        s.execute(delete(UserRole).where(UserRole.user_id.in_(users)))
        s.execute(delete(User).where(User.id.in_(users)))
        s.commit()


def _race(factory, calls: list[Callable]) -> list[object]:
    """Run each call in its own thread and session at the same moment; returns the outcomes."""
    start = threading.Barrier(len(calls), timeout=30)
    outcomes: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        with factory() as s:
            start.wait()
            try:
                outcomes[i] = calls[i](s)
            except DomainError as exc:
                outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def _actor(factory, user_id: uuid.UUID) -> Actor:
    with factory() as s:
        return Actor.for_user(s.get(User, user_id))


def _submit(actor: Actor, media_id: uuid.UUID, key: str | None = None):
    draft = ReportDraft(
        description="并发测试",
        media_ids=[media_id],
        category_code="9701",
        location=LocationIn(lat=39.9, lng=116.4),
    )
    settings = ReportSettings(locator=LocatorCache())
    return lambda s: submit_report(
        s, actor=actor, draft=draft, settings=settings, idempotency_key=key, now=NOW
    )


def test_simultaneous_reports_get_numbers_one_to_n_without_gaps(committed):
    factory = committed["factory"]
    actor = _actor(factory, committed["users"][0])
    outcomes = _race(factory, [_submit(actor, m) for m in committed["media"]])
    numbers = sorted(o.report.number for o in outcomes)
    assert numbers == [format_report_number(DAY, n) for n in range(1, THREADS + 1)]


def test_simultaneous_identical_retries_make_one_report(committed):
    factory = committed["factory"]
    actor = _actor(factory, committed["users"][0])
    media_id = committed["media"][0]
    outcomes = _race(factory, [_submit(actor, media_id, key="same") for _ in range(THREADS)])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert len({o.report.id for o in outcomes}) == 1
    assert sum(not o.replayed for o in outcomes) == 1
    with factory() as s:
        assert (
            len(s.scalars(select(Report.id).where(Report.reporter_id == actor.user_id)).all()) == 1
        )


def test_simultaneous_support_counts_each_person_once(committed):
    factory = committed["factory"]
    reporter = _actor(factory, committed["users"][0])
    with factory() as s:
        report_id = _submit(reporter, committed["media"][0])(s).report.id
    supporters = [_actor(factory, u) for u in committed["users"][1:]]

    def supports(actor):
        return lambda s: support_report(s, actor=actor, report_id=report_id)

    # Everyone at once, then the first supporter several times at once.
    _race(factory, [supports(a) for a in supporters])
    _race(factory, [supports(supporters[0]) for _ in range(4)])
    with factory() as s:
        assert s.get(Report, report_id).supporters_count == len(supporters)
        rows = s.scalars(select(ReportSupporter).where(ReportSupporter.report_id == report_id))
        assert len(rows.all()) == len(supporters)


def test_numbers_widen_after_9999_a_day(session):
    session.add(ReportNumberDay(day=dt.date(2032, 1, 1), last=9999))
    session.flush()
    assert next_report_number(session, dt.datetime(2032, 1, 1, 1, tzinfo=dt.UTC)) == "2032010110000"


def test_the_day_is_the_shanghai_day(session):
    late_utc = dt.datetime(2032, 2, 1, 17, 30, tzinfo=dt.UTC)  # 01:30 on 2 February in Shanghai
    assert next_report_number(session, late_utc) == "203202020001"


def test_two_reports_racing_for_one_photo_make_one_report_and_one_conflict(committed):
    factory = committed["factory"]
    actor = _actor(factory, committed["users"][0])
    media_id = committed["media"][0]
    outcomes = _race(factory, [_submit(actor, media_id, key=f"k{n}") for n in range(2)])
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "SubmittedReport"]
    with factory() as s:
        assert (
            len(s.scalars(select(Report.id).where(Report.reporter_id == actor.user_id)).all()) == 1
        )
        # The loser's number was given back: the day's counter stands at one.
        assert s.get(ReportNumberDay, DAY).last == 1
