"""CLI: `onegrid media …` (cleanup of photos)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from api.context import container
from services.media_gc import collect_garbage

media_cli = AppGroup("media", help="Photos: clean up what is no longer needed.")

_LABELS = {
    "unattached": "unattached uploads",
    "originals": "expired originals",
    "orphans": "orphan files",
}


class _Bars:
    """One click progress bar per phase, created when the collector first reports a total."""

    def __init__(self) -> None:
        self.phase: str | None = None
        self.bar = None
        self.done = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase, self.done = phase, 0
            label = _LABELS.get(phase, phase)
            self.bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@media_cli.command("gc")
@click.option("--dry-run", is_flag=True, help="count what would be removed, change nothing")
def media_gc(dry_run: bool) -> None:
    """Remove unattached uploads, expired originals and orphan files."""
    c = container()
    bars = _Bars()
    with c.session_factory() as session:
        try:
            result = collect_garbage(
                session,
                store=c.media_store,
                policy=c.media_policy,
                progress=bars,
                dry_run=dry_run,
            )
        finally:
            bars.close()
    verb = "would remove" if dry_run else "removed"
    hours = c.media_policy.unattached_after.total_seconds() / 3600
    click.echo(f"{verb} {result.unattached_rows} upload(s) unattached for over {hours:g} h")
    click.echo(f"{verb} {result.expired_originals} original(s) past their keeping time")
    click.echo(f"{verb} {result.orphan_files} orphan file(s) no photo uses")
    click.echo(f"{result.files_deleted} file(s) {'to delete' if dry_run else 'deleted'} in all")
