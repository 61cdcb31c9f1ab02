"""GET /api/v1/audit."""

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, db
from api.resources.audit.schemas import AuditPageSchema, AuditQuerySchema
from services.models.accounts import Role
from services.queries.audit import AuditFilter, list_audit

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="Audit trail")


@blp.route("")
@auth_required(blp, Role.ADMIN)
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditPageSchema)
def list_entries(args):
    """Audit entries in my area: logins, account changes and every state change"""
    page, size = args.pop("page"), args.pop("page_size")
    return list_audit(db(), actor(), AuditFilter(**args), page=page, page_size=size)
