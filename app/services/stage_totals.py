"""The submitted sheets a group's close reads: one row per sheet with its category sums as
submitted (M-19.2; stored by the submit use case, app.domain.scoring SheetScores.as_submitted),
one query per group, no score line read (issue 20). The aggregation rule itself stays in
app.domain.aggregation."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import bindparam, select

from app.domain.enums import SheetStatus
from app.domain.scoring import read_sums
from app.extensions import db
from models import Scoresheet


@dataclass(slots=True)
class SheetSums:
    """A submitted sheet's category sums and their total (M-19.2), computed once when built."""

    sheet_id: int
    reviewer_id: int
    categories: dict[str, Decimal]
    total: Decimal = field(init=False)

    def __post_init__(self) -> None:
        self.total = sum(self.categories.values(), Decimal(0))


# The group's submitted member sheets with their sums, the group bound on each execution:
# built once, on the table's columns (plain rows, without the ORM's per-statement overhead).
_SHEET = Scoresheet.__table__.c
_SUBMITTED_SUMS = (
    select(_SHEET.application_id, _SHEET.id, _SHEET.reviewer_id, _SHEET.category_sums)
    .where(
        _SHEET.group_id == bindparam("group_id"),
        _SHEET.is_consensus.is_(False),
        _SHEET.status == SheetStatus.SUBMITTED.value,
    )
    .order_by(_SHEET.application_id, _SHEET.reviewer_id)
)


def group_sheet_sums(group_id: int, reviewer_ids) -> dict[int, list[SheetSums]]:
    """Per application of the group: each wanted member's submitted sheet with its category
    sums as submitted (M-19.2: a category is the sum of its items' exact points; the database
    holds them on every submitted sheet, ck_scoresheet_sums_as_submitted)."""
    wanted = set(reviewer_ids)
    sheets: dict[int, list[SheetSums]] = defaultdict(list)
    for application_id, sheet_id, reviewer_id, sums in db.session.execute(
        _SUBMITTED_SUMS, {"group_id": group_id}
    ):
        if reviewer_id in wanted:
            sheets[application_id].append(SheetSums(sheet_id, reviewer_id, read_sums(sums)))
    return dict(sheets)
