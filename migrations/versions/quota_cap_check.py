"""M-4 as a database check too: each prize's quota of a cycle is 0 to 2 (was only >= 0).

Revision ID: quota_cap_check
Revises: endpoints_checklist_subrules
"""

from alembic import op

revision = "quota_cap_check"
down_revision = "endpoints_checklist_subrules"
branch_labels = None
depends_on = None

NAME = "ck_award_cycle_quotas"


def upgrade():
    with op.batch_alter_table("award_cycle") as batch:
        batch.drop_constraint(op.f(NAME), type_="check")
        batch.create_check_constraint(
            op.f(NAME), "award_quota BETWEEN 0 AND 2 AND nomination_quota BETWEEN 0 AND 2"
        )


def downgrade():
    with op.batch_alter_table("award_cycle") as batch:
        batch.drop_constraint(op.f(NAME), type_="check")
        batch.create_check_constraint(op.f(NAME), "award_quota >= 0 AND nomination_quota >= 0")
