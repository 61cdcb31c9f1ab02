"""Every model, imported here so ``Base.metadata`` is complete for Alembic and the tests."""

from services.models.accounts import AuthSession, OtpCode, Role, User, UserRole
from services.models.areas import Area, AreaLevel, Department
from services.models.audit import AuditEntry

__all__ = [
    "Area",
    "AreaLevel",
    "AuditEntry",
    "AuthSession",
    "Department",
    "OtpCode",
    "Role",
    "User",
    "UserRole",
]
