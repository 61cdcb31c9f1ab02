"""CLI: `onegrid sla …` (deadlines: the overdue scan)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from api.context import container
from services.db import utcnow
from services.models.catalogue import Phase
from services.sla import DEFAULT_BATCH, count_late, scan_overdue

sla_cli = AppGroup("sla", help="Deadlines: flag the cases that are overdue.")


@sla_cli.command("scan")
@click.option("--dry-run", is_flag=True, help="count what would be flagged, change nothing")
@click.option(
    "--batch",
    type=click.IntRange(1, 10_000),
    default=DEFAULT_BATCH,
    show_default=True,
    help="cases per transaction",
)
def sla_scan(dry_run: bool, batch: int) -> None:
    """Flag open cases past their filing or disposal deadline as overdue (timeline, audit,
    events for the notifications). Safe to repeat: flagged cases are not flagged again."""
    c = container()
    now = utcnow()
    with c.session_factory() as session:
        late = count_late(session, now=now)
        total = sum(late.values())
        if dry_run:
            click.echo(f"would flag {late[Phase.FILING]} case(s) overdue for filing")
            click.echo(f"would flag {late[Phase.DISPOSAL]} case(s) overdue for disposal")
            return
        with click.progressbar(
            length=max(total, 1), label="flagging overdue cases", file=sys.stderr
        ) as bar:
            result = scan_overdue(session, now=now, batch=batch, progress=bar.update)
    click.echo(f"flagged {result.filing} case(s) overdue for filing")
    click.echo(f"flagged {result.disposal} case(s) overdue for disposal")
    click.echo(f"{result.marked} case(s) in {result.batches} batch(es)")
