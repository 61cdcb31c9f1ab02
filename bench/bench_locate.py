"""Locating points: the spatial index against a naive loop, and the HTTP endpoint against /healthz.

Part 1 builds 10,000 slightly irregular quadrilateral grids (a 100 x 100 lattice around 118.3E
33.9N) in memory and measures, in one run: batched points per second through the index,
microseconds per single point, and the same for a naive loop testing every polygon.

Part 2 serves create_app with gunicorn on 127.0.0.1 (a random free port) over a temporary SQLite
database seeded with the demo city, and measures requests per second of an authenticated
``GET /api/v1/areas/locate`` against ``GET /healthz`` with the same bounded keep-alive client.

    .venv/bin/python bench/bench_locate.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

import numpy as np
from shapely.geometry import Point, Polygon

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import RECONNECT_EVERY, load, served

from services.geo.coords import Coord, from_wgs84
from services.geo.locator import AreaRef, LocateStatus, SpatialIndex
from services.models.areas import AreaLevel
from services.seed_city import EAST, NORTH, SOUTH, WEST

N = 100  # lattice side: N * N grids
CELL = 0.002  # degrees, about 185 m x 220 m
X0, Y0 = 118.3 - N * CELL / 2, 33.9 - N * CELL / 2


def lattice() -> list[tuple[AreaRef, Polygon]]:
    rng = random.Random(1)
    jitter = CELL * 0.2
    vertex = [
        [
            (
                X0 + i * CELL + (rng.uniform(-jitter, jitter) if 0 < i < N else 0.0),
                Y0 + j * CELL + (rng.uniform(-jitter, jitter) if 0 < j < N else 0.0),
            )
            for j in range(N + 1)
        ]
        for i in range(N + 1)
    ]
    grids = []
    for i in range(N):
        for j in range(N):
            code = f"321302{i:03d}{j:06d}"
            ref = AreaRef(uuid.uuid4(), code, code, AreaLevel.GRID, f"/321300/{code}/")
            quad = [vertex[i][j], vertex[i + 1][j], vertex[i + 1][j + 1], vertex[i][j + 1]]
            grids.append((ref, Polygon(quad)))
    return grids


def best_of(fn, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def part_one() -> None:
    grids = lattice()
    started = time.perf_counter()
    index = SpatialIndex(grids, [], max_distance_m=100)
    print(f"index of {len(grids):,} grids built in {(time.perf_counter() - started) * 1000:.0f} ms")

    rng = np.random.default_rng(7)
    n = 200_000
    # 2 % of the points fall in a margin outside the lattice (nearest / outside paths).
    margin = 0.01 * N * CELL
    lngs = rng.uniform(X0 - margin, X0 + N * CELL + margin, n)
    lats = rng.uniform(Y0 - margin, Y0 + N * CELL + margin, n)

    batch_s = best_of(lambda: index.locate_arrays(lngs, lats))
    objects_s = best_of(lambda: index.locate_many(lngs[:50_000], lats[:50_000]), 3) * n / 50_000
    singles = 20_000
    pairs = list(zip(lngs[:singles].tolist(), lats[:singles].tolist(), strict=True))
    single_s = best_of(lambda: [index.locate(x, y) for x, y in pairs], 3) / singles

    polygons = [poly for _, poly in grids]
    naive_n = 100

    def naive() -> list[int]:
        found = []
        for x, y in pairs[:naive_n]:
            pt = Point(x, y)
            found.append(next((k for k, poly in enumerate(polygons) if poly.contains(pt)), -1))
        return found

    naive_s = best_of(naive, 3) / naive_n
    # The two must agree on points strictly inside a grid.
    batch = index.locate_arrays(lngs[:naive_n], lats[:naive_n])
    for k, found in enumerate(naive()):
        if found >= 0:
            assert batch.status[k] == list(LocateStatus).index(LocateStatus.GRID)
            assert grids[found][0].code == index.grids.refs[batch.index[k]].code

    batched_rate = n / batch_s
    print(f"batched (arrays)       : {batched_rate:12,.0f} points/s   (target >= 300,000)")
    print(f"batched (+ objects)    : {n / objects_s:12,.0f} points/s")
    print(f"single point           : {single_s * 1e6:12.1f} µs/point   (target <= 50)")
    print(f"naive loop, 10k polys  : {1 / naive_s:12,.1f} points/s   {naive_s * 1e6:,.0f} µs/point")
    print(f"ratio batched / naive  : {batched_rate * naive_s:12,.0f} x")
    print(f"ratio single / naive   : {naive_s / single_s:12,.0f} x")


ROUNDS = 5


def part_two() -> None:
    workers = int(os.environ.get("BENCH_WORKERS", 2))
    threads_per_worker = int(os.environ.get("BENCH_THREADS", 4))
    clients = int(os.environ.get("BENCH_CLIENTS", 8))
    with served(workers=workers, threads=threads_per_worker, prefix="onegrid-bench-locate-") as srv:
        headers = srv.login("grid_worker")
        rng = random.Random(3)
        requests = 2000
        locate_paths = []
        for _ in range(requests):
            lng, lat = from_wgs84(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), Coord.GCJ02)
            path = f"/api/v1/areas/locate?lng={lng:.6f}&lat={lat:.6f}&coord=gcj02"
            locate_paths.append(("GET", path, None))
        routes = {
            "GET /healthz": [("GET", "/healthz", None)] * requests,
            "GET /api/v1/me": [("GET", "/api/v1/me", None)] * requests,
            "GET /api/v1/areas/locate": locate_paths,
        }
        # Warm both workers' indexes and connections.
        for paths in routes.values():
            load(srv.port, paths[:200], headers, clients)
        rates: dict[str, list[float]] = {name: [] for name in routes}
        for _ in range(ROUNDS):  # interleaved rounds, so machine noise hits all alike
            for name, paths in routes.items():
                rates[name].append(load(srv.port, paths, headers, clients))
    median = {name: statistics.median(values) for name, values in rates.items()}
    per_round = [
        loc / hz
        for loc, hz in zip(rates["GET /api/v1/areas/locate"], rates["GET /healthz"], strict=True)
    ]
    print(
        f"gunicorn {workers} workers x {threads_per_worker} threads, {clients} keep-alive "
        f"clients (reconnecting every {RECONNECT_EVERY} requests), {requests} requests per "
        f"round, median of {ROUNDS} rounds"
    )
    for name, rate in median.items():
        print(f"{name:27}: {rate:8,.0f} requests/s")
    health = median["GET /healthz"]
    locate = median["GET /api/v1/areas/locate"]
    me = median["GET /api/v1/me"]
    print(f"ratio locate / healthz     : {locate / health:8.2f}   (target >= 0.5)")
    print(f"  per round                : {', '.join(f'{r:.2f}' for r in per_round)}")
    print(f"ratio me / healthz         : {me / health:8.2f}   (authentication alone)")
    print(f"ratio locate / me          : {locate / me:8.2f}   (locating on top of it)")


def main() -> None:
    print("== part 1: spatial index, 10,000 grids in memory ==")
    part_one()
    print("\n== part 2: HTTP through gunicorn ==")
    part_two()


if __name__ == "__main__":
    main()
