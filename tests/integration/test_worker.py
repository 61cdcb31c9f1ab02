"""The worker runs periodic jobs when due, survives a failing job, stops after the current job
on SIGTERM; `onegrid worker --once`, `onegrid media gc` and `onegrid run` start what they say."""

from __future__ import annotations

import datetime as dt
import os
import signal

import click
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from api import worker as worker_module
from api.worker import Worker, run_command
from services.actors import Actor
from services.maintenance import PeriodicJob, periodic_jobs
from services.media import upload_media
from services.policies import MediaPolicy
from tests.factories import make_resident
from tests.fakes_media_h3 import FakeImageProcessor, MemoryStore, fake_photo

START = dt.datetime(2026, 5, 6, 8, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def _job(name: str, calls: list, *, every=dt.timedelta(hours=1), fail=False) -> PeriodicJob:
    def run(session_factory, now):
        calls.append((name, now))
        if fail:
            raise RuntimeError("boom")
        return "ok"

    return PeriodicJob(name=name, every=every, run=run)


def test_jobs_run_at_start_and_then_every_interval():
    calls: list = []
    clock = Clock()
    worker = Worker(
        [_job("a", calls), _job("b", calls, every=dt.timedelta(minutes=10))], None, clock=clock
    )
    assert set(worker.run_due()) == {"a", "b"}
    clock.now += dt.timedelta(minutes=11)
    assert set(worker.run_due()) == {"b"}
    clock.now += dt.timedelta(minutes=50)
    assert set(worker.run_due()) == {"a", "b"}
    assert [name for name, _ in calls] == ["a", "b", "b", "a", "b"]


def test_a_failing_job_does_not_stop_the_others_and_is_retried_at_its_next_interval():
    calls: list = []
    clock = Clock()
    worker = Worker([_job("bad", calls, fail=True), _job("good", calls)], None, clock=clock)
    results = worker.run_due()
    assert isinstance(results["bad"], RuntimeError) and results["good"] == "ok"
    assert worker.run_due() == {}
    clock.now += dt.timedelta(hours=1)
    assert set(worker.run_due()) == {"bad", "good"}


def test_a_stop_request_lets_the_current_job_finish_and_ends_the_loop():
    calls: list = []
    worker: Worker

    def stopping_job(session_factory, now):
        worker.stop()
        calls.append("finished")  # the job runs to its end

    worker = Worker(
        [PeriodicJob("stopper", dt.timedelta(seconds=1), stopping_job), _job("next", calls)],
        None,
    )
    worker.run_forever()
    assert calls == ["finished"]


def test_sigterm_stops_onegrid_worker_after_the_current_job(app, container, monkeypatch):
    calls: list = []

    def terminated_job(session_factory, now):
        os.kill(os.getpid(), signal.SIGTERM)
        calls.append("finished")

    jobs = [PeriodicJob("t", dt.timedelta(seconds=1), terminated_job)]
    monkeypatch.setattr(worker_module, "periodic_jobs", lambda **_: jobs)
    saved = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        result = app.test_cli_runner().invoke(args=["worker"])
    finally:
        signal.signal(signal.SIGTERM, saved[0])
        signal.signal(signal.SIGINT, saved[1])
    assert result.exit_code == 0, result.output
    assert calls == ["finished"]


def test_the_platforms_jobs_are_hourly_media_gc_and_purge_and_a_five_minute_sla_scan():
    jobs = periodic_jobs(store=MemoryStore(), policy=MediaPolicy())
    assert [(job.name, job.every) for job in jobs] == [
        ("media-gc", dt.timedelta(hours=1)),
        ("idempotency-purge", dt.timedelta(hours=1)),
        ("sla-scan", dt.timedelta(minutes=5)),
    ]


def _old_upload(session, store):
    user = make_resident(session)
    photo = upload_media(
        session,
        actor=Actor.for_user(user),
        data=fake_photo("old"),
        images=FakeImageProcessor(),
        store=store,
        policy=MediaPolicy(),
        now=dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
    )
    return photo


@pytest.fixture
def store(container, monkeypatch):
    store = MemoryStore(now=dt.datetime.now(dt.UTC) - dt.timedelta(days=2))
    monkeypatch.setattr(container, "media_store", store)
    return store


def test_onegrid_worker_once_runs_the_media_gc(app, container, session, store):
    _old_upload(session, store)
    session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "media-gc: {'unattached_rows': 1" in result.output
    assert "idempotency-purge: {'purged': 0}" in result.output
    assert "sla-scan: {'filing': 0, 'disposal': 0, 'marked': 0" in result.output
    assert store.files == {}


def test_onegrid_media_gc_dry_run_counts_and_keeps_everything(app, container, session, store):
    _old_upload(session, store)
    session.commit()
    result = app.test_cli_runner().invoke(args=["media", "gc", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would remove 1 upload(s) unattached for over 24 h" in result.output
    assert "3 file(s) to delete in all" in result.output
    assert len(store.files) == 3


def test_onegrid_media_gc_removes_and_reports(app, container, session, store):
    _old_upload(session, store)
    session.commit()
    result = app.test_cli_runner().invoke(args=["media", "gc"])
    assert result.exit_code == 0, result.output
    assert "removed 1 upload(s)" in result.output and "3 file(s) deleted" in result.output
    assert store.files == {}


@pytest.mark.parametrize("args, started", [([], 1), (["--no-worker"], 0)])
def test_onegrid_run_starts_the_worker_thread_unless_told_not_to(app, monkeypatch, args, started):
    served: list = []
    threads: list = []

    @click.command()
    def fake_server(**kwargs):
        served.append(kwargs)

    fake_server.params = list(run_command.params[:-1])
    monkeypatch.setattr(worker_module, "flask_run_command", fake_server)
    monkeypatch.setattr(worker_module, "start_worker_thread", threads.append)
    result = CliRunner().invoke(run_command, args, obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert len(served) == 1 and len(threads) == started
