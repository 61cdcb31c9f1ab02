"""Grid assignments: which workers serve which grids."""

from flask_smorest import Blueprint

blp = Blueprint(
    "assignments", __name__, url_prefix="/api/v1", description="Grid workers and their grids"
)
