"""A million cases in PostgreSQL: the staff list and the statistics, without and with indexes.

Creates (and at the end drops) the database of ``ONEGRID_BENCH_DATABASE_URL`` (default
postgresql+psycopg://postgres@127.0.0.1:5432/onegrid_bench), migrates it, makes a city of
5 districts × 4 streets × 5 communities × 10 grids (1,000 grids), 20 categories and
8 departments, then COPYs ``BENCH_CASES`` cases (default 1,000,000) spread over the past year,
in creation order, with a realistic mix of states (mostly closed), sources, overdue flags, rework
and self-resolution. Then, in-process through the Flask test client as a city administrator:

- ``GET /api/v1/reports?area=<district>&status=<s>&created_from=<month>&created_to=<month+1>``
  (sorted by -created_at, page 1 of 20, with its total);
- ``GET /api/v1/stats/cases?area=<district>&from=<month>&to=<month+1>``;

each ``BENCH_REPEATS`` times (default 30) over rotating districts, months and statuses, and
prints the median and 90th percentile in three set-ups: (a) no secondary index on ``reports``,
(b) the indexes of migrations up to 0004, (c) all of them, 0005 included. Targets: 25 ms and
200 ms medians.

    BENCH_CASES=100000 .venv/bin/python bench/bench_cases.py
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from sqlalchemy import select

from api.app import create_app
from api.config import Config
from services import migrate
from services.models.accounts import Role
from services.models.areas import Area, AreaLevel
from services.models.catalogue import Category
from tests.catalogue_factories import make_category
from tests.factories import FAST_HASHER, PASSWORD, make_area, make_department, make_user

URL = os.environ.get(
    "ONEGRID_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/onegrid_bench"
)
CASES = int(os.environ.get("BENCH_CASES", 1_000_000))
REPEATS = int(os.environ.get("BENCH_REPEATS", 30))
KEEP = os.environ.get("BENCH_KEEP") == "1"  # keep the database afterwards
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# Indexes of migration 0005 (the rest are those of earlier migrations).
NEW_INDEXES = (
    "ix_reports_status_created_path",
    "ix_reports_created_path",
    "ix_reports_open_overdue",
    "ix_reports_filing_unflagged",
    "ix_reports_disposal_unflagged",
)
KEEP_INDEXES = ("pk_reports", "uq_reports_number")

STATUS_MIX = [  # (status, weight) of cases older than a month; recent ones are more open
    ("closed", 80), ("rejected", 5), ("merged", 3), ("in_progress", 4), ("dispatched", 3),
    ("filed", 2), ("reported", 2), ("resolved", 1),
]  # fmt: skip
SOURCE_MIX = [("mini_program", 60), ("patrol", 25), ("hotline", 10), ("digital_city", 5)]


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    base, _, name = _libpq(url).rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def build_world(app) -> dict:
    container = app.extensions["onegrid"]
    migrate.upgrade(container.engine)
    with container.session_factory() as session:
        city = make_area(session, "321300", name="宿迁市")
        city.level = AreaLevel.CITY
        for d in range(5):
            district = make_area(session, f"3213{d + 2:02d}", parent=city, name=f"区{d + 1}")
            for s in range(4):
                street = make_area(session, f"{district.code}{s + 1:03d}", parent=district)
                for c in range(5):
                    community = make_area(session, f"{street.code}{c + 1:03d}", parent=street)
                    for g in range(10):
                        make_area(session, f"{community.code}{g + 1:03d}", parent=community)
        for major in range(51, 55):
            make_category(session, f"{major}")
            for minor in range(1, 6):
                make_category(session, f"{major}{minor:02d}")
        departments = [make_department(session, f"DEPT{k}", area=city) for k in range(8)]
        admin = make_user(session, role=Role.ADMIN, area=city, username="bench_admin")
        grids = session.execute(
            select(Area.id, Area.path).where(Area.level == AreaLevel.GRID).order_by(Area.code)
        ).all()
        minors = session.scalars(select(Category.id).where(Category.parent_id.is_not(None))).all()
        districts = session.scalars(
            select(Area.code).where(Area.level == AreaLevel.DISTRICT).order_by(Area.code)
        ).all()
        session.commit()
        return {
            "grids": [(gid, path) for gid, path in grids],
            "categories": list(minors),
            "departments": [d.id for d in departments],
            "districts": list(districts),
            "admin": admin.username,
        }


COLUMNS = (
    "id", "created_at", "updated_at", "number", "status", "source", "category_id", "urgency",
    "description", "lng", "lat", "coord_input", "location_source", "location_mismatch",
    "grid_id", "area_id", "area_path", "locate_status", "department_id", "anonymous",
    "supporters_count", "filing_due_at", "disposal_due_at", "overdue", "closed_at", "version",
    "rework_count", "reopen_count", "self_resolved",
)  # fmt: skip


def _pick(rng: random.Random, mix: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


def case_rows(world: dict, count: int, rng: random.Random):
    """``count`` cases over the year before NOW, oldest first (as they would be inserted)."""
    start = NOW - dt.timedelta(days=365)
    span = (NOW - start).total_seconds()
    offsets = sorted(rng.random() * span for _ in range(count))
    per_day: dict[str, int] = {}
    for offset in offsets:
        created = start + dt.timedelta(seconds=offset)
        day = created.astimezone(SHANGHAI).strftime("%Y%m%d")
        per_day[day] = per_day.get(day, 0) + 1
        recent = NOW - created < dt.timedelta(days=30)
        status = _pick(rng, STATUS_MIX) if not recent or rng.random() < 0.5 else "in_progress"
        grid_id, path = world["grids"][rng.randrange(len(world["grids"]))]
        source = _pick(rng, SOURCE_MIX)
        self_resolved = source == "patrol" and status == "closed" and rng.random() < 0.4
        dispatched = status in ("dispatched", "in_progress", "resolved", "closed")
        department = rng.choice(world["departments"]) if dispatched and not self_resolved else None
        disposal_due = created + dt.timedelta(days=rng.choice((3, 5, 10))) if dispatched else None
        closed = (
            created + dt.timedelta(hours=rng.expovariate(1 / 60)) if status == "closed" else None
        )
        open_ = status not in ("closed", "rejected", "merged")
        overdue = bool(open_ and disposal_due and disposal_due < NOW) or rng.random() < 0.03
        yield (
            uuid.uuid4(), created, closed or created, f"{day}{per_day[day]:04d}", status, source,
            rng.choice(world["categories"]), "normal", "路灯不亮，晚上看不清路",
            118.28 + rng.random() / 10, 33.95 + rng.random() / 10, "gcj02", "device", False,
            grid_id, grid_id, path, "inside", department, False, rng.randrange(3),
            created + dt.timedelta(hours=24), disposal_due, overdue, closed, 1,
            1 if closed and rng.random() < 0.06 else 0, 0, self_resolved,
        )  # fmt: skip


def copy_cases(world: dict, count: int) -> float:
    started = time.perf_counter()
    with psycopg.connect(_libpq(URL)) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY reports ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in case_rows(world, count, random.Random(5)):
                copy.write_row(row)
        conn.commit()
    return time.perf_counter() - started


def _sql(statement: str) -> None:
    with psycopg.connect(_libpq(URL), autocommit=True) as conn:
        conn.execute(statement)


def index_definitions() -> dict[str, str]:
    with psycopg.connect(_libpq(URL)) as conn:
        rows = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reports'"
        ).fetchall()
    return {name: sql for name, sql in rows if name not in KEEP_INDEXES}


def set_indexes(definitions: dict[str, str], wanted: set[str]) -> None:
    with psycopg.connect(_libpq(URL), autocommit=True) as conn:
        present = {
            name
            for (name,) in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'reports'"
            )
        }
        for name, sql in definitions.items():
            if name in present and name not in wanted:
                conn.execute(f'DROP INDEX "{name}"')
            elif name in wanted and name not in present:
                conn.execute(sql)
        conn.execute("VACUUM ANALYZE reports")


def _months() -> list[tuple[str, str]]:
    out = []
    for back in range(1, 7):
        first = (NOW.astimezone(SHANGHAI).replace(day=1) - dt.timedelta(days=28 * back)).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        following = (first + dt.timedelta(days=32)).replace(day=1)
        out.append((first.isoformat(), following.isoformat()))
    return out


def measure(client, headers: dict, world: dict) -> dict[str, list[float]]:
    months, districts = _months(), world["districts"]
    statuses = ("closed", "in_progress", "dispatched", "reported")
    timings: dict[str, list[float]] = {"list": [], "stats": []}
    for k in range(REPEATS + 3):  # the first three warm up
        start, end = months[k % len(months)]
        area = districts[k % len(districts)]
        list_query = {
            "area": area, "status": statuses[k % len(statuses)], "created_from": start,
            "created_to": end, "sort": "-created_at",
        }  # fmt: skip
        for name, url, query in (
            ("list", "/api/v1/reports", list_query),
            ("stats", "/api/v1/stats/cases", {"area": area, "from": start, "to": end}),
        ):
            began = time.perf_counter()
            response = client.get(url, query_string=query, headers=headers)
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, response.json
            if k >= 3:
                timings[name].append(elapsed)
    return timings


def _p90(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.9 + 0.5) - 1)]


def main() -> None:
    print(f"cases: {CASES:,}; database: {URL}")
    recreate_database(URL)
    config = replace(Config.for_tests({}), env="development", database_url=URL)
    app = create_app(config)
    try:
        world = build_world(app)
        print(f"COPY {CASES:,} cases: {copy_cases(world, CASES):.1f} s")
        definitions = index_definitions()
        client = app.test_client()
        login = {"username": world["admin"], "password": PASSWORD}
        token = client.post("/api/v1/auth/login", json=login).json["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        setups = {
            "(a) no secondary indexes": set(),
            "(b) indexes up to 0004": set(definitions) - set(NEW_INDEXES),
            "(c) all indexes (0005 too)": set(definitions),
        }
        print(f"{'set-up':30} {'list median':>12} {'p90':>8} {'stats median':>13} {'p90':>8}")
        for label, wanted in setups.items():
            set_indexes(definitions, wanted)
            t = measure(client, headers, world)
            print(
                f"{label:30} {statistics.median(t['list']):10.1f}ms {_p90(t['list']):6.1f}ms"
                f" {statistics.median(t['stats']):11.1f}ms {_p90(t['stats']):6.1f}ms"
            )
        print("targets: list ≤ 25 ms, stats ≤ 200 ms (medians)")
    finally:
        app.extensions["onegrid"].engine.dispose()
        if not KEEP:
            recreate_database(URL, drop_only=True)


if __name__ == "__main__":
    assert FAST_HASHER is not None  # the factories hash passwords cheaply
    main()
