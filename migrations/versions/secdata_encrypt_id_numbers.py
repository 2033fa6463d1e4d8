"""ID numbers encrypted at rest (AES-GCM) with a keyed hash for uniqueness and exact search

Converts the existing rows of `individual` and `reviewer` in place (issue 17).

Revision ID: secdata_encrypt_id_numbers
Revises: audit_keyed_chain
Create Date: 2026-12-05 23:30:00
"""

import sqlalchemy as sa
from alembic import op
from flask import current_app

from app.security.crypto import blind_index, decrypt, encrypt, is_encrypted

revision = "secdata_encrypt_id_numbers"
down_revision = "audit_keyed_chain"
branch_labels = None
depends_on = None

TABLES = {"individual": False, "reviewer": True}  # table -> id_number nullable


def _key() -> str:
    return current_app.config["PII_KEY"]


def upgrade():
    for table, nullable in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("id_number_hash", sa.String(length=64), nullable=True))
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_id_number"), type_="unique")
            batch_op.alter_column(
                "id_number",
                existing_type=sa.String(length=18),
                type_=sa.String(length=100),
                existing_nullable=nullable,
            )
        _convert(table, forward=True)
        with op.batch_alter_table(table, schema=None) as batch_op:
            if not nullable:
                batch_op.alter_column(
                    "id_number_hash", existing_type=sa.String(length=64), nullable=False
                )
            batch_op.create_unique_constraint(
                batch_op.f(f"uq_{table}_id_number_hash"), ["id_number_hash"]
            )


def downgrade():
    for table, nullable in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_id_number_hash"), type_="unique")
        _convert(table, forward=False)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "id_number",
                existing_type=sa.String(length=100),
                type_=sa.String(length=18),
                existing_nullable=nullable,
            )
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_id_number"), ["id_number"])
            batch_op.drop_column("id_number_hash")


def _convert(table: str, forward: bool) -> None:
    """Seal (or, going down, open) every row's ID number; rows already in the target form stay."""
    conn = op.get_bind()
    t = sa.table(
        table, sa.column("id", sa.Integer), sa.column("id_number"), sa.column("id_number_hash")
    )
    key = _key()
    rows = conn.execute(sa.select(t.c.id, t.c.id_number).where(t.c.id_number.is_not(None)))
    for row_id, stored in rows.all():
        if forward and not is_encrypted(stored):
            values = {"id_number": encrypt(stored, key), "id_number_hash": blind_index(stored, key)}
        elif not forward and is_encrypted(stored):
            values = {"id_number": decrypt(stored, key)}
        else:
            continue
        conn.execute(sa.update(t).where(t.c.id == row_id).values(**values))
