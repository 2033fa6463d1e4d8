"""Issued official documents (issue 19): drafts and the issued file, frozen by a trigger once
issued, one issued document per kind and record.

Revision ID: docsofficial_issued
Revises: quota_cap_check
"""

import sqlalchemy as sa
from alembic import op

revision = "docsofficial_issued"
down_revision = "quota_cap_check"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "issued_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("revocation_case_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=True),
        sa.Column("dated", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("issued_by", sa.String(length=64), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("state IN ('draft', 'issued')", name=op.f("ck_issued_document_state")),
        sa.CheckConstraint(
            "target IN ('year', 'application', 'case')", name=op.f("ck_issued_document_target")
        ),
        sa.CheckConstraint(
            "(state = 'issued') = (issued_at IS NOT NULL AND issued_by IS NOT NULL)",
            name=op.f("ck_issued_document_issued_when"),
        ),
        sa.CheckConstraint("size > 0", name=op.f("ck_issued_document_size")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_issued_document_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["award_cycle.id"], name=op.f("fk_issued_document_cycle_id_award_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["revocation_case_id"],
            ["revocation_case.id"],
            name=op.f("fk_issued_document_revocation_case_id_revocation_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_document")),
        sa.UniqueConstraint("document_no", name=op.f("uq_issued_document_document_no")),
    )
    for column in ("kind", "cycle_id", "application_id", "revocation_case_id", "state"):
        op.create_index(
            op.f(f"ix_issued_document_{column}"), "issued_document", [column], unique=False
        )
    op.create_index(
        "uq_issued_document_once",
        "issued_document",
        ["kind", "target", "target_id"],
        unique=True,
        sqlite_where=sa.text("state = 'issued'"),
        postgresql_where=sa.text("state = 'issued'"),
    )
    # the same statements as models/documents.py runs after create_all
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION issued_document_frozen() RETURNS trigger AS $$ BEGIN "
            "IF OLD.state = 'issued' THEN "
            "RAISE EXCEPTION 'issued_document: an issued document cannot be changed'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER issued_document_frozen BEFORE UPDATE ON issued_document "
            "FOR EACH ROW EXECUTE FUNCTION issued_document_frozen()"
        )
    else:
        op.execute(
            "CREATE TRIGGER issued_document_frozen BEFORE UPDATE ON issued_document "
            "WHEN OLD.state = 'issued' BEGIN "
            "SELECT RAISE(ABORT, 'issued_document: an issued document cannot be changed'); END"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS issued_document_frozen ON issued_document")
        op.execute("DROP FUNCTION IF EXISTS issued_document_frozen()")
    else:
        op.execute("DROP TRIGGER IF EXISTS issued_document_frozen")
    op.drop_index("uq_issued_document_once", table_name="issued_document")
    for column in ("kind", "cycle_id", "application_id", "revocation_case_id", "state"):
        op.drop_index(op.f(f"ix_issued_document_{column}"), table_name="issued_document")
    op.drop_table("issued_document")
