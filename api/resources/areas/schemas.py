"""Bodies, filters and views of the area endpoints."""

import marshmallow as ma
from marshmallow import validate

from api.i18n import message
from api.schemas import AreaRefSchema, FullMatch, PageArgsSchema, name_field, page_schema, text
from services.models.areas import AreaLevel
from services.queries.area_geojson import MAX_DEPTH

AREA_CODE = FullMatch(r"^[0-9]{6,15}$")
CODE_PREFIX = FullMatch(r"^[0-9]{1,15}$")

_EXAMPLE_GEOMETRY = {
    "type": "Polygon",
    "coordinates": [
        [
            [118.2700, 33.9600],
            [118.2720, 33.9600],
            [118.2720, 33.9615],
            [118.2700, 33.9615],
            [118.2700, 33.9600],
        ]
    ],
}
_NUMBERS = {"type": "array", "items": {"type": "number"}}


def _bbox(area):
    if area.min_lng is None:
        return None
    return [area.min_lng, area.min_lat, area.max_lng, area.max_lat]


def _centroid(area):
    if area.centroid_lng is None:
        return None
    return [area.centroid_lng, area.centroid_lat]


class AreaSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    code = ma.fields.String(required=True, metadata={"example": "321302001001001"})
    name = ma.fields.String(required=True)
    level = ma.fields.Enum(AreaLevel, by_value=True, required=True)
    parent_code = ma.fields.Function(
        lambda a: a.parent.code if a.parent else None,
        allow_none=True,
        metadata={"type": "string"},
    )
    path = ma.fields.String(
        required=True, metadata={"description": "materialised path, e.g. /321300/321302/"}
    )
    active = ma.fields.Boolean(required=True)
    retired_at = ma.fields.DateTime(allow_none=True)
    bbox = ma.fields.Function(
        _bbox,
        allow_none=True,
        metadata={**_NUMBERS, "description": "[min_lng, min_lat, max_lng, max_lat], WGS-84"},
    )
    centroid = ma.fields.Function(
        _centroid,
        allow_none=True,
        metadata={**_NUMBERS, "description": "[lng, lat] of a point inside the area, WGS-84"},
    )
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class AreaDetailSchema(AreaSchema):
    geometry = ma.fields.Dict(
        allow_none=True, metadata={"description": "GeoJSON Polygon or MultiPolygon, WGS-84"}
    )
    ancestors = ma.fields.List(
        ma.fields.Nested(AreaRefSchema),
        required=True,
        metadata={"description": "from the root down to the parent"},
    )
    child_count = ma.fields.Integer(
        required=True, metadata={"description": "active sub-areas one level down"}
    )


class AreaWrittenSchema(AreaDetailSchema):
    notices = ma.fields.Method(
        "_notices",
        metadata={
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
            "description": "what was done to the input, e.g. a self-intersecting boundary repaired",
        },
    )

    def _notices(self, detail):
        return [{"code": key, "message": message(key, **params)} for key, params in detail.notices]


class GeometrySchema(ma.Schema):
    """A GeoJSON Polygon or MultiPolygon in WGS-84 (longitude first)."""

    type = ma.fields.String(required=True, validate=validate.OneOf(["Polygon", "MultiPolygon"]))
    coordinates = ma.fields.List(
        ma.fields.Raw(metadata={"type": "array", "items": {}}),
        required=True,
        validate=validate.Length(min=1, max=10_000),
        metadata={"description": "Polygon: rings of [lng, lat]; MultiPolygon: polygons"},
    )
    bbox = ma.fields.List(ma.fields.Float(), validate=validate.Length(min=4, max=6))


class AreaCreateSchema(ma.Schema):
    code = ma.fields.String(
        required=True,
        validate=AREA_CODE,
        metadata={
            "example": "321302001001003",
            "description": "digits: city/district 6, street 9, community 12, grid 15",
        },
    )
    name = name_field(100, required=True, metadata={"example": "幸福社区第三网格"})
    level = ma.fields.Enum(
        AreaLevel, by_value=True, metadata={"description": "inferred from the code when omitted"}
    )
    parent_code = ma.fields.String(
        allow_none=True,
        validate=AREA_CODE,
        metadata={"example": "321302001001", "description": "required except for a city"},
    )
    geometry = ma.fields.Nested(
        GeometrySchema, allow_none=True, metadata={"example": _EXAMPLE_GEOMETRY}
    )


class AreaUpdateSchema(ma.Schema):
    name = name_field(100, metadata={"example": "幸福社区第一网格"})
    geometry = ma.fields.Nested(GeometrySchema, metadata={"example": _EXAMPLE_GEOMETRY})


class AreaRetireSchema(ma.Schema):
    reason = text(1, 200, required=True, metadata={"example": "行政区划调整"})
    cascade = ma.fields.Boolean(
        load_default=False, metadata={"description": "retire the active sub-areas with it"}
    )


class AreaQuerySchema(PageArgsSchema):
    level = ma.fields.Enum(AreaLevel, by_value=True)
    parent_code = ma.fields.String(
        data_key="parent",
        validate=AREA_CODE,
        metadata={"description": "code of the parent: its direct children"},
    )
    code_prefix = ma.fields.String(validate=CODE_PREFIX, metadata={"example": "321302"})
    q = text(1, 64, metadata={"description": "part of the name (taken literally)"})
    include_retired = ma.fields.Boolean(load_default=False)


class AreaChildrenQuerySchema(PageArgsSchema):
    include_retired = ma.fields.Boolean(load_default=False)


class AreaGeoJsonQuerySchema(ma.Schema):
    depth = ma.fields.Integer(
        load_default=1,
        validate=validate.Range(min=0, max=MAX_DEPTH),
        metadata={"description": "levels below the area to include (0: the area alone)"},
    )


class AreaFeaturePropertiesSchema(ma.Schema):
    id = ma.fields.String(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    level = ma.fields.String(required=True, metadata={"enum": [v.value for v in AreaLevel]})
    parent_code = ma.fields.String(required=True, allow_none=True)


class AreaFeatureSchema(ma.Schema):
    type = ma.fields.String(required=True, metadata={"example": "Feature"})
    id = ma.fields.String(required=True)
    geometry = ma.fields.Dict(required=True, allow_none=True)
    properties = ma.fields.Nested(AreaFeaturePropertiesSchema, required=True)


class AreaFeatureCollectionSchema(ma.Schema):
    type = ma.fields.String(required=True, metadata={"example": "FeatureCollection"})
    features = ma.fields.List(ma.fields.Nested(AreaFeatureSchema), required=True)


AreaPageSchema = page_schema(AreaSchema, "AreaPage")
