"""A submitted scoresheet keeps its category sums as submitted (M-19.2, issue 20): closing a
group reads one row per sheet instead of adding up its score lines. Every sheet already
submitted gets them from its lines; a check makes the database refuse a submitted sheet
without them (and a draft with them).

Revision ID: sheet_sums_as_submitted
Revises: applicants_online
"""

from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "sheet_sums_as_submitted"
down_revision = "applicants_online"
branch_labels = None
depends_on = None

NAME = "ck_scoresheet_sums_as_submitted"
CHECK = (
    "(status = 'submitted' AND category_sums IS NOT NULL)"
    " OR (status <> 'submitted' AND category_sums IS NULL)"
)
CENT = Decimal("0.01")
BATCH = 1000

# Each submitted sheet's criteria version (through its application's cycle), the categories of
# each version, and the sum of the lines' points per sheet and category: the rule of
# app.domain.scoring.sheet_scores (a category is the sum of its items' points, an unscored item
# counts 0, every category of the version is there), frozen here as it stood at this revision.
SHEETS = """
SELECT s.id, c.criteria_version_id
FROM scoresheet s
JOIN application a ON a.id = s.application_id
JOIN award_cycle c ON c.id = a.cycle_id
WHERE s.status = 'submitted'
"""
CATEGORIES = "SELECT version_id, code FROM criteria_category"
SUMS = """
SELECT l.scoresheet_id, cat.code, SUM(COALESCE(l.points, 0))
FROM score_line l
JOIN scoresheet s ON s.id = l.scoresheet_id
JOIN criteria_item i ON i.id = l.item_id
JOIN criteria_category cat ON cat.id = i.category_id
WHERE s.status = 'submitted'
GROUP BY l.scoresheet_id, cat.code
"""


def _cents(value) -> Decimal:
    """A driver's sum as exact cents (SQLite adds NUMERIC as floats; the points have cents)."""
    return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(CENT)


def _backfill(conn) -> None:
    categories = defaultdict(list)
    for version_id, code in conn.execute(sa.text(CATEGORIES)):
        categories[version_id].append(code)
    sums = defaultdict(dict)
    for sheet_id, code, points in conn.execute(sa.text(SUMS)):
        sums[sheet_id][code] = _cents(points)
    sheet = sa.table("scoresheet", sa.column("id", sa.Integer), sa.column("category_sums", sa.JSON))
    update = (
        sa.update(sheet)
        .where(sheet.c.id == sa.bindparam("sheet_id"))
        .values(category_sums=sa.bindparam("sums", type_=sa.JSON))
    )
    rows = [
        {
            "sheet_id": sheet_id,
            "sums": {
                code: str(sums[sheet_id].get(code, Decimal("0.00")))
                for code in sorted(categories[version_id])
            },
        }
        for sheet_id, version_id in conn.execute(sa.text(SHEETS))
    ]
    for start in range(0, len(rows), BATCH):
        conn.execute(update, rows[start : start + BATCH])


def upgrade():
    with op.batch_alter_table("scoresheet") as batch:
        batch.add_column(sa.Column("category_sums", sa.JSON(), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table("scoresheet") as batch:
        batch.create_check_constraint(op.f(NAME), CHECK)


def downgrade():
    with op.batch_alter_table("scoresheet") as batch:
        batch.drop_constraint(op.f(NAME), type_="check")
        batch.drop_column("category_sums")
