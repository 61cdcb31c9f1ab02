"""Administering the area map: create, rename, replace a boundary, retire.

Every change is authorised against the area tree (creating: the parent's subtree; changing: the
area's own), writes an audit entry and bumps the area version in the same transaction, so every
process rebuilds its spatial index.

Retiring is soft (``active=False`` + ``retired_at``): the row, its code and its history stay, and
reports filed in it keep pointing at it. An area with active sub-areas is retired only together
with them (``cascade=True``), so no active area ever hangs under a retired one.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import replace
from typing import Any

import shapely
from shapely.errors import GEOSException
from sqlalchemy import select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.area_codes import PARENT_LEVEL, code_extends, infer_level, is_code
from services.area_version import bump_area_version
from services.assignments import end_assignments_of
from services.authz import Action, Target, require, require_some
from services.db import lock_key, utcnow
from services.errors import Conflict, ValidationFailed
from services.geo.polygons import CleanGeometry, GeometryError, vertex_count, wgs84_polygonal
from services.geo.shapes import summarise, to_geojson, to_shape
from services.messages_areas import LEVEL_ZH
from services.models.areas import Area, AreaLevel
from services.queries.areas import (
    AreaDetail,
    area_detail,
    find_area_by_code,
    get_area,
    in_subtree,
)

UNSET: Any = object()
NAME_MAX = 100
# One line of visible text: no control characters, no bidirectional overrides (as api/schemas).
_NAME = re.compile(r"(?=.*\S)[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def valid_name(name: object) -> bool:
    return isinstance(name, str) and len(name) <= NAME_MAX and _NAME.fullmatch(name) is not None


def level_params(code: str, level: AreaLevel) -> dict[str, str]:
    return {"code": code, "level": level.value, "level_zh": LEVEL_ZH[level.value]}


def geometry_summary(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the audit trail keeps of a boundary: a digest, its size and box (not megabytes)."""
    if geometry is None:
        return None
    canonical = json.dumps(geometry, sort_keys=True, separators=(",", ":"))
    shape = to_shape(geometry)
    return {
        "type": geometry.get("type"),
        "vertices": vertex_count(shape),
        "bbox": [round(v, 7) for v in shape.bounds],
        "sha256": hashlib.sha256(canonical.encode()).hexdigest()[:16],
    }


def summary(area: Area) -> dict[str, Any]:
    return {
        "code": area.code,
        "name": area.name,
        "level": area.level.value,
        "parent": area.parent.code if area.parent else None,
        "active": area.active,
        "geometry": geometry_summary(area.geometry),
    }


def set_geometry(area: Area, clean: CleanGeometry | None) -> None:
    """Store a cleaned boundary with its bounding box and inside centroid (or clear them)."""
    if clean is None:
        area.geometry = None
        area.min_lng = area.min_lat = area.max_lng = area.max_lat = None
        area.centroid_lng = area.centroid_lat = None
        return
    s = summarise(clean.shape)
    area.geometry = to_geojson(clean.shape)
    area.min_lng, area.min_lat, area.max_lng, area.max_lat = (
        s.min_lng,
        s.min_lat,
        s.max_lng,
        s.max_lat,
    )
    area.centroid_lng, area.centroid_lat = s.centroid_lng, s.centroid_lat


def clean_geometry(geometry: Any) -> CleanGeometry:
    """The API's boundary check: a WGS-84 GeoJSON Polygon/MultiPolygon, repaired if needed."""
    try:
        return wgs84_polygonal(geometry)
    except GeometryError as exc:
        raise ValidationFailed(fields={"geometry": exc.key}, **exc.params) from None


def _notices(clean: CleanGeometry | None) -> tuple[tuple[str, dict[str, Any]], ...]:
    if clean is None or clean.repaired is None:
        return ()
    return (("geometry_repaired", {"reason": clean.repaired}),)


# The share of an area allowed outside its parent, as for imports (digitised borders never match).
OUTSIDE_PARENT_TOLERANCE = 0.01


def _check_inside_parent(parent: Area | None, clean: CleanGeometry | None) -> None:
    """A boundary drawn through the API may not stick out of its parent's (if it has one)."""
    if parent is None or clean is None or not parent.geometry:
        return
    parent_shape = to_shape(parent.geometry)
    if not parent_shape.is_valid:
        parent_shape = shapely.make_valid(parent_shape)
    try:
        outside = clean.shape.difference(parent_shape).area / clean.shape.area
    except GEOSException:
        return  # an unusable parent boundary constrains nothing (as for imports)
    if outside > OUTSIDE_PARENT_TOLERANCE:
        raise ValidationFailed(
            fields={"geometry": "area_outside_parent"},
            percent=f"{outside * 100:.2f}",
            parent=parent.code,
            tolerance=f"{OUTSIDE_PARENT_TOLERANCE * 100:g}",
        )


def resolve_level(code: str, level: AreaLevel | None) -> AreaLevel:
    """The level a code denotes; a level given alongside must agree with it."""
    inferred = infer_level(code) if is_code(code) else None
    if inferred is None:
        raise ValidationFailed(fields={"code": "area_code_invalid"})
    if level is not None and level is not inferred:
        raise ValidationFailed(fields={"level": "area_level_mismatch"}, **level_params(code, level))
    return inferred


def _resolve_parent(session: Session, code: str, level: AreaLevel, parent_code: str | None):
    if level not in PARENT_LEVEL:
        if parent_code is not None:
            raise ValidationFailed(fields={"parent_code": "area_parent_not_allowed"})
        return None
    if parent_code is None:
        raise ValidationFailed(fields={"parent_code": "area_parent_required"})
    parent = find_area_by_code(session, parent_code)
    if parent is None:
        raise ValidationFailed(fields={"parent_code": "area_unknown"})
    if not code_extends(parent.code, parent.level, code, level):
        raise ValidationFailed(
            fields={"code": "area_parent_mismatch"}, code=code, parent=parent.code
        )
    if not parent.active:
        raise ValidationFailed(fields={"parent_code": "area_parent_retired"})
    return parent


def create_area(
    session: Session,
    *,
    actor: Actor,
    code: str,
    name: str,
    level: AreaLevel | None = None,
    parent_code: str | None = None,
    geometry: dict[str, Any] | None = None,
) -> AreaDetail:
    """Add an area under an active parent (a city has none); the code fixes its level."""
    require_some(actor, Action.AREA_MANAGE)
    level = resolve_level(code, level)
    if not valid_name(name):
        raise ValidationFailed(fields={"name": "area_name_invalid"})
    parent = _resolve_parent(session, code, level, parent_code)
    require(actor, Action.AREA_MANAGE, Target(area_path=parent.path if parent else None))
    clean = clean_geometry(geometry) if geometry is not None else None
    _check_inside_parent(parent, clean)
    lock_key(session, f"area:{code}")
    if find_area_by_code(session, code) is not None:
        raise ValidationFailed(fields={"code": "area_code_taken"})
    area = Area(
        code=code,
        name=name,
        level=level,
        parent=parent,
        parent_id=parent.id if parent else None,
        path=Area.child_path(parent, code),
        active=True,
    )
    set_geometry(area, clean)
    session.add(area)
    session.flush()
    audit.record(
        session,
        actor,
        "area.created",
        object_type="area",
        object_id=area.id,
        area_path=area.path,
        after=summary(area),
    )
    bump_area_version(session)
    session.commit()
    return replace(area_detail(session, area), notices=_notices(clean))


def update_area(
    session: Session,
    *,
    actor: Actor,
    area_id: uuid.UUID,
    name: str = UNSET,
    geometry: dict[str, Any] = UNSET,
) -> AreaDetail:
    """Rename an area and/or replace its boundary; each kind of change is its own audit entry."""
    area = get_area(session, area_id)
    require(actor, Action.AREA_MANAGE, Target(area_path=area.path))
    if name is UNSET and geometry is UNSET:
        raise ValidationFailed("area_update_empty")
    if name is not UNSET and not valid_name(name):
        raise ValidationFailed(fields={"name": "area_name_invalid"})
    clean = clean_geometry(geometry) if geometry is not UNSET else None
    if not area.active:
        raise Conflict("area_retired")
    _check_inside_parent(area.parent, clean)
    changed = False
    if name is not UNSET and name != area.name:
        before = area.name
        area.name = name
        _record(session, actor, area, "area.renamed", {"name": before}, {"name": name})
        changed = True
    if clean is not None:
        before = geometry_summary(area.geometry)
        set_geometry(area, clean)
        after = geometry_summary(area.geometry)
        if after != before:
            after = {"geometry": after, "repaired": clean.repaired}
            _record(session, actor, area, "area.geometry_replaced", {"geometry": before}, after)
            changed = True
    if changed:
        bump_area_version(session)
    session.commit()
    return replace(area_detail(session, area), notices=_notices(clean))


def retire_area(
    session: Session,
    *,
    actor: Actor,
    area_id: uuid.UUID,
    reason: str,
    cascade: bool = False,
) -> AreaDetail:
    """Retire an area; with ``cascade`` its active sub-areas go too, else there must be none."""
    area = get_area(session, area_id)
    require(actor, Action.AREA_MANAGE, Target(area_path=area.path))
    if not area.active:
        raise Conflict("area_already_retired")
    below = list(
        session.scalars(
            select(Area)
            .where(in_subtree(Area.path, area.path), Area.id != area.id, Area.active.is_(True))
            .order_by(Area.path)
        )
    )
    if below and not cascade:
        raise Conflict("area_has_active_children", count=len(below))
    now = utcnow()
    for each in (area, *below):
        each.active = False
        each.retired_at = now
        after: dict[str, Any] = {"active": False, "reason": reason}
        if each is not area:
            after["with"] = area.code
        _record(session, actor, each, "area.retired", {"active": True}, after)
    end_assignments_of(
        session, actor, reason="area_retired", area_ids=[each.id for each in (area, *below)]
    )
    bump_area_version(session)
    session.commit()
    return area_detail(session, area)


def _record(
    session: Session, actor: Actor, area: Area, action: str, before: dict, after: dict
) -> None:
    audit.record(
        session,
        actor,
        action,
        object_type="area",
        object_id=area.id,
        area_path=area.path,
        before=before,
        after=after,
    )
