"""Request overhead of onegrid's stack against bare Flask and bare argon2, measured in one run."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from flask import Flask, jsonify

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.app import create_app
from api.config import Config
from services import migrate
from services.seed import DEMO_PASSWORD, seed_demo


def compare(ours, bound, n: int, rounds: int = 7) -> tuple[float, float]:
    """Median seconds per call of each, rounds interleaved so machine noise hits both alike."""
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for fn, out in ((ours, samples[0]), (bound, samples[1])):
            start = time.perf_counter()
            for _ in range(n):
                fn()
            out.append((time.perf_counter() - start) / n)
    return statistics.median(samples[0]), statistics.median(samples[1])


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="onegrid-bench-"))
    config = replace(
        Config.for_tests({}),
        env="development",
        database_url=f"sqlite:///{tmp / 'bench.db'}",
        instance_path=str(tmp),
        password_hash_profile="standard",
        sms_provider="log",
        ratelimit_enabled=False,
    )
    app = create_app(config)
    c = app.extensions["onegrid"]
    migrate.upgrade(c.engine)
    with c.session_factory() as session:
        seed_demo(session, hasher=c.auth.hasher)
    client = app.test_client()

    login_body = {"username": "district_admin", "password": DEMO_PASSWORD}
    token = client.post("/api/v1/auth/login", json=login_body).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200, me.json
    payload = me.json

    bare = Flask("bare")

    @bare.get("/me")
    def bare_me():
        return jsonify(payload)

    bare_client = bare.test_client()

    n = 300
    ours, bound = compare(
        lambda: client.get("/api/v1/me", headers=headers),
        lambda: bare_client.get("/me", headers=headers),
        n,
    )

    with c.session_factory() as session:
        from sqlalchemy import select

        from services.models import User

        stored = session.scalar(select(User.password_hash).where(User.username == "district_admin"))
    hasher = c.auth.hasher
    login_ours, login_bound = compare(
        lambda: client.post("/api/v1/auth/login", json=login_body),
        lambda: hasher.verify(stored, DEMO_PASSWORD),
        5,
    )

    print(f"GET /api/v1/me        {ours * 1e3:7.2f} ms/request")
    print(f"bare Flask same JSON  {bound * 1e3:7.2f} ms/request")
    print(f"  ratio ours / bare Flask: {ours / bound:5.2f}x")
    print(f"POST /auth/login      {login_ours * 1e3:7.2f} ms/request")
    print(f"bare argon2 verify    {login_bound * 1e3:7.2f} ms/call")
    print(f"  ratio login / argon2 verify: {login_ours / login_bound:5.2f}x")


if __name__ == "__main__":
    main()
