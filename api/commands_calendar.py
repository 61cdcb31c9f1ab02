"""CLI: `onegrid calendar …` (the working calendar)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import AppGroup

from api.context import container
from services.actors import Actor
from services.calendar import DayInfo, Source
from services.calendar_admin import ImportResult, set_day, unset_day
from services.calendar_files import MAX_FILE_CHARS, guess_format, import_schedule_file
from services.errors import DomainError
from services.messages import render
from services.models.calendar import DayKind
from services.queries.calendar import get_year_overview

calendar_cli = AppGroup("calendar", help="The working calendar: holidays and make-up workdays.")

CLI_ACTOR = "cli"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
COVERAGE = {
    Source.DATABASE: "schedule imported into the database",
    Source.PACKAGE: "published schedule from chinese-calendar",
    Source.FALLBACK: "no published schedule: weekends plus statutory holidays (fallback)",
}
DATE = click.DateTime(formats=["%Y-%m-%d"])


def _fail(exc: DomainError) -> None:
    lines = [render(exc.key, "en", **exc.params)]
    lines += [f"  {where}: {render(key, 'en', **exc.params)}" for where, key in exc.fields.items()]
    raise click.ClickException("\n".join(lines))


def _line(info: DayInfo) -> str:
    day = info.day
    return (
        f"{day.isoformat()}  {WEEKDAYS[day.weekday()]}  {info.kind.value:<15} "
        f"{info.source.value:<9} {info.name}"
    ).rstrip()


def _echo_import(result: ImportResult) -> None:
    prefix = "would " if result.dry_run else ""
    for change in result.changes:
        was = (
            "new"
            if change.previous_kind is None
            else f"was {change.previous_kind.value} {change.previous_name}"
        )
        click.echo(
            f"  {prefix}set {change.day.isoformat()} {change.kind.value} {change.name} ({was})"
        )
    click.echo(
        f"{result.year}: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged; {result.kept} other stored day(s) kept"
    )
    if result.dry_run:
        click.echo("dry run: nothing was saved")


@calendar_cli.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="check the file and show the changes; save nothing")
def load(file: Path, dry_run: bool) -> None:
    """Import a year's published schedule from FILE (.json or .csv: date,kind,name)."""
    if file.stat().st_size > 4 * MAX_FILE_CHARS:
        raise click.ClickException(f"{file} is too large for a year's schedule")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8 text") from None
    with container().session_factory() as session:
        try:
            result = import_schedule_file(
                session,
                actor=Actor.system(CLI_ACTOR),
                text=text,
                fmt=guess_format(file.name),
                dry_run=dry_run,
            )
        except DomainError as exc:
            _fail(exc)
    _echo_import(result)


@calendar_cli.command("show")
@click.argument("year", type=int)
def show(year: int) -> None:
    """Every holiday, make-up working day and override of YEAR, with its source."""
    c = container()
    with c.session_factory() as session:
        try:
            overview = get_year_overview(
                session, actor=Actor.system(CLI_ACTOR), year=year, hours=c.working_hours
            )
        except DomainError as exc:
            _fail(exc)
    click.echo(f"{year}: {COVERAGE[overview.coverage]} ({overview.coverage.value})")
    click.echo(f"working hours: {', '.join(overview.working_hours)} (Asia/Shanghai)")
    for info in overview.days:
        click.echo(_line(info))
    click.echo(f"{len(overview.days)} special day(s)")
    if overview.falls_back:
        click.echo(
            f"note: {year} falls back to weekends plus the statutory holidays known for it; "
            "make-up working days (调休) are unknown until its schedule is loaded with "
            "`onegrid calendar load FILE`."
        )


@calendar_cli.command("set")
@click.argument("date", type=DATE)
@click.option("--kind", required=True, type=click.Choice([k.value for k in DayKind]))
@click.option("--name", required=True, help="e.g. 元旦, 春节调休上班, 台风停工")
def set_command(date: dt.datetime, kind: str, name: str) -> None:
    """Make DATE (YYYY-MM-DD) a holiday or a working day, whatever the package says."""
    with container().session_factory() as session:
        try:
            info = set_day(
                session,
                actor=Actor.system(CLI_ACTOR),
                day=date.date(),
                kind=DayKind(kind),
                name=name,
            )
        except DomainError as exc:
            _fail(exc)
    click.echo(_line(info))


@calendar_cli.command("unset")
@click.argument("date", type=DATE)
def unset_command(date: dt.datetime) -> None:
    """Remove DATE's override; the date follows the published schedule again."""
    with container().session_factory() as session:
        try:
            info = unset_day(session, actor=Actor.system(CLI_ACTOR), day=date.date())
        except DomainError as exc:
            _fail(exc)
    click.echo(f"removed; now: {_line(info)}")
