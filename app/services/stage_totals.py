"""Scoresheet totals computed by the database: one aggregate query per group, not a Python
loop over score lines (issue 8). The aggregation rule itself stays in app.domain.aggregation."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

from sqlalchemy import bindparam, case, func, select

from app.domain.enums import SheetStatus
from app.extensions import db
from app.services.scoresheets import Criteria
from models import ScoreLine, Scoresheet

CENT = Decimal("0.01")


@dataclass
class SheetSums:
    """A submitted sheet's category sums, built whole (its total is computed once)."""

    sheet_id: int
    reviewer_id: int
    categories: dict[str, Decimal] = field(default_factory=dict)

    @cached_property
    def total(self) -> Decimal:
        return sum(self.categories.values(), Decimal("0"))


def _cents(value) -> Decimal:
    """The driver's sum as an exact decimal of cents: the column's type already gives a
    Decimal (SQLite sums NUMERIC as floats, which it rounds to the column's two decimals);
    anything else is converted, and every point value has two decimals."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(CENT)


@lru_cache(maxsize=16)
def _sums_statement(categories: tuple[tuple[str, tuple[int, ...]], ...]):
    """The per-sheet category sums of a group's submitted member sheets, one column per
    category (code, its items' ids): built once per criteria version, the group bound on each
    execution."""
    points = func.coalesce(ScoreLine.points, 0)
    sums = [func.sum(case((ScoreLine.item_id.in_(ids), points))) for _code, ids in categories]
    return (
        select(Scoresheet.application_id, Scoresheet.id, Scoresheet.reviewer_id, *sums)
        .join(ScoreLine, ScoreLine.scoresheet_id == Scoresheet.id)
        .where(
            Scoresheet.group_id == bindparam("group_id"),
            Scoresheet.is_consensus.is_(False),
            Scoresheet.status == SheetStatus.SUBMITTED.value,
        )
        .group_by(Scoresheet.application_id, Scoresheet.id, Scoresheet.reviewer_id)
        .order_by(Scoresheet.application_id, Scoresheet.reviewer_id)
    )


def group_sheet_sums(group_id: int, reviewer_ids, criteria: Criteria) -> dict[int, list[SheetSums]]:
    """Per application of the group: each counted member's submitted sheet with its category
    sums (M-19.2: an item's points are exact decimals; a category is the sum of its items).

    One aggregate query, one row per sheet: each category's sum is a column (the items of the
    cycle's criteria version by category), so the database returns one row per sheet rather
    than one per sheet and category; a category a sheet has no line of is left out, as before.
    """
    categories = tuple(
        (c.code, tuple(criteria.item_ids[i.code] for i in c.items))
        for c in sorted(criteria.spec.categories, key=lambda c: c.code)
    )
    codes = [code for code, _ids in categories]
    wanted = set(reviewer_ids)
    rows = db.session.execute(_sums_statement(categories), {"group_id": group_id})
    sheets: dict[int, list[SheetSums]] = defaultdict(list)
    for application_id, sheet_id, reviewer_id, *values in rows:
        if reviewer_id not in wanted:
            continue
        sheets[application_id].append(
            SheetSums(
                sheet_id,
                reviewer_id,
                {code: _cents(v) for code, v in zip(codes, values, strict=True) if v is not None},
            )
        )
    return dict(sheets)
