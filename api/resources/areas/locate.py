"""Locating points in grids."""

from flask_smorest import Blueprint

blp = Blueprint(
    "locate", __name__, url_prefix="/api/v1/areas", description="Locate points in grids"
)
