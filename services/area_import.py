"""Importing area boundaries from GeoJSON (DataV style too) or Esri JSON files.

The whole file is read, converted to WGS-84 and checked before anything is written; a file with
errors imports nothing. Otherwise every area is created or updated in place by its code, in one
transaction with one bump of the area version. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.area_codes import level_rank
from services.area_import_checks import (
    Candidate,
    ImportOptions,
    check_duplicates,
    check_outside_parent,
    check_parents,
    check_sibling_overlaps,
    extract,
    load_areas,
)
from services.area_import_report import ImportReport
from services.area_version import bump_area_version
from services.areas import set_geometry, summary
from services.authz import Action, Target, require, require_some
from services.geo.crs import CrsError, SourceCrs, describe, parse_crs
from services.geo.polygons import CleanGeometry
from services.geo.readers import ReadError, SourceFile, read_boundaries
from services.geo.shapes import to_geojson
from services.models.areas import Area

logger = logging.getLogger(__name__)

# (phase, done, total): "check" while features are read and checked, "write" while saved.
Progress = Callable[[str, int, int], None]

__all__ = ["ImportOptions", "ImportReport", "Progress", "import_areas"]


def import_areas(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a boundary file and, unless it has errors or this is a dry run, import it."""
    require_some(actor, Action.AREA_MANAGE)
    report = ImportReport(dry_run=options.dry_run)
    try:
        source_crs = parse_crs(options.crs)
    except CrsError as exc:
        report.error("import_crs_unknown", crs=exc.text)
        return report
    report.crs = source_crs.label
    try:
        source = read_boundaries(data)
    except ReadError as exc:
        report.error(exc.key, **exc.params)
        return report
    report.format, report.features = source.format, len(source.features)
    if not source.features:
        report.error("import_no_features")
        return report
    _check_declared_crs(source, source_crs, report)
    candidates = _check(session, source, source_crs, options, report, progress)
    if not report.ok or options.dry_run:
        _plan(candidates, report)  # nothing was added to the session: nothing to undo
        return report
    _write(session, actor, candidates, options, report, progress)
    return report


def _check_declared_crs(source: SourceFile, source_crs: SourceCrs, report: ImportReport) -> None:
    declared = source.declared_crs
    if declared is not None and not source_crs.agrees_with(declared):
        report.warning(
            "import_crs_declared_differs", declared=describe(declared), crs=source_crs.label
        )


def _check(
    session: Session,
    source: SourceFile,
    source_crs: SourceCrs,
    options: ImportOptions,
    report: ImportReport,
    progress: Progress | None,
) -> list[Candidate]:
    convert = source_crs.transformer()
    total = len(source.features)
    candidates = []
    for done, raw in enumerate(source.features, start=1):
        candidates.append(extract(raw, options, convert, report))
        if progress and (done % 50 == 0 or done == total):
            progress("check", done, total)
    check_duplicates(candidates, report)
    codes = {c.code for c in candidates if c.code} | {
        c.parent_code for c in candidates if c.parent_code
    }
    in_db = load_areas(session, codes)
    check_parents(candidates, in_db, report)
    check_outside_parent(candidates, in_db, options.outside_tolerance, report)
    check_sibling_overlaps(session, candidates, in_db, options.overlap_tolerance, report)
    return candidates


def _differences(area: Area, candidate: Candidate) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if area.name != candidate.name:
        changes["name"] = candidate.name
    geometry = to_geojson(candidate.shape) if candidate.shape is not None else None
    if geometry is not None and geometry != area.geometry:
        changes["geometry"] = geometry
    return changes


def _plan(candidates: list[Candidate], report: ImportReport) -> None:
    """What a dry run (or a refused file) would have done, counted on the features that passed."""
    for candidate in candidates:
        if candidate.failed:
            continue
        if candidate.existing is None:
            report.created += 1
        elif _differences(candidate.existing, candidate):
            report.changed += 1
        else:
            report.unchanged += 1


def _write(
    session: Session,
    actor: Actor,
    candidates: list[Candidate],
    options: ImportOptions,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    by_code: dict[str, Area] = {c.code: c.existing for c in candidates if c.existing is not None}
    parents = load_areas(session, {c.parent_code for c in candidates if c.parent_code})
    ordered = sorted(candidates, key=lambda c: (level_rank(c.level), c.code))
    for done, candidate in enumerate(ordered, start=1):
        parent = by_code.get(candidate.parent_code) or parents.get(candidate.parent_code)
        require(actor, Action.AREA_MANAGE, Target(area_path=parent.path if parent else None))
        if candidate.existing is None:
            by_code[candidate.code] = _create(session, actor, candidate, parent, options)
            report.created += 1
        elif _update(session, actor, candidate, options):
            report.changed += 1
        else:
            report.unchanged += 1
        if progress and (done % 50 == 0 or done == len(ordered)):
            progress("write", done, len(ordered))
    if report.created or report.changed:
        audit.record(
            session,
            actor,
            "areas.imported",
            object_type="area",
            after={
                "source": options.source_name[:200],
                "format": report.format,
                "crs": report.crs,
                "features": report.features,
                "created": report.created,
                "changed": report.changed,
                "unchanged": report.unchanged,
                "warnings": len(report.warnings),
            },
        )
        bump_area_version(session)
    session.commit()
    report.written = True
    logger.info(
        "area import: %s created, %s changed, %s unchanged",
        report.created,
        report.changed,
        report.unchanged,
    )


def _create(
    session: Session, actor: Actor, candidate: Candidate, parent: Area | None, options
) -> Area:
    area = Area(
        id=uuid.uuid4(),  # known now: no flush per area, the inserts go in batches at commit
        code=candidate.code,
        name=candidate.name,
        level=candidate.level,
        parent=parent,
        parent_id=parent.id if parent else None,
        path=Area.child_path(parent, candidate.code),
        active=True,
    )
    set_geometry(area, CleanGeometry(candidate.shape))
    session.add(area)
    after = {**summary(area), "source": options.source_name[:200]}
    audit.record(
        session,
        actor,
        "area.created",
        object_type="area",
        object_id=area.id,
        area_path=area.path,
        after=after,
    )
    return area


def _update(session: Session, actor: Actor, candidate: Candidate, options) -> bool:
    area = candidate.existing
    changes = _differences(area, candidate)
    if not changes:
        return False
    before = summary(area)
    if "name" in changes:
        area.name = changes["name"]
    if "geometry" in changes:
        set_geometry(area, CleanGeometry(candidate.shape))
    old, new = audit.changes(before, summary(area))
    audit.record(
        session,
        actor,
        "area.updated",
        object_type="area",
        object_id=area.id,
        area_path=area.path,
        before=old,
        after={**new, "source": options.source_name[:200]},
    )
    return True
