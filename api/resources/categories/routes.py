"""The event catalogue."""

from flask_smorest import Blueprint

blp = Blueprint(
    "categories", __name__, url_prefix="/api/v1/categories", description="Event catalogue"
)
