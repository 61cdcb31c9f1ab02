"""closed loop

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_sources",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "mini_program",
                "app",
                "patrol",
                "hotline",
                "police_110",
                "digital_city",
                "other",
                name="reportsource",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("key_prefix", sa.String(length=12), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.Uuid(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_intake_sources_area_id_areas")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_intake_sources_name")),
    )
    with op.batch_alter_table("intake_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_intake_sources_key_prefix"), ["key_prefix"], unique=False
        )

    op.create_table(
        "category_mappings",
        sa.Column("source_id", sa.Uuid(), nullable=True),
        sa.Column("pattern", sa.String(length=100), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_category_mappings_category_id_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["intake_sources.id"],
            name=op.f("fk_category_mappings_source_id_intake_sources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category_mappings")),
    )
    op.create_table(
        "reply_templates",
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_reply_templates_category_id_categories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_templates")),
    )
    with op.batch_alter_table("reply_templates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reply_templates_action"), ["action"], unique=False)

    op.create_table(
        "extension_requests",
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=False),
        sa.Column("requested_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "refused",
                name="extensionstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_extension_requests_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_extension_requests_report_id_reports")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_extension_requests_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension_requests")),
    )
    with op.batch_alter_table("extension_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_extension_requests_report_id"), ["report_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_extension_requests_status"), ["status"], unique=False)

    op.create_table(
        "intake_events",
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("caller_phone", sa.String(length=20), nullable=True),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_intake_events_report_id_reports")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["intake_sources.id"],
            name=op.f("fk_intake_events_source_id_intake_sources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_events")),
        sa.UniqueConstraint(
            "source_id", "external_id", name=op.f("uq_intake_events_source_id_external_id")
        ),
    )
    with op.batch_alter_table("intake_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_events_report_id"), ["report_id"], unique=False)

    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("filed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("handler_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("reject_reason", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("rework_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("reopen_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("self_resolved", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("supervised_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("external_ref", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "ix_reports_department_status", ["department_id", "status"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reports_handler_id_users"), "users", ["handler_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reports_merged_into_id_reports"), "reports", ["merged_into_id"], ["id"]
        )

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_reports_merged_into_id_reports"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_reports_handler_id_users"), type_="foreignkey")
        batch_op.drop_index("ix_reports_department_status")
        batch_op.drop_column("external_ref")
        batch_op.drop_column("supervised_at")
        batch_op.drop_column("self_resolved")
        batch_op.drop_column("reopen_count")
        batch_op.drop_column("rework_count")
        batch_op.drop_column("reject_reason")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("handler_id")
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("accepted_at")
        batch_op.drop_column("dispatched_at")
        batch_op.drop_column("filed_at")

    with op.batch_alter_table("intake_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_events_report_id"))

    op.drop_table("intake_events")
    with op.batch_alter_table("extension_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extension_requests_status"))
        batch_op.drop_index(batch_op.f("ix_extension_requests_report_id"))

    op.drop_table("extension_requests")
    with op.batch_alter_table("reply_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reply_templates_action"))

    op.drop_table("reply_templates")
    op.drop_table("category_mappings")
    with op.batch_alter_table("intake_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_sources_key_prefix"))

    op.drop_table("intake_sources")
    # ### end Alembic commands ###
