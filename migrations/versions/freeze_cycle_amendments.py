"""Cycle amendments: a frozen setting changed by the Committee's decision, with the old and new
value, the reason and the decision's reference (M-3, M-17).

Revision ID: freeze_cycle_amendments
Revises: 7fa3d9271468
Create Date: 2026-12-05 23:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'freeze_cycle_amendments'
down_revision = '7fa3d9271468'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cycle_amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decision_ref', sa.String(length=200), nullable=False),
    sa.Column('amended_at', sa.DateTime(), nullable=False),
    sa.Column('amended_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['award_cycle.id'], name=op.f('fk_cycle_amendment_cycle_id_award_cycle')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_amendment'))
    )
    with op.batch_alter_table('cycle_amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cycle_amendment_amended_at'), ['amended_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cycle_amendment_cycle_id'), ['cycle_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cycle_amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cycle_amendment_cycle_id'))
        batch_op.drop_index(batch_op.f('ix_cycle_amendment_amended_at'))

    op.drop_table('cycle_amendment')
