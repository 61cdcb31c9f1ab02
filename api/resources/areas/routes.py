"""Areas: the responsibility map from city to grid."""

from flask_smorest import Blueprint

blp = Blueprint("areas", __name__, url_prefix="/api/v1/areas", description="Areas and grids")
