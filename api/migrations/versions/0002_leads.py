"""Leads (the coordinator's pipeline) and their change log.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code_name", sa.String(80), nullable=False),
        sa.Column("referral_source", sa.String(100), nullable=False),
        sa.Column("owner_key_id", sa.Integer),
        sa.Column("profile_json", sa.Text, nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("chosen_site", sa.String(40)),
        sa.Column("visited_json", sa.Text, nullable=False),
        sa.Column("dropped_json", sa.Text, nullable=False),
        sa.Column("shared_with_json", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_leads_owner_key_id", "leads", ["owner_key_id"])
    op.create_table(
        "lead_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("lead_id", sa.Integer, nullable=False),
        sa.Column("before_json", sa.Text),
        sa.Column("after_json", sa.Text),
    )
    op.create_index("ix_lead_log_lead_id", "lead_log", ["lead_id"])


def downgrade() -> None:
    op.drop_table("lead_log")
    op.drop_index("ix_leads_owner_key_id", "leads")
    op.drop_table("leads")
