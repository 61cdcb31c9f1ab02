"""/healthz and /readyz for load balancers and orchestrators."""

from flask_smorest import Blueprint

from api.context import db
from api.resources.ops.schemas import HealthSchema, ReadinessSchema
from services.readiness import check_readiness

blp = Blueprint("ops", __name__, description="Probes for load balancers and orchestrators")


@blp.route("/healthz")
@blp.response(200, HealthSchema)
def healthz():
    """Liveness: the process is up"""
    return {"status": "ok"}


@blp.route("/readyz")
@blp.response(200, ReadinessSchema)
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def readyz():
    """Readiness: the database answers and its schema is at the latest migration"""
    return check_readiness(db())
