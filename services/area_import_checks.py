"""The checks of a boundary import, feature by feature and then across features.

Nothing here writes: every finding goes into the report, and candidates that cannot be
imported are marked ``failed``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.area_codes import PARENT_LEVEL, code_extends, derived_parent_code, infer_level
from services.area_import_report import ImportReport
from services.areas import level_params, valid_name
from services.geo.crs import ToWgs84
from services.geo.polygons import GeometryError, check_wgs84, clean
from services.geo.readers import RawFeature
from services.geo.shapes import to_shape
from services.models.areas import Area, AreaLevel

CODE_FIELDS = ("code", "adcode")
NAME_FIELDS = ("name",)
PARENT_FIELDS = ("parent_code", "parent")
_CHUNK = 500


@dataclass(frozen=True)
class ImportOptions:
    crs: str
    level: AreaLevel | None = None
    code_field: str | None = None
    name_field: str | None = None
    parent_field: str | None = None
    parent_code: str | None = None
    # share of a child's area allowed outside its parent, and of the smaller sibling's area
    # allowed to overlap another sibling (digitised borders never match exactly)
    outside_tolerance: float = 0.01
    overlap_tolerance: float = 0.01
    dry_run: bool = False
    source_name: str = ""


@dataclass
class Candidate:
    index: int
    code: str | None = None
    name: str | None = None
    level: AreaLevel | None = None
    parent_code: str | None = None
    shape: BaseGeometry | None = None
    failed: bool = False
    existing: Area | None = None
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _field(properties: dict[str, Any], explicit: str | None, defaults: Sequence[str]):
    """(field name, value): the named field, else the first default present (any case)."""
    names = [explicit] if explicit else list(defaults)
    lowered = {str(k).lower(): k for k in properties}
    for name in names:
        if name in properties:
            return name, properties[name]
        if name.lower() in lowered:
            return lowered[name.lower()], properties[lowered[name.lower()]]
    return names[0], None


def normalise_code(value: Any) -> str | None:
    """A code as text: numbers (DataV writes adcodes as integers) and digit strings."""
    if isinstance(value, dict):  # DataV: "parent": {"adcode": 321300}
        value = value.get("adcode", value.get("code"))
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        value = int(value)
    if isinstance(value, int):
        return str(value)[:40]
    if isinstance(value, str) and value.strip():
        return value.strip()[:40]
    return None


def extract(
    raw: RawFeature, options: ImportOptions, convert: ToWgs84, report: ImportReport
) -> Candidate:
    """A candidate area from one feature: code, name, level, parent code, WGS-84 shape."""
    props = raw.properties
    candidate = Candidate(raw.index)
    code_field, code_value = _field(props, options.code_field, CODE_FIELDS)
    name_field, name_value = _field(props, options.name_field, NAME_FIELDS)
    candidate.code = normalise_code(code_value)
    if isinstance(name_value, str) and name_value.strip():
        candidate.name = name_value.strip()
    if candidate.code is None:
        _fail(report, candidate, "import_code_missing", field=code_field)
    else:
        candidate.level = infer_level(candidate.code)
        if candidate.level is None:
            _fail(report, candidate, "import_code_invalid", code=candidate.code)
        elif options.level is not None and options.level is not candidate.level:
            params = level_params(candidate.code, options.level)
            _fail(report, candidate, "import_level_mismatch", **params)
    if candidate.name is None:
        _fail(report, candidate, "import_name_missing", field=name_field)
    elif not valid_name(candidate.name):
        _fail(report, candidate, "area_name_invalid")
    if candidate.level is not None and candidate.level in PARENT_LEVEL:
        _, parent_value = _field(props, options.parent_field, PARENT_FIELDS)
        given = normalise_code(parent_value)
        candidate.parent_code = given or options.parent_code or derived_parent_code(candidate.code)
    _shape(raw, candidate, convert, report)
    return candidate


def _fail(report: ImportReport, candidate: Candidate, key: str, **params: Any) -> None:
    candidate.failed = True
    report.error(key, candidate, **params)


def _shape(raw: RawFeature, candidate: Candidate, convert: ToWgs84, report: ImportReport) -> None:
    for key, params in raw.notes:
        report.warning(key, candidate, **params)
    if raw.problem is not None:
        _fail(report, candidate, raw.problem[0], **raw.problem[1])
        return
    try:
        wgs84 = shapely.transform(raw.geometry, convert, interleaved=False)
        check_wgs84(wgs84)
        cleaned = clean(wgs84)
    except GeometryError as exc:
        _fail(report, candidate, exc.key, **exc.params)
        return
    if cleaned.repaired:
        report.warning("geometry_repaired", candidate, reason=cleaned.repaired)
    candidate.shape = cleaned.shape


def check_duplicates(candidates: Sequence[Candidate], report: ImportReport) -> None:
    by_code: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.code is not None:
            by_code[candidate.code].append(candidate)
    for code, same in by_code.items():
        if len(same) > 1:
            features = ", ".join(f"#{c.index}" for c in same)
            report.error(
                "import_duplicate_code", same[0], code=code, count=len(same), features=features
            )
            for candidate in same:
                candidate.failed = True


def load_areas(session: Session, codes: Iterable[str]) -> dict[str, Area]:
    """Existing areas by code, fetched in chunks (IN lists stay small on both databases)."""
    wanted = sorted(set(codes))
    found: dict[str, Area] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update((a.code, a) for a in session.scalars(select(Area).where(Area.code.in_(chunk))))
    return found


def check_parents(
    candidates: Sequence[Candidate], in_db: dict[str, Area], report: ImportReport
) -> None:
    """Each parent is in the file or the database, active, and the code extends it; an area
    that exists already stays under the parent it has (imports do not move subtrees)."""
    in_file = {c.code: c for c in candidates if c.code is not None and c.level is not None}
    for candidate in candidates:
        existing = in_db.get(candidate.code) if candidate.code else None
        candidate.existing = existing
        if existing is not None and not existing.active:
            _fail(report, candidate, "import_area_retired", code=candidate.code)
        if candidate.level is None or candidate.level not in PARENT_LEVEL:
            continue
        parent = candidate.parent_code
        file_parent, db_parent = in_file.get(parent), in_db.get(parent)
        parent_level = (
            file_parent.level if file_parent else (db_parent.level if db_parent else None)
        )
        if parent_level is None:
            _fail(report, candidate, "import_parent_unknown", parent=parent)
            continue
        if not code_extends(parent, parent_level, candidate.code, candidate.level):
            _fail(report, candidate, "import_parent_mismatch", code=candidate.code, parent=parent)
            continue
        if file_parent is None and not db_parent.active:
            _fail(report, candidate, "import_parent_retired", parent=parent)
        current = existing.parent.code if existing and existing.parent else None
        if existing is not None and current != parent:
            _fail(
                report,
                candidate,
                "import_moves_area",
                code=candidate.code,
                current=current or "-",
                parent=parent,
            )


def _db_shape(area: Area) -> BaseGeometry | None:
    if area.geometry is None:
        return None
    try:
        shape = to_shape(area.geometry)
    except (GEOSException, ValueError, TypeError, KeyError):
        return None
    return shape if shape.is_valid else shapely.make_valid(shape)


def _percent(ratio: float) -> str:
    return f"{ratio * 100:.2f}".rstrip("0").rstrip(".")


def check_outside_parent(
    candidates: Sequence[Candidate],
    in_db: dict[str, Area],
    tolerance: float,
    report: ImportReport,
) -> None:
    in_file = {c.code: c for c in candidates if c.code is not None}
    for candidate in candidates:
        if candidate.shape is None or candidate.parent_code is None:
            continue
        file_parent = in_file.get(candidate.parent_code)
        if file_parent is not None:
            parent_shape = file_parent.shape
        else:
            db_parent = in_db.get(candidate.parent_code)
            parent_shape = _db_shape(db_parent) if db_parent is not None else None
        if parent_shape is None:
            continue  # a parent without a boundary constrains nothing
        try:
            outside = candidate.shape.difference(parent_shape).area / candidate.shape.area
        except GEOSException:
            continue
        if outside > tolerance:
            _fail(
                report,
                candidate,
                "import_outside_parent",
                percent=_percent(outside),
                parent=candidate.parent_code,
                tolerance=_percent(tolerance),
            )


def check_sibling_overlaps(
    session: Session,
    candidates: Sequence[Candidate],
    in_db: dict[str, Area],
    tolerance: float,
    report: ImportReport,
) -> None:
    """Siblings (same parent) may touch but not overlap; siblings already in the database and
    absent from the file count too."""
    file_codes = {c.code for c in candidates if c.code}
    groups: dict[str, list[tuple[str, BaseGeometry, Candidate | None]]] = defaultdict(list)
    for candidate in candidates:
        if candidate.shape is not None and candidate.parent_code is not None:
            groups[candidate.parent_code].append((candidate.code, candidate.shape, candidate))
    parent_ids = {in_db[code].id: code for code in groups if code in in_db}
    for start in range(0, len(parent_ids), _CHUNK):
        chunk = list(parent_ids)[start : start + _CHUNK]
        rows = session.scalars(
            select(Area).where(
                Area.parent_id.in_(chunk), Area.active.is_(True), Area.geometry.is_not(None)
            )
        )
        for area in rows:
            shape = _db_shape(area) if area.code not in file_codes else None
            if shape is not None:
                groups[parent_ids[area.parent_id]].append((area.code, shape, None))
    for members in groups.values():
        _overlaps_in_group(members, tolerance, report)


def _overlaps_in_group(members, tolerance: float, report: ImportReport) -> None:
    shapes = [shape for _, shape, _ in members]
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        (code_a, a, cand_a), (code_b, b, cand_b) = members[i], members[j]
        if cand_a is None and cand_b is None:
            continue
        try:
            shared = a.intersection(b).area / min(a.area, b.area)
        except GEOSException:
            continue
        if shared > tolerance:
            # Reported on the later feature of the file (or the file's one against the DB's).
            target, other = (cand_b, code_a) if cand_b is not None else (cand_a, code_b)
            _fail(
                report,
                target,
                "import_overlap",
                other=other,
                percent=_percent(shared),
                tolerance=_percent(tolerance),
            )
