"""API keys, sites, site audit log (the schema of the first release).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("municipality_code", sa.String(3)),
        sa.Column("label", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "sites",
        sa.Column("site_id", sa.String(40), primary_key=True),
        sa.Column("municipality_code", sa.String(3), nullable=False),
        sa.Column("row_json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_sites_municipality_code", "sites", ["municipality_code"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("site_id", sa.String(40), nullable=False),
        sa.Column("before_json", sa.Text),
        sa.Column("after_json", sa.Text),
    )
    op.create_index("ix_audit_log_site_id", "audit_log", ["site_id"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_index("ix_sites_municipality_code", "sites")
    op.drop_table("sites")
    op.drop_table("api_keys")
