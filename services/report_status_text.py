"""Plain-language texts of a report's status and of who acted, for residents (zh-CN, en)."""

from __future__ import annotations

from services.messages import render
from services.messages_reports import status_text_key
from services.models.reports import ReportStatus


def status_text(status: ReportStatus | str, locale: str) -> str:
    """What is happening with the report, in words a resident uses (not the workflow term)."""
    return render(status_text_key(status), locale)


def actor_text(kind: str, locale: str) -> str:
    """``me``, ``staff``, ``resident`` or ``system``: never a staff member's name."""
    return render(f"report_actor_{kind}", locale)
