"""Departments: the responsible units."""

from flask_smorest import Blueprint

blp = Blueprint(
    "departments", __name__, url_prefix="/api/v1/departments", description="Departments"
)
