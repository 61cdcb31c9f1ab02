"""CLI: `onegrid catalogue …` (the event catalogue)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from api.context import container
from services.actors import Actor
from services.catalogue_rules import FALLBACK_CATEGORY_CODE
from services.seed_catalogue import MAJORS, MINORS, load_standard_catalogue

catalogue_cli = AppGroup("catalogue", help="The event catalogue (categories of reports).")


@catalogue_cli.command("load-standard")
def load_standard() -> None:
    """Create the standard catalogue's missing categories (existing ones are left alone).

    Default departments are linked where a department with the catalogue's code (SCQ-CG …)
    exists; otherwise set them later with PATCH /api/v1/categories/{code}.
    """
    with container().session_factory() as session:
        created = load_standard_catalogue(session, actor=Actor.system("cli"))
    total = len(MAJORS) + len(MINORS)
    click.echo(
        f"catalogue: {created} created, {total - created} already present "
        f"(fallback category {FALLBACK_CATEGORY_CODE})"
    )
