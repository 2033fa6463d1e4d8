"""Issue 18: the third-party agency (M-6) and its staff, the cycle's agency contract period and
the Committee's approvals (M-7), the recommendation signed or declined on the screen and who
received the paper copies (M-18).

Rows already in use when this runs were used under the Measures before: their criteria
versions and the procedures of cycles past the draft stage count as approved, and a
recommendation with a signatory and date counts as signed.

Revision ID: agency_issue18
Revises: quota_cap_check
"""

import sqlalchemy as sa
from alembic import op

revision = "agency_issue18"
down_revision = "quota_cap_check"
branch_labels = None
depends_on = None

BEFORE = "本系统启用前已经委员会批准（迁移时补记）"


def upgrade():
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("contact_name", sa.String(length=50), nullable=True),
        sa.Column("contact_phone", sa.String(length=30), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("name", name=op.f("uq_agency_name")),
    )
    op.create_table(
        "agency_staff",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_agency_staff_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["ab_user.id"], name=op.f("fk_agency_staff_user_id_ab_user")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_agency_staff")),
    )
    with op.batch_alter_table("agency_staff") as batch:
        batch.create_index(batch.f("ix_agency_staff_agency_id"), ["agency_id"], unique=False)

    with op.batch_alter_table("award_cycle") as batch:
        batch.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("agency_contract_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("agency_contract_end", sa.Date(), nullable=True))
        batch.add_column(sa.Column("procedure_approved_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("procedure_approved_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("procedure_approval_ref", sa.String(length=200), nullable=True))
        batch.create_index(batch.f("ix_award_cycle_agency_id"), ["agency_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_award_cycle_agency_id_agency"), "agency", ["agency_id"], ["id"]
        )
        batch.create_check_constraint(
            batch.f("ck_award_cycle_agency_contract"),
            "agency_contract_end IS NULL OR agency_contract_start IS NULL"
            " OR agency_contract_end >= agency_contract_start",
        )
    with op.batch_alter_table("criteria_version") as batch:
        batch.add_column(sa.Column("approved_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("approved_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("approval_ref", sa.String(length=200), nullable=True))
    with op.batch_alter_table("recommendation") as batch:
        batch.add_column(sa.Column("signed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("signed_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("declined_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("declined_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("decline_reason", sa.Text(), nullable=True))
        batch.create_check_constraint(
            batch.f("ck_recommendation_signed_or_declined"),
            "declined_at IS NULL OR signed_on IS NULL",
        )
    with op.batch_alter_table("application") as batch:
        batch.add_column(sa.Column("paper_received_by", sa.String(length=64), nullable=True))

    now = sa.func.current_timestamp()
    version = sa.table(
        "criteria_version",
        sa.column("approved_at", sa.DateTime()),
        sa.column("approved_by", sa.String()),
        sa.column("approval_ref", sa.String()),
    )
    op.execute(
        version.update()
        .where(version.c.approved_at.is_(None))
        .values(approved_at=now, approved_by="migration", approval_ref=BEFORE)
    )
    cycle = sa.table(
        "award_cycle",
        sa.column("stage", sa.String()),
        sa.column("procedure_approved_at", sa.DateTime()),
        sa.column("procedure_approved_by", sa.String()),
        sa.column("procedure_approval_ref", sa.String()),
    )
    op.execute(
        cycle.update()
        .where(cycle.c.stage != "draft", cycle.c.procedure_approved_at.is_(None))
        .values(
            procedure_approved_at=now,
            procedure_approved_by="migration",
            procedure_approval_ref=BEFORE,
        )
    )


def downgrade():
    with op.batch_alter_table("application") as batch:
        batch.drop_column("paper_received_by")
    with op.batch_alter_table("recommendation") as batch:
        batch.drop_constraint(batch.f("ck_recommendation_signed_or_declined"), type_="check")
        for column in ("decline_reason", "declined_by", "declined_at", "signed_by", "signed_at"):
            batch.drop_column(column)
    with op.batch_alter_table("criteria_version") as batch:
        for column in ("approval_ref", "approved_by", "approved_at"):
            batch.drop_column(column)
    with op.batch_alter_table("award_cycle") as batch:
        batch.drop_constraint(batch.f("ck_award_cycle_agency_contract"), type_="check")
        batch.drop_constraint(batch.f("fk_award_cycle_agency_id_agency"), type_="foreignkey")
        batch.drop_index(batch.f("ix_award_cycle_agency_id"))
        for column in (
            "procedure_approval_ref",
            "procedure_approved_by",
            "procedure_approved_at",
            "agency_contract_end",
            "agency_contract_start",
            "agency_id",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("agency_staff") as batch:
        batch.drop_index(batch.f("ix_agency_staff_agency_id"))
    op.drop_table("agency_staff")
    op.drop_table("agency")
