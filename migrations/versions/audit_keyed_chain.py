"""The audit log's keyed MAC chain (issue 15, M-3): the algorithm of each entry's MAC and the
origin of the change (screen, api, cli, job). Existing entries keep their unkeyed hash and
NULL algorithm; `flask --app app award audit-rekey` re-seals them with AUDIT_KEY once their
old chain is checked intact (verify-audit reports them until then).

Revision ID: audit_keyed_chain
Revises: secauth_login_security
Create Date: 2026-12-05 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'audit_keyed_chain'
down_revision = 'secauth_login_security'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('algorithm', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('algorithm')
        batch_op.drop_column('origin')
