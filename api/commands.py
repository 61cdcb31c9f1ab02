"""CLI commands registered on the app: db, seed-demo, users."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from api.commands_areas import areas_cli
from api.commands_calendar import calendar_cli
from api.commands_catalogue import catalogue_cli
from api.commands_intake import intake_cli
from api.commands_media import media_cli
from api.commands_sla import sla_cli
from api.context import container
from api.worker import worker_command
from services import migrate
from services.actors import Actor
from services.errors import DomainError
from services.messages import render
from services.models.accounts import Role
from services.phones import mask_phone
from services.queries.users import UserFilter, list_users
from services.seed import seed_demo
from services.seed_people import count_demo_grid_workers
from services.users import UserChanges, create_user

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
users_cli = AppGroup("users", help="User accounts.")


def _fail(exc: DomainError) -> None:
    detail = "; ".join(f"{f}: {render(k, 'en', **exc.params)}" for f, k in exc.fields.items())
    raise click.ClickException(
        render(exc.key, "en", **exc.params) + (f" ({detail})" if detail else "")
    )


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    engine = container().engine
    migrate.upgrade(engine, revision)
    at = ", ".join(migrate.current(engine)) or "base"
    click.echo(f"database at {at} ({engine.url.render_as_string()})")


@db_cli.command("current")
def db_current() -> None:
    """Show the database's revision and the code's head."""
    engine = container().engine
    current, head = migrate.current(engine), migrate.heads()
    click.echo(f"current: {', '.join(current) or 'base'}")
    click.echo(f"head:    {', '.join(head)}")
    if set(current) != set(head):
        raise click.ClickException("the database is not at head: run `onegrid db upgrade`")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create the demo city and one account per role (idempotent)."""
    c = container()
    if c.config.is_production:
        raise click.ClickException(render("production_seed", "en"))
    with c.session_factory() as session:
        accounts = seed_demo(session, hasher=c.auth.hasher)
        workers = count_demo_grid_workers(session)
    click.echo("Demo accounts (staff sign in at POST /api/v1/auth/login):")
    click.echo(f"  {'username':<18} {'password':<20} {'roles':<20} {'scope':<16} status")
    for a in accounts:
        status = "created" if a.created else "exists"
        click.echo(
            f"  {a.username:<18} {a.password:<20} {','.join(a.roles):<20} {a.scope:<16} {status}"
        )
    click.echo(
        f"  plus {workers} community grid workers gw<community code> (e.g. gw321302001001), "
        "same password, each on duty in the 12 grids of their community"
    )
    click.echo("Residents sign in with any mainland mobile number: POST /api/v1/auth/otp, then")
    click.echo("POST /api/v1/auth/otp/verify with the code printed in this server's log.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True, confirmation_prompt=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="repeat for several roles",
)
@click.option("--area", "area_code", help="area code the account is bound to")
@click.option("--department", "department_code", help="department code the account belongs to")
@click.option("--display-name", default=None)
@click.option("--phone", default=None)
def users_create(username, password, roles, area_code, department_code, display_name, phone):
    """Create a user (as the platform itself)."""
    c = container()
    changes = UserChanges(
        password=password,
        roles=frozenset(Role(r) for r in roles),
        area_code=area_code,
        department_code=department_code,
        phone=phone,
        display_name=display_name or username,
    )
    with c.session_factory() as session:
        try:
            user = create_user(
                session,
                actor=Actor.system("cli"),
                hasher=c.auth.hasher,
                username=username,
                changes=changes,
            )
        except DomainError as exc:
            _fail(exc)
    click.echo(f"created {user.username} ({', '.join(sorted(user.roles))}) id={user.id}")


@users_cli.command("list")
@click.option("--role", type=click.Choice([r.value for r in Role]))
@click.option("--area", "area_code")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10_000))
def users_list(role, area_code, limit):
    """List users (phone numbers masked)."""
    c = container()
    with c.session_factory() as session:
        try:
            page = list_users(
                session,
                Actor.system("cli"),
                UserFilter(role=Role(role) if role else None, area_code=area_code),
                page=1,
                page_size=limit,
            )
        except DomainError as exc:
            _fail(exc)
        click.echo(
            f"{'username':<20} {'name':<16} {'roles':<24} {'scope':<16} {'phone':<12} active"
        )
        for u in page.items:
            scope = (u.area.code if u.area else None) or (
                u.department.code if u.department else "-"
            )
            click.echo(
                f"{u.username or '-':<20} {u.display_name:<16} {','.join(sorted(u.roles)):<24} "
                f"{scope:<16} {mask_phone(u.phone) or '-':<12} {'yes' if u.is_active else 'no'}"
            )
        click.echo(
            f"{page.total} user(s)" + (f", showing {len(page.items)}" if page.total > limit else "")
        )


def register_commands(app: Flask) -> None:
    app.cli.add_command(areas_cli)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(catalogue_cli)
    app.cli.add_command(db_cli)
    app.cli.add_command(intake_cli)
    app.cli.add_command(media_cli)
    app.cli.add_command(sla_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(worker_command)
