"""The worker: runs the periodic jobs of services/maintenance.py when they are due.

``onegrid worker`` runs it in the foreground (``--once``: every job once, then exit); SIGTERM
or Ctrl-C lets the current job finish and then stops. ``onegrid run`` (the development server)
runs it in a daemon thread beside the server, so `make run` needs nothing else.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections.abc import Callable

import click
from flask import Flask
from flask.cli import ScriptInfo, pass_script_info, with_appcontext
from flask.cli import run_command as flask_run_command
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import is_running_from_reloader

from api.context import EXTENSION, Container, container
from services.db import utcnow
from services.maintenance import PeriodicJob, periodic_jobs

logger = logging.getLogger(__name__)

MAX_NAP_SECONDS = 60.0  # wake up at least this often, to notice a stop request promptly


class Worker:
    def __init__(
        self,
        jobs: list[PeriodicJob],
        session_factory: sessionmaker[Session],
        *,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.jobs = jobs
        self.session_factory = session_factory
        self.clock = clock
        self.stopping = threading.Event()
        start = clock()
        self.due: dict[str, dt.datetime] = {job.name: start for job in jobs}

    def run_due(self, *, force: bool = False) -> dict[str, object]:
        """Run every job that is due (``force``: every job); a failing job is logged and
        retried at its next interval, the others still run. Returns each run job's summary."""
        results: dict[str, object] = {}
        for job in self.jobs:
            now = self.clock()
            if self.stopping.is_set() or not (force or self.due[job.name] <= now):
                continue
            self.due[job.name] = now + job.every
            try:
                results[job.name] = job.run(self.session_factory, now)
                logger.info("job %s done: %s", job.name, results[job.name])
            except Exception as exc:
                logger.exception("job %s failed", job.name)
                results[job.name] = exc
        return results

    def run_forever(self) -> None:
        logger.info("worker started: %s", ", ".join(j.name for j in self.jobs))
        while not self.stopping.is_set():
            self.run_due()
            self.stopping.wait(self._nap())
        logger.info("worker stopped")

    def stop(self, *_signal_args: object) -> None:
        """Stop after the current job (usable as a signal handler)."""
        self.stopping.set()

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name="onegrid-worker", daemon=True)
        thread.start()
        return thread

    def _nap(self) -> float:
        if not self.due:
            return MAX_NAP_SECONDS
        wait = (min(self.due.values()) - self.clock()).total_seconds()
        return min(max(wait, 0.0), MAX_NAP_SECONDS)


def build_worker(c: Container) -> Worker:
    return Worker(periodic_jobs(store=c.media_store, policy=c.media_policy), c.session_factory)


@click.command("worker")
@click.option("--once", is_flag=True, help="run every job once and exit")
@with_appcontext
def worker_command(once: bool) -> None:
    """Run the periodic jobs (media cleanup …) until SIGTERM or Ctrl-C."""
    worker = build_worker(container())
    if once:
        for name, result in worker.run_due(force=True).items():
            click.echo(f"{name}: {result}")
            if isinstance(result, Exception):
                raise click.ClickException(f"{name} failed")
        return
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    worker.run_forever()


@click.command(
    "run",
    params=[
        *flask_run_command.params,
        click.Option(
            ["--worker/--no-worker"],
            default=True,
            show_default=True,
            help="run the periodic jobs in a thread beside the server",
        ),
    ],
    help=f"{flask_run_command.help}\n\nThe periodic jobs (onegrid worker) run in a thread too.",
)
@pass_script_info
@click.pass_context
def run_command(ctx: click.Context, info: ScriptInfo, worker: bool, **kwargs) -> None:
    reload = kwargs.get("reload")
    if reload is None:
        reload = info.load_app().debug
    # With the reloader, the first process only watches files; the server runs in a child.
    if worker and (not reload or is_running_from_reloader()):
        start_worker_thread(info.load_app())
    ctx.invoke(flask_run_command, **kwargs)


def start_worker_thread(app: Flask) -> Worker:
    worker = build_worker(app.extensions[EXTENSION])
    worker.start_thread()
    return worker
