"""Report creation through gunicorn: POST /api/v1/reports against GET /healthz in one run.

Serves create_app with gunicorn on 127.0.0.1 over a temporary SQLite database seeded with the
demo city and catalogue. The photos are MediaFile rows made directly in the database (the image
pipeline has its own benchmark), one per report, owned by the demo grid worker. Each round files
``REQUESTS`` reports at random points of the city (GCJ-02, as phones send them) with an
Idempotency-Key each, interleaved with a round of /healthz; medians of the rounds are printed.

    .venv/bin/python bench/bench_reports.py
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_locate import RECONNECT_EVERY, free_port, seed_database, wait_until_up
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


def load(port: int, requests: list[tuple[str, str, str | None]], headers: dict, threads: int):
    """Requests per second for (method, path, body) split across keep-alive connections."""
    chunks = [requests[k::threads] for k in range(threads)]
    failures: list[str] = []

    def worker(chunk) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for n, (method, path, body) in enumerate(chunk, 1):
            if n % RECONNECT_EVERY == 0:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            extra = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
            conn.request(method, path, body=body, headers={**headers, **(extra if body else {})})
            response = conn.getresponse()
            payload = response.read()
            if response.status not in (200, 201):
                failures.append(f"{path}: {response.status} {payload[:200]!r}")
        conn.close()

    pool = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, e.g. {failures[0]}")
    return len(requests) / elapsed


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="onegrid-bench-reports-"))
    url, credentials = seed_database(tmp)
    warmup = 50
    photos = make_photos(url, credentials["username"], warmup + REQUESTS * ROUNDS)
    rng = random.Random(4)
    report_bodies = bodies(photos, rng)
    port = free_port()
    env = {
        **os.environ,
        "ONEGRID_ENV": "development",
        "ONEGRID_DATABASE_URL": url,
        "ONEGRID_INSTANCE_PATH": str(tmp),
        "ONEGRID_LOG_LEVEL": "WARNING",
        "ONEGRID_RATELIMIT_ENABLED": "false",
        "ONEGRID_REPORTS_PER_HOUR": str(10 * len(photos)),
    }
    workers = int(os.environ.get("BENCH_WORKERS", 2))
    threads_per_worker = int(os.environ.get("BENCH_THREADS", 4))
    clients = int(os.environ.get("BENCH_CLIENTS", 8))
    command = [
        sys.executable, "-m", "gunicorn", "api.app:create_app()",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "gthread", "--threads", str(threads_per_worker),
        "--keep-alive", "30", "--log-level", "warning",
    ]  # fmt: skip
    proc = subprocess.Popen(command, cwd=tmp, env=env)  # noqa: S603 (our own fixed command)
    try:
        wait_until_up(port, proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(
            "POST", "/api/v1/auth/login", json.dumps(credentials),
            {"Content-Type": "application/json"},
        )  # fmt: skip
        token = json.loads(conn.getresponse().read())["access_token"]
        conn.close()
        headers = {"Authorization": f"Bearer {token}"}
        health = [("GET", "/healthz", None)] * REQUESTS
        posts = [("POST", "/api/v1/reports", body) for body in report_bodies]
        load(port, health[:200], headers, clients)
        load(port, posts[:warmup], headers, clients)
        rates: dict[str, list[float]] = {"GET /healthz": [], "POST /api/v1/reports": []}
        for r in range(ROUNDS):  # interleaved, so machine noise hits both alike
            start = warmup + r * REQUESTS
            rates["GET /healthz"].append(load(port, health, headers, clients))
            rates["POST /api/v1/reports"].append(
                load(port, posts[start : start + REQUESTS], headers, clients)
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
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
