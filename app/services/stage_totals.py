"""Scoresheet totals computed by the database: one aggregate query per group, not a Python
loop over score lines (issue 8). The aggregation rule itself stays in app.domain.aggregation."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.enums import SheetStatus
from app.extensions import db
from models import CriteriaCategory, CriteriaItem, ScoreLine, Scoresheet

CENT = Decimal("0.01")


@dataclass
class SheetSums:
    sheet_id: int
    reviewer_id: int
    categories: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.categories.values(), Decimal("0"))


def group_sheet_sums(group_id: int, reviewer_ids) -> dict[int, list[SheetSums]]:
    """Per application of the group: each counted member's submitted sheet with its category
    sums (M-19.2: an item's points are exact decimals; a category is the sum of its items)."""
    rows = db.session.execute(
        select(
            Scoresheet.application_id,
            Scoresheet.id,
            Scoresheet.reviewer_id,
            CriteriaCategory.code,
            func.sum(ScoreLine.points),
        )
        .select_from(Scoresheet)
        .join(ScoreLine, ScoreLine.scoresheet_id == Scoresheet.id)
        .join(CriteriaItem, CriteriaItem.id == ScoreLine.item_id)
        .join(CriteriaCategory, CriteriaCategory.id == CriteriaItem.category_id)
        .where(
            Scoresheet.group_id == group_id,
            Scoresheet.is_consensus.is_(False),
            Scoresheet.status == SheetStatus.SUBMITTED.value,
            Scoresheet.reviewer_id.in_(list(reviewer_ids)),
        )
        .group_by(
            Scoresheet.application_id, Scoresheet.id, Scoresheet.reviewer_id, CriteriaCategory.code
        )
        .order_by(Scoresheet.application_id, Scoresheet.reviewer_id, CriteriaCategory.code)
    ).all()
    sheets: dict[int, dict[int, SheetSums]] = defaultdict(dict)
    for application_id, sheet_id, reviewer_id, code, points in rows:
        sums = sheets[application_id].setdefault(sheet_id, SheetSums(sheet_id, reviewer_id))
        # SQLite sums NUMERIC as floats; every point value has two decimals.
        sums.categories[code] = Decimal(str(points or 0)).quantize(CENT)
    return {app_id: list(by_sheet.values()) for app_id, by_sheet in sheets.items()}
