"""Every model, imported here so ``Base.metadata`` is complete for Alembic and the tests."""

from services.models.accounts import AuthSession, OtpCode, Role, User, UserRole
from services.models.areas import Area, AreaLevel, Counter, Department, GridAssignment, GridDuty
from services.models.audit import AuditEntry
from services.models.calendar import CalendarDay, CalendarYear, DayKind
from services.models.catalogue import (
    Category,
    CategoryDepartmentOverride,
    CategoryKind,
    LimitUnit,
    Phase,
    Urgency,
)
from services.models.media import MediaFile, MediaPurpose
from services.models.reports import (
    DuplicateReason,
    DuplicateStatus,
    IdempotencyRecord,
    LocationSource,
    Report,
    ReportDuplicate,
    ReportEvent,
    ReportNumberDay,
    ReportSource,
    ReportStatus,
    ReportSupporter,
)
from services.models.workflow import (
    CategoryMapping,
    ExtensionRequest,
    ExtensionStatus,
    IntakeEvent,
    IntakeSource,
    ReplyTemplate,
)

__all__ = [
    "Area",
    "AreaLevel",
    "AuditEntry",
    "AuthSession",
    "CalendarDay",
    "CalendarYear",
    "Category",
    "CategoryDepartmentOverride",
    "CategoryKind",
    "CategoryMapping",
    "Counter",
    "DayKind",
    "Department",
    "DuplicateReason",
    "DuplicateStatus",
    "ExtensionRequest",
    "ExtensionStatus",
    "GridAssignment",
    "GridDuty",
    "IdempotencyRecord",
    "IntakeEvent",
    "IntakeSource",
    "LimitUnit",
    "LocationSource",
    "MediaFile",
    "MediaPurpose",
    "OtpCode",
    "Phase",
    "ReplyTemplate",
    "Report",
    "ReportDuplicate",
    "ReportEvent",
    "ReportNumberDay",
    "ReportSource",
    "ReportStatus",
    "ReportSupporter",
    "Role",
    "Urgency",
    "User",
    "UserRole",
]
