"""Photo uploads: the bare Pillow work, our processor, and POST /api/v1/media under gunicorn.

All three in one run, on the same kind of photo: a 12-megapixel (4000 x 3000) JPEG from a
"phone" (EXIF orientation 6 and GPS, quality 92, a few MB):

(a) the bare Pillow work alone, in-process, one photo at a time: open, draft-mode decode to the
    display size, apply the orientation, resize and encode the display image (1600 px) and the
    thumbnail (320 px) -- the bound;
(b) our ``PillowImageProcessor.process`` in-process (sniff, verify, EXIF, hash, dHash, both
    derivatives);
(c) end to end ``POST /api/v1/media`` (multipart) under gunicorn over a temporary SQLite
    database seeded with the demo city and a temporary local media store, with distinct photos
    (a few pixels vary) so that deduplication never short-circuits the work.

Also (a) on as many processes as gunicorn has workers. Prints photos per second, the issue's
ratio (c) with N workers (one per core) against the bare loop (a) (target >= 0.8), and two
ratios of like against like: (c) with one worker and one thread against (a), and (c) with N
workers against (a) on N processes.

    .venv/bin/python bench/bench_media.py   [BENCH_PHOTOS=72 BENCH_WORKERS=2]
"""

from __future__ import annotations

import http.client
import io
import os
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps
from sqlalchemy import create_engine, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import served
from media.pipeline import PillowImageProcessor
from services.models.accounts import User
from tests.media_images import make_exif

SIZE = (4000, 3000)
ROUNDS = 5


def phone_photo(variant: int = 0) -> bytes:
    """A 12 MP JPEG with smooth gradients and texture (so it compresses like a photo, not like
    a flat colour), EXIF orientation 6 and GPS; ``variant`` changes a few pixels."""
    width, height = SIZE
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    rng = np.random.default_rng(7)
    noise = rng.normal(0, 12, (height, width, 1)).astype(np.float32)
    red = 128 + 100 * np.sin(x / 310) * np.cos(y / 190)
    green = 128 + 90 * np.cos(x / 170 + y / 420)
    blue = 128 + 80 * np.sin((x + y) / 260)
    pixels = np.stack([red, green, blue], axis=-1) + noise
    pixels[:4, : 4 + variant % 4] = (variant * 37) % 256
    pixels[-3:, variant % width] = 255 - (variant % 256)
    img = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    exif = make_exif(gps=(33.9612, 118.2754), orientation=6)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def bare_pillow(data: bytes) -> tuple[bytes, bytes]:
    """Decode with draft, orient, two encodes: the least any photo pipeline must do."""
    with Image.open(io.BytesIO(data)) as img:
        # The display size in the photo's proportions: libjpeg may then decode at 1/2 scale.
        scale = 1600 / max(img.size)
        img.draft("RGB", (int(img.width * scale), int(img.height * scale)))
        img = ImageOps.exif_transpose(img)
        display = img.copy()
    display.thumbnail((1600, 1600), Image.Resampling.HAMMING, reducing_gap=2.0)
    thumb = display.copy()
    thumb.thumbnail((320, 320), Image.Resampling.HAMMING, reducing_gap=2.0)
    out_display, out_thumb = io.BytesIO(), io.BytesIO()
    display.save(out_display, format="JPEG", quality=82)
    thumb.save(out_thumb, format="JPEG", quality=75)
    return out_display.getvalue(), out_thumb.getvalue()


def per_second(fn, data: bytes, count: int = 8) -> list[float]:
    """Photos per second of ``fn`` over ``count`` calls, for each of ROUNDS rounds."""
    fn(data)  # warm up
    rates = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(count):
            fn(data)
        rates.append(count / (time.perf_counter() - start))
    return rates


def parallel_per_second(photos: list[bytes], workers: int, count: int = 16) -> list[float]:
    """The bare Pillow work on ``workers`` processes at once (the same parallelism as the
    server's workers): photos per second for each of ROUNDS rounds."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(bare_pillow, photos[:workers]))  # warm up every process
        rates = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            list(pool.map(bare_pillow, photos[:count]))
            rates.append(count / (time.perf_counter() - start))
    return rates


def multipart(data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), boundary


def grid_workers(url: str, count: int) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        names = conn.scalars(
            select(User.username).where(User.username.startswith("gw")).order_by(User.username)
        ).all()
    engine.dispose()
    return list(names[:count])


def upload_all(port: int, bodies: list[tuple[bytes, str]], users: list[dict]) -> float:
    """Photos per second: one keep-alive client per user, each sending its share of bodies."""
    clients = len(users)
    failures: list[str] = []

    def client(headers: dict, share: list[tuple[bytes, str]]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for body, boundary in share:
            conn.request(
                "POST",
                "/api/v1/media",
                body,
                {**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
            response = conn.getresponse()
            answer = response.read()
            if response.status != 201:
                failures.append(f"{response.status}: {answer[:200]!r}")
        conn.close()

    pool = [
        threading.Thread(target=client, args=(users[k], bodies[k::clients])) for k in range(clients)
    ]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} failed uploads, e.g. {failures[0]}")
    return len(bodies) / elapsed


def end_to_end(photos: list[bytes], workers: int, threads: int, clients: int) -> list[float]:
    """Photos per second of ``POST /api/v1/media`` for each round, distinct photos each time."""
    with served(workers=workers, threads=threads, prefix="onegrid-bench-media-") as server:
        # One demo grid worker per client: the per-user hourly upload limit is not what we time.
        users = [server.login(name) for name in grid_workers(server.database_url, clients)]
        per_round = len(photos) // (ROUNDS + 1)
        bodies = [multipart(p) for p in photos]
        upload_all(server.port, bodies[:per_round], users)  # warm up: imports, connections
        rates = []
        for r in range(1, ROUNDS + 1):
            chunk = bodies[r * per_round : (r + 1) * per_round]
            rates.append(upload_all(server.port, chunk, users))
    return rates


def main() -> None:
    count = int(os.environ.get("BENCH_PHOTOS", 72))
    print(f"making {count} distinct {SIZE[0]}x{SIZE[1]} JPEGs ...", flush=True)
    photos = [phone_photo(n) for n in range(count)]
    print(f"photo size {len(photos[0]) / 1e6:.1f} MB, {os.cpu_count()} CPU(s)")
    processor = PillowImageProcessor(max_bytes=20 * 1024 * 1024, max_pixels=50_000_000)

    workers = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2))
    bare = per_second(bare_pillow, photos[0])
    bare_parallel = parallel_per_second(photos, workers)
    ours = per_second(processor.process, photos[0])
    # One worker with one thread against the bare work on one thread (the same CPU), then
    # ``workers`` workers against the bare work on as many processes.
    single = end_to_end(photos, 1, 1, 2)
    several = end_to_end(photos, workers, 2, 2 * workers)
    a, a_n, b, c1, c_n = (
        statistics.median(r) for r in (bare, bare_parallel, ours, single, several)
    )
    rows = [
        ("(a)  bare Pillow, 1 thread", a, bare),
        (f"(aN) bare Pillow, {workers} processes", a_n, bare_parallel),
        ("(b)  PillowImageProcessor, 1 thread", b, ours),
        ("(c1) POST /api/v1/media, gunicorn 1 worker x 1 thread", c1, single),
        (f"(cN) POST /api/v1/media, gunicorn {workers} workers x 2 threads", c_n, several),
    ]
    for label, median, rounds in rows:
        print(f"{label:58}: {median:6.2f} photos/s  (rounds {_fmt(rounds)})")
    print(f"ratio (b)/(a)   : {b / a:5.2f}   our processor vs the bare work")
    print(f"ratio (cN)/(a)  : {c_n / a:5.2f}   the issue's figure: server vs bare loop (>= 0.8)")
    print(f"ratio (c1)/(a)  : {c1 / a:5.2f}   like against like: one worker vs one thread")
    print(f"ratio (cN)/(aN) : {c_n / a_n:5.2f}   the same with {workers} workers / processes")
    print(f"(medians of {ROUNDS} rounds; the load client runs on the same machine)")


def _fmt(rates: list[float]) -> str:
    return ", ".join(f"{r:.2f}" for r in rates)


if __name__ == "__main__":
    main()
