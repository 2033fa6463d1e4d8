"""Each checklist line its own rule ID (issue 15): the Office's domicile judgements, stored
under the shared "M-11.1", move to the domicile line's "M-11.1a" (the years of operation are
"M-11.1b" and are never judged by hand). Data only; no schema change.

Revision ID: endpoints_checklist_subrules
Revises: secdata_encrypt_id_numbers
"""

from alembic import op

revision = "endpoints_checklist_subrules"
down_revision = "secdata_encrypt_id_numbers"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE eligibility_judgement SET rule = 'M-11.1a' WHERE rule = 'M-11.1'")


def downgrade():
    op.execute("UPDATE eligibility_judgement SET rule = 'M-11.1' WHERE rule = 'M-11.1a'")
