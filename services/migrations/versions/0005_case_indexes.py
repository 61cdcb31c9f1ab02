"""case indexes: the staff list by status and month, the statistics by month

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

A month's cases of one status (or of all) are a contiguous range of these indexes, with the area
path checked inside the index: the count is an index-only scan and the page reads only the
matching rows. Partial indexes keep the open overdue cases (statistics) and the cases the SLA scan
must look at small. Measured by bench/bench_cases.py on a million cases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_reports_status_created_path", "reports", ["status", "created_at", "area_path"]
    )
    op.create_index("ix_reports_created_path", "reports", ["created_at", "area_path"])
    open_sql = "('reported', 'filed', 'dispatched', 'in_progress', 'resolved')"
    disposal_sql = "('dispatched', 'in_progress')"
    op.create_index(
        "ix_reports_open_overdue",
        "reports",
        ["area_path"],
        postgresql_where=sa.text(f"overdue AND status IN {open_sql}"),
        sqlite_where=sa.text(f"overdue = 1 AND status IN {open_sql}"),
    )
    op.create_index(
        "ix_reports_filing_unflagged",
        "reports",
        ["filing_due_at"],
        postgresql_where=sa.text("NOT overdue AND status = 'reported'"),
        sqlite_where=sa.text("overdue = 0 AND status = 'reported'"),
    )
    op.create_index(
        "ix_reports_disposal_unflagged",
        "reports",
        ["disposal_due_at"],
        postgresql_where=sa.text(f"NOT overdue AND status IN {disposal_sql}"),
        sqlite_where=sa.text(f"overdue = 0 AND status IN {disposal_sql}"),
    )


def downgrade() -> None:
    op.drop_index("ix_reports_disposal_unflagged", table_name="reports")
    op.drop_index("ix_reports_filing_unflagged", table_name="reports")
    op.drop_index("ix_reports_open_overdue", table_name="reports")
    op.drop_index("ix_reports_created_path", table_name="reports")
    op.drop_index("ix_reports_status_created_path", table_name="reports")
