"""Probe bodies."""

import marshmallow as ma


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True)


class ReadinessSchema(ma.Schema):
    status = ma.fields.String(required=True)
    database = ma.fields.String(required=True)
    migration_current = ma.fields.List(ma.fields.String(), required=True)
    migration_head = ma.fields.List(ma.fields.String(), required=True)
