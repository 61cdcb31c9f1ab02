"""Report creation through gunicorn: POST /api/v1/reports against GET /healthz in one run.

Serves create_app with gunicorn on 127.0.0.1 over a temporary SQLite database seeded with the
demo city and catalogue. The photos are MediaFile rows made directly in the database (the image
pipeline has its own benchmark), one per report, owned by the demo grid worker. Each round files
``REQUESTS`` reports at random points of the city (GCJ-02, as phones send them) with an
Idempotency-Key each, interleaved with a round of /healthz; medians of the rounds are printed.

    .venv/bin/python bench/bench_reports.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import load, served
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from services.geo.coords import Coord, from_wgs84
from services.models.accounts import User
from services.seed_city import EAST, NORTH, SOUTH, WEST
from tests.report_factories import make_media

REQUESTS = int(os.environ.get("BENCH_REQUESTS", 500))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))


def make_photos(url: str, username: str, count: int) -> list[str]:
    engine = create_engine(url)
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        ids = [str(make_media(session, user).id) for _ in range(count)]
        session.commit()
    engine.dispose()
    return ids


def bodies(photo_ids: list[str], rng: random.Random) -> list[str]:
    out = []
    for photo in photo_ids:
        lng, lat = from_wgs84(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), Coord.GCJ02)
        body = {
            "description": "路灯不亮，晚上行人看不清路",
            "location": {"lat": lat, "lng": lng, "accuracy_m": 15},
            "media_ids": [photo],
        }
        out.append(json.dumps(body))
    return out


def main() -> None:
    warmup = 50
    photos: list[str] = []

    def add_photos(url: str) -> None:
        photos.extend(make_photos(url, "grid_worker", warmup + REQUESTS * ROUNDS))

    workers = int(os.environ.get("BENCH_WORKERS", 2))
    threads_per_worker = int(os.environ.get("BENCH_THREADS", 4))
    clients = int(os.environ.get("BENCH_CLIENTS", 8))
    limit = {"ONEGRID_REPORTS_PER_HOUR": str(10 * (warmup + REQUESTS * ROUNDS))}
    with served(
        workers=workers,
        threads=threads_per_worker,
        prefix="onegrid-bench-reports-",
        env=limit,
        before_start=add_photos,
    ) as server:
        headers = server.login("grid_worker")
        report_bodies = bodies(photos, random.Random(4))
        health = [("GET", "/healthz", None)] * REQUESTS
        posts = [("POST", "/api/v1/reports", body) for body in report_bodies]
        load(server.port, health[:200], headers, clients)
        load(server.port, posts[:warmup], headers, clients)
        rates: dict[str, list[float]] = {"GET /healthz": [], "POST /api/v1/reports": []}
        for r in range(ROUNDS):  # interleaved, so machine noise hits both alike
            start = warmup + r * REQUESTS
            rates["GET /healthz"].append(load(server.port, health, headers, clients))
            rates["POST /api/v1/reports"].append(
                load(server.port, posts[start : start + REQUESTS], headers, clients)
            )
    print(
        f"gunicorn {workers} workers x {threads_per_worker} threads, {clients} keep-alive "
        f"clients, SQLite, {REQUESTS} requests per round, median of {ROUNDS} rounds"
    )
    median = {name: statistics.median(values) for name, values in rates.items()}
    for name, rate in median.items():
        print(f"{name:24}: {rate:8,.0f} requests/s")
    ratio = median["POST /api/v1/reports"] / median["GET /healthz"]
    print(f"ratio reports / healthz : {ratio:8.3f}")


if __name__ == "__main__":
    main()
