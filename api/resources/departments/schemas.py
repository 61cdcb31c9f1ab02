"""Bodies and filters of the department endpoints."""

import marshmallow as ma
from marshmallow import validate

from api.schemas import AreaRefSchema, FullMatch, PageArgsSchema, name_field, page_schema, text

DEPARTMENT_CODE = FullMatch(r"^[A-Za-z0-9_-]{1,32}$")
AREA_CODE = FullMatch(r"^[0-9A-Za-z_-]{1,32}$")


def _phone(**kwargs) -> ma.fields.String:
    return ma.fields.String(
        validate=validate.Length(min=1, max=32),
        metadata={
            "description": "public service number: landline (0527-84000001), mobile or hotline",
            "example": "0527-84000005",
        },
        **kwargs,
    )


class DepartmentSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    code = ma.fields.String(required=True, metadata={"example": "SCQ-CG"})
    name = ma.fields.String(required=True, metadata={"example": "宿城区城市管理局"})
    phone = ma.fields.String(
        allow_none=True, metadata={"description": "public service number, not masked"}
    )
    area = ma.fields.Nested(
        AreaRefSchema, allow_none=True, metadata={"description": "jurisdiction"}
    )
    active = ma.fields.Boolean(
        required=True, metadata={"description": "inactive departments receive no new work"}
    )
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class DepartmentCreateSchema(ma.Schema):
    code = ma.fields.String(
        required=True,
        validate=DEPARTMENT_CODE,
        metadata={"description": "stored upper-case", "example": "SCQ-SJ"},
    )
    name = name_field(100, required=True, metadata={"example": "宿城区市场监督管理局"})
    phone = _phone(allow_none=True)
    area_code = ma.fields.String(
        required=True,
        validate=AREA_CODE,
        metadata={"description": "the area of jurisdiction", "example": "321302"},
    )


class DepartmentUpdateSchema(ma.Schema):
    name = name_field(100, metadata={"example": "宿城区城市管理局"})
    phone = _phone(allow_none=True)
    area_code = ma.fields.String(validate=AREA_CODE, metadata={"example": "321302"})


class DepartmentQuerySchema(PageArgsSchema):
    area_code = ma.fields.String(
        validate=AREA_CODE,
        metadata={"description": "departments whose jurisdiction is this area or below it"},
    )
    q = text(1, 64, metadata={"description": "part of the code or the name"})
    active = ma.fields.Boolean()


DepartmentPageSchema = page_schema(DepartmentSchema, "DepartmentPage")
