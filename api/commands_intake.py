"""CLI: `onegrid intake …` (external sources and their API keys)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from api.context import container
from api.resources.intake.routes import key_secret
from services import intake_sources
from services.actors import Actor
from services.errors import DomainError
from services.messages import render

intake_cli = AppGroup("intake", help="External intake sources (12345 hotline, 110 …).")
CLI = Actor.system("cli")


def _fail(exc: DomainError) -> None:
    detail = "; ".join(f"{f}: {render(k, 'en', **exc.params)}" for f, k in exc.fields.items())
    raise click.ClickException(
        render(exc.key, "en", **exc.params) + (f" ({detail})" if detail else "")
    )


def _show_key(name: str, key: str) -> None:
    click.echo(f"API key of {name} (shown once; send it as X-Api-Key):")
    click.echo(key)


@intake_cli.command("create-source")
@click.option("--name", required=True, help="2–32 lowercase letters, digits, hyphens")
@click.option(
    "--source",
    "kind",
    required=True,
    type=click.Choice([s.value for s in intake_sources.INTAKE_SOURCES]),
)
@click.option("--area", "area_code", required=True, help="events outside this area are refused")
def create_source(name: str, kind: str, area_code: str) -> None:
    """Register a source and print its API key once."""
    with container().session_factory() as session:
        try:
            source, area, key = intake_sources.create_source(
                session,
                actor=CLI,
                name=name,
                source=kind,
                area_code=area_code,
                key_secret=key_secret(),
            )
        except DomainError as exc:
            _fail(exc)
    click.echo(f"created source {source.name} ({source.source.value}) in {area.code}")
    _show_key(source.name, key)


@intake_cli.command("list-sources")
def list_sources() -> None:
    """List the sources (key prefixes only)."""
    with container().session_factory() as session:
        rows = intake_sources.list_sources(session, CLI)
    click.echo(f"{'name':<20} {'source':<14} {'area':<16} {'key prefix':<13} active")
    for source, area in rows:
        click.echo(
            f"{source.name:<20} {source.source.value:<14} {area.code:<16} "
            f"{source.key_prefix:<13} {'yes' if source.active else 'no'}"
        )
    click.echo(f"{len(rows)} source(s)")


@intake_cli.command("rotate-key")
@click.argument("name")
def rotate_key(name: str) -> None:
    """Replace the API key of source NAME (the old key stops working) and print the new one."""
    with container().session_factory() as session:
        try:
            source_id = intake_sources.source_id_by_name(session, name)
            source, _area, key = intake_sources.rotate_key(
                session, actor=CLI, source_id=source_id, key_secret=key_secret()
            )
        except DomainError as exc:
            _fail(exc)
    _show_key(source.name, key)
