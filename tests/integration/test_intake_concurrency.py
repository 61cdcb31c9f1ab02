"""Two simultaneous deliveries of one event make one case; the other answers with it.

Real, separate connections (one per thread) outside the per-test transaction: the rows are
committed, uniquely coded, and deleted afterwards.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from shapely.geometry import box
from sqlalchemy import delete, select

from services.actors import Actor
from services.area_version import bump_area_version
from services.db import make_session_factory
from services.geo.locator_cache import LocatorCache
from services.intake import IntakeDraft, IntakeLocation, IntakeSettings, receive_event
from services.models.areas import Area, AreaLevel
from services.models.audit import AuditEntry
from services.models.catalogue import Category
from services.models.reports import Report, ReportDuplicate, ReportEvent, ReportSource
from services.models.workflow import IntakeEvent, IntakeSource
from services.report_numbers import ReportNumberDay
from tests.catalogue_factories import make_category
from tests.geo_factories import set_shape
from tests.intake_factories import FakeGeocoder

CITY, GRID = "980000", "980000001001001"
DAY = dt.datetime(2099, 1, 5, 3, 0, tzinfo=dt.UTC)  # a day no other test numbers reports on


@pytest.fixture
def committed(engine):
    factory = make_session_factory(engine)
    with factory() as s:
        city = set_shape(
            Area(code=CITY, name="并发市", level=AreaLevel.CITY, path=f"/{CITY}/"),
            box(100.0, 30.0, 100.1, 30.1),
        )
        grid = set_shape(
            Area(
                code=GRID,
                name="并发网格",
                level=AreaLevel.GRID,
                parent=city,
                path=f"/{CITY}/{GRID}/",
            ),
            box(100.0, 30.0, 100.1, 30.1),
        )
        s.add_all([city, grid])
        major = make_category(s, "98")
        minor = make_category(s, "9801")
        source = IntakeSource(
            name=f"race-{uuid.uuid4().hex[:8]}",
            source=ReportSource.HOTLINE,
            key_prefix="ogk_race0000",
            key_hash="0" * 64,
            area_id=city.id,
        )
        s.add_all([minor, source])
        bump_area_version(s)
        s.commit()
        ids = {"city": city.id, "grid": grid.id, "major": major.id, "minor": minor.id}
        ids["source"] = source.id
    try:
        yield {"factory": factory, **ids}
    finally:
        with factory() as s:
            reports = select(Report.id).where(Report.category_id == ids["minor"])
            s.execute(
                delete(AuditEntry)
                .where(AuditEntry.object_type == "report")
                .where(AuditEntry.object_id.in_([str(r) for r in s.scalars(reports)]))
            )
            s.execute(delete(IntakeEvent).where(IntakeEvent.source_id == ids["source"]))
            s.execute(delete(ReportEvent).where(ReportEvent.report_id.in_(reports)))
            s.execute(delete(ReportDuplicate).where(ReportDuplicate.report_id.in_(reports)))
            s.execute(delete(Report).where(Report.category_id == ids["minor"]))
            s.execute(delete(IntakeSource).where(IntakeSource.id == ids["source"]))
            s.execute(delete(ReportNumberDay).where(ReportNumberDay.day == dt.date(2099, 1, 5)))
            s.execute(delete(Category).where(Category.id == ids["minor"]))
            s.execute(delete(Category).where(Category.id == ids["major"]))
            s.execute(delete(Area).where(Area.id == ids["grid"]))
            s.execute(delete(Area).where(Area.id == ids["city"]))
            bump_area_version(s)
            s.commit()


def test_two_deliveries_at_once_make_one_case(committed):
    draft = IntakeDraft(
        external_id="race-1",
        description="同一事件重复推送",
        category_code="9801",
        location=IntakeLocation(lat=30.05, lng=100.05),
    )
    settings = IntakeSettings(locator=LocatorCache(max_distance_m=0), geocoder=FakeGeocoder())
    barrier = threading.Barrier(2)
    results, errors = [], []

    def deliver():
        with committed["factory"]() as session:
            barrier.wait()
            try:
                results.append(
                    receive_event(
                        session,
                        actor=Actor.anonymous(),
                        source_id=committed["source"],
                        draft=draft,
                        settings=settings,
                        now=DAY,
                    )
                )
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(r.replayed for r in results) == [False, True]
    assert len({r.report.id for r in results}) == 1
    with committed["factory"]() as s:
        made = s.scalars(select(Report).where(Report.category_id == committed["minor"])).all()
        assert len(made) == 1 and made[0].grid_id == committed["grid"]
