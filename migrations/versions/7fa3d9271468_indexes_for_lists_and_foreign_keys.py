"""Indexes for every foreign key, every list's default sort column and the date/user filters
of the large lists (issue 8; tests/domain/test_indexes.py keeps it that way).

Revision ID: 7fa3d9271468
Revises: 2949d7002f80
Create Date: 2026-11-24 09:08:48.174365

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7fa3d9271468'
down_revision = '2949d7002f80'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_submitted_on'), ['submitted_on'], unique=False)

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_username'), ['username'], unique=False)

    with op.batch_alter_table('ban', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ban_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ban_ends_on'), ['ends_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_ban_revocation_case_id'), ['revocation_case_id'], unique=False)

    with op.batch_alter_table('criteria_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_item_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_criteria_item_position'), ['position'], unique=False)

    with op.batch_alter_table('eligibility_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eligibility_review_reviewed_at'), ['reviewed_at'], unique=False)

    with op.batch_alter_table('follow_up_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_report_document_id'), ['document_id'], unique=False)

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_district'), ['district'], unique=False)

    with op.batch_alter_table('review_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_report_author_id'), ['author_id'], unique=False)

    with op.batch_alter_table('revocation_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revocation_case_follow_up_report_id'), ['follow_up_report_id'], unique=False)

    with op.batch_alter_table('satisfaction_evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfaction_evaluation_report_document_id'), ['report_document_id'], unique=False)

    with op.batch_alter_table('score_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_change_changed_at'), ['changed_at'], unique=False)

    with op.batch_alter_table('scoresheet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scoresheet_submitted_at'), ['submitted_at'], unique=False)

    with op.batch_alter_table('stage_move', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_move_moved_at'), ['moved_at'], unique=False)



def downgrade():
    with op.batch_alter_table('stage_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_move_moved_at'))

    with op.batch_alter_table('scoresheet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scoresheet_submitted_at'))

    with op.batch_alter_table('score_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_change_changed_at'))

    with op.batch_alter_table('satisfaction_evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfaction_evaluation_report_document_id'))

    with op.batch_alter_table('revocation_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revocation_case_follow_up_report_id'))

    with op.batch_alter_table('review_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_report_author_id'))

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_district'))

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_created_at'))

    with op.batch_alter_table('follow_up_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_report_document_id'))

    with op.batch_alter_table('eligibility_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eligibility_review_reviewed_at'))

    with op.batch_alter_table('criteria_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_item_position'))
        batch_op.drop_index(batch_op.f('ix_criteria_item_category_id'))

    with op.batch_alter_table('ban', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ban_revocation_case_id'))
        batch_op.drop_index(batch_op.f('ix_ban_ends_on'))
        batch_op.drop_index(batch_op.f('ix_ban_application_id'))

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_username'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_submitted_on'))

