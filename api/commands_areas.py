"""CLI: `onegrid areas …` (boundary import)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from api.context import container
from services.actors import Actor
from services.area_import import ImportOptions, ImportReport, import_areas
from services.messages import LOCALES
from services.models.areas import AreaLevel

areas_cli = AppGroup("areas", help="Areas and grids: import boundary data.")


class _Bars:
    """One click progress bar per phase, created when the service first reports a total."""

    def __init__(self) -> None:
        self.phase: str | None = None
        self.bar = None
        self.done = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            label = {"check": "checking", "write": "writing"}.get(phase, phase)
            self.phase, self.done = phase, 0
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _print_report(report: ImportReport, locale: str) -> None:
    click.echo(
        f"{report.features} feature(s), format {report.format or '-'}, crs {report.crs or '-'}"
    )
    for line in report.lines(locale):
        click.echo(line)
    click.echo(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")


@areas_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option(
    "--level",
    type=click.Choice([level.value for level in AreaLevel]),
    help="level of every feature (default: inferred from each code's length)",
)
@click.option(
    "--crs",
    required=True,
    help="wgs84, gcj02, bd09, EPSG:NNNN (e.g. EPSG:4528), a PROJ string or WKT",
)
@click.option("--code-field", help="attribute holding the code (default: code or adcode)")
@click.option("--name-field", help="attribute holding the name (default: name)")
@click.option(
    "--parent-field",
    help="attribute holding the parent's code, or a DataV {adcode} object (default: "
    "parent_code or parent; else the code's own prefix)",
)
@click.option("--parent-code", help="parent of features whose parent field is empty")
@click.option(
    "--outside-tolerance",
    type=click.FloatRange(0, 1),
    default=0.01,
    show_default=True,
    help="share of a child's area allowed outside its parent",
)
@click.option(
    "--overlap-tolerance",
    type=click.FloatRange(0, 1),
    default=0.01,
    show_default=True,
    help="share of the smaller sibling's area two siblings may overlap",
)
@click.option("--dry-run", is_flag=True, help="check and print the report; write nothing")
@click.option("--lang", type=click.Choice(LOCALES), default="en", show_default=True)
def areas_import(file, level, crs, code_field, name_field, parent_field, parent_code, **rest):
    """Import area boundaries from a GeoJSON or Esri JSON FILE (checked first; all or nothing)."""
    locale = rest.pop("lang")
    options = ImportOptions(
        crs=crs,
        level=AreaLevel(level) if level else None,
        code_field=code_field,
        name_field=name_field,
        parent_field=parent_field,
        parent_code=parent_code,
        source_name=click.format_filename(file),
        **rest,
    )
    with open(file, "rb") as handle:
        data = handle.read()
    bars = _Bars()
    with container().session_factory() as session:
        try:
            report = import_areas(
                session, actor=Actor.system("cli"), data=data, options=options, progress=bars
            )
        finally:
            bars.close()
    _print_report(report, locale)
    counts = f"{report.created} created, {report.changed} changed, {report.unchanged} unchanged"
    if not report.ok:
        raise click.ClickException("the file has errors: nothing was imported")
    if report.dry_run:
        click.echo(f"dry run: nothing was written (would be {counts})")
    else:
        click.echo(f"imported: {counts}")
