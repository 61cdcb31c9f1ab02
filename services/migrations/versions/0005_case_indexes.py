"""case indexes: the staff list by status and month, the statistics by month

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

A month's cases of one status (or of all) are a contiguous range of these indexes, with the area
path checked inside the index: the count is an index-only scan and the page reads only the
matching rows. Measured by bench/bench_cases.py on a million cases.
"""

from collections.abc import Sequence

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


def downgrade() -> None:
    op.drop_index("ix_reports_created_path", table_name="reports")
    op.drop_index("ix_reports_status_created_path", table_name="reports")
