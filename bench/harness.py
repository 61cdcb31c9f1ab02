"""What the HTTP benchmarks share: a seeded temporary database and gunicorn serving it.

with served(workers=2, threads=4) as server:
    headers = server.login("grid_worker")
    ...  # requests to 127.0.0.1:server.port
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.app import create_app
from api.config import Config
from services import migrate
from services.seed import DEMO_PASSWORD, seed_demo


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_database(tmp: Path) -> tuple[str, dict]:
    """A SQLite database in ``tmp`` with the demo city; its URL and a grid worker's login."""
    url = f"sqlite:///{tmp / 'bench.db'}"
    config = replace(
        Config.for_tests({}),
        env="development",
        database_url=url,
        instance_path=str(tmp),
        sms_provider="log",
    )
    app = create_app(config)
    container = app.extensions["onegrid"]
    migrate.upgrade(container.engine)
    with container.session_factory() as session:
        seed_demo(session, hasher=container.auth.hasher)
    container.engine.dispose()
    return url, {"username": "grid_worker", "password": DEMO_PASSWORD}


def wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


@dataclass(frozen=True)
class Server:
    port: int
    database_url: str
    instance: Path
    workers: int
    threads: int

    def login(self, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
        """The Authorization header of a demo account."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        body = json.dumps({"username": username, "password": password})
        conn.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
        token = json.loads(conn.getresponse().read())["access_token"]
        conn.close()
        return {"Authorization": f"Bearer {token}"}


@contextlib.contextmanager
def served(
    *,
    workers: int,
    threads: int,
    prefix: str = "onegrid-bench-",
    env: Mapping[str, str] | None = None,
    before_start=None,
) -> Iterator[Server]:
    """gunicorn (gthread workers, keep-alive) over a fresh seeded SQLite database on a free
    port; ``before_start(database_url)`` may add rows first. Everything is removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        url, _ = seed_database(tmp)
        if before_start is not None:
            before_start(url)
        port = free_port()
        environment = {
            **os.environ,
            "ONEGRID_ENV": "development",
            "ONEGRID_DATABASE_URL": url,
            "ONEGRID_INSTANCE_PATH": str(tmp),
            "ONEGRID_LOG_LEVEL": "WARNING",
            "ONEGRID_RATELIMIT_ENABLED": "false",
            **(env or {}),
        }
        command = [
            sys.executable, "-m", "gunicorn", "api.app:create_app()",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads),
            "--keep-alive", "30", "--log-level", "warning",
        ]  # fmt: skip
        proc = subprocess.Popen(command, cwd=tmp, env=environment)  # noqa: S603 (fixed command)
        try:
            wait_until_up(port, proc)
            yield Server(port, url, tmp, workers, threads)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# A keep-alive connection stays with the gunicorn worker that accepted it; reconnecting now and
# then spreads the clients over the workers evenly instead of by the luck of the first accept.
RECONNECT_EVERY = 100

Request = tuple[str, str, str | None]  # method, path, JSON body


def load(port: int, requests: list[Request], headers: dict, threads: int) -> float:
    """Requests per second for ``requests`` split across ``threads`` keep-alive connections.
    Requests with a body are JSON and carry a fresh ``Idempotency-Key``; any answer other than
    200/201 fails the run."""
    chunks = [requests[k::threads] for k in range(threads)]
    failures: list[str] = []

    def worker(chunk: list[Request]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for n, (method, path, body) in enumerate(chunk, 1):
            if n % RECONNECT_EVERY == 0:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            sent = dict(headers)
            if body is not None:
                sent["Content-Type"] = "application/json"
                sent["Idempotency-Key"] = str(uuid.uuid4())
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            payload = response.read()
            if response.status not in (200, 201):
                failures.append(f"{method} {path}: {response.status} {payload[:200]!r}")
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
