"""An area and its subtree as a GeoJSON FeatureCollection, for maps."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, aliased

from services.errors import ValidationFailed
from services.models.areas import Area
from services.queries.areas import get_area, in_subtree

# City → district → street → community → grid: four levels below a city is everything.
MAX_DEPTH = 4
DEFAULT_MAX_FEATURES = 5000


def slashes(path: ColumnElement[str]) -> ColumnElement[int]:
    """The slashes in a materialised path (one more than its codes), counted portably."""
    return func.length(path) - func.length(func.replace(path, "/", ""))


def subtree_geojson(
    session: Session,
    area_id: uuid.UUID,
    *,
    depth: int = 1,
    max_features: int = DEFAULT_MAX_FEATURES,
) -> dict[str, Any]:
    """The area (even if retired) and its active descendants down to ``depth`` levels below it.

    Refuses (422) rather than truncates when there are more than ``max_features``: half a map
    looks like a whole one.
    """
    area = get_area(session, area_id)
    depth = max(0, min(depth, MAX_DEPTH))
    parent = aliased(Area)
    condition = (
        in_subtree(Area.path, area.path),
        slashes(Area.path) <= area.path.count("/") + depth,
        or_(Area.id == area.id, Area.active.is_(True)),
    )
    count = session.scalar(select(func.count()).select_from(Area).where(*condition)) or 0
    if count > max_features:
        raise ValidationFailed(
            fields={"depth": "geojson_too_many_features"}, count=count, limit=max_features
        )
    rows = session.execute(
        select(
            Area.id, Area.code, Area.name, Area.level, Area.geometry, parent.code.label("parent")
        )
        .outerjoin(parent, Area.parent_id == parent.id)
        .where(*condition)
        .order_by(Area.path)
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": str(row.id),
                "geometry": row.geometry,
                "properties": {
                    "id": str(row.id),
                    "code": row.code,
                    "name": row.name,
                    "level": row.level.value,
                    "parent_code": row.parent,
                },
            }
            for row in rows
        ],
    }
