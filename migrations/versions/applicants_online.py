"""Applicants online (issue 18): applicant accounts and invitation codes; the online form's
recommending body, self-assessment, declarations and supplement sections on the application.

Revision ID: applicants_online
Revises: docsofficial_issued
"""

import sqlalchemy as sa
from alembic import op

revision = "applicants_online"
down_revision = "docsofficial_issued"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "applicant_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("individual_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("via_invite", sa.Boolean(), nullable=False),
        sa.Column("contact_name", sa.String(length=50), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(organization_id IS NULL) <> (individual_id IS NULL)",
            name=op.f("ck_applicant_account_one_applicant"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'refused')",
            name=op.f("ck_applicant_account_status"),
        ),
        sa.ForeignKeyConstraint(
            ["individual_id"],
            ["individual.id"],
            name=op.f("fk_applicant_account_individual_id_individual"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_applicant_account_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["ab_user.id"],
            name=op.f("fk_applicant_account_user_id_ab_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_account")),
        sa.UniqueConstraint("user_id", name=op.f("uq_applicant_account_user_id")),
    )
    with op.batch_alter_table("applicant_account") as batch:
        batch.create_index(
            batch.f("ix_applicant_account_individual_id"), ["individual_id"], unique=False
        )
        batch.create_index(
            batch.f("ix_applicant_account_organization_id"), ["organization_id"], unique=False
        )
        batch.create_index(batch.f("ix_applicant_account_status"), ["status"], unique=False)
    op.create_table(
        "applicant_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("individual_id", sa.Integer(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("used_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(organization_id IS NULL) <> (individual_id IS NULL)",
            name=op.f("ck_applicant_invite_one_applicant"),
        ),
        sa.ForeignKeyConstraint(
            ["individual_id"],
            ["individual.id"],
            name=op.f("fk_applicant_invite_individual_id_individual"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_applicant_invite_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["used_by_user_id"],
            ["ab_user.id"],
            name=op.f("fk_applicant_invite_used_by_user_id_ab_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_invite")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_applicant_invite_code_hash")),
    )
    with op.batch_alter_table("applicant_invite") as batch:
        batch.create_index(
            batch.f("ix_applicant_invite_individual_id"), ["individual_id"], unique=False
        )
        batch.create_index(
            batch.f("ix_applicant_invite_organization_id"), ["organization_id"], unique=False
        )
        batch.create_index(
            batch.f("ix_applicant_invite_used_by_user_id"), ["used_by_user_id"], unique=False
        )
    with op.batch_alter_table("application") as batch:
        batch.add_column(sa.Column("recommender_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("self_assessment", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("declarations", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("supplement_sections", sa.JSON(), nullable=True))
        batch.create_index(
            batch.f("ix_application_recommender_id"), ["recommender_id"], unique=False
        )
        batch.create_foreign_key(
            batch.f("fk_application_recommender_id_recommender"),
            "recommender",
            ["recommender_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("application") as batch:
        batch.drop_constraint(
            batch.f("fk_application_recommender_id_recommender"), type_="foreignkey"
        )
        batch.drop_index(batch.f("ix_application_recommender_id"))
        batch.drop_column("supplement_sections")
        batch.drop_column("declarations")
        batch.drop_column("self_assessment")
        batch.drop_column("recommender_id")
    op.drop_table("applicant_invite")
    op.drop_table("applicant_account")
