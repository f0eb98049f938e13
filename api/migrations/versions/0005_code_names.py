"""A lead saved without a code name used to take the investor's name as its code name, and the
municipalities it was shared with saw that name. Such leads (code name equal to the profile's name)
get the code name a new lead gets, "L-<id>"; the change is written to the lead log like any other.

Revision ID: 0005
Revises: 0004
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    leads = sa.table("leads", sa.column("id", sa.Integer), sa.column("code_name", sa.String),
                     sa.column("profile_json", sa.Text))
    log = sa.table("lead_log", sa.column("actor", sa.String), sa.column("lead_id", sa.Integer),
                   sa.column("before_json", sa.Text), sa.column("after_json", sa.Text))
    for lead_id, code_name, profile_json in conn.execute(sa.select(leads.c.id, leads.c.code_name, leads.c.profile_json)):
        try:
            name = json.loads(profile_json).get("name")
        except (ValueError, AttributeError):
            continue
        if name and code_name == name:
            new = f"L-{lead_id}"
            conn.execute(sa.update(leads).where(leads.c.id == lead_id).values(code_name=new))
            conn.execute(sa.insert(log).values(actor="migration 0005", lead_id=lead_id,
                                               before_json=json.dumps({"code_name": code_name}, ensure_ascii=False),
                                               after_json=json.dumps({"code_name": new})))


def downgrade() -> None:
    pass  # the investor's name is not put back where municipalities would see it
