"""A review group's scoresheets combined into an application's stage score (M-19.2 decisions)."""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import Context, Decimal

from app.domain.enums import Aggregation
from app.domain.errors import InvalidInput, RuleViolation

# Exact sums; quotients carry 28 significant digits and are never rounded before ranking.
_CONTEXT = Context(prec=28)
TRIM_FROM = 5  # trimmed_mean drops the highest and lowest only from this many sheets on
OUTLIER_THRESHOLD = Decimal("0.15")


class NoSubmittedSheets(RuleViolation):
    rule = "M-19.2"
    default_message = "评审组尚无已提交的评分表，无法计算得分"


class ConsensusMissing(RuleViolation):
    rule = "M-19.2"
    default_message = "本周期采用组长合议，组长尚未录入合议评分表"


class StageCloseBlocked(RuleViolation):
    """A review stage is closed while a group member has not submitted a scoresheet."""

    rule = "M-19.2"
    default_message = "评审组尚有成员未提交评分表，不能结束本阶段评审"

    def __init__(self, message: str | None = None, *, missing: Iterable[Hashable] = ()):
        self.missing = list(missing)
        super().__init__(message)


def _mean(values: Sequence[Decimal]) -> Decimal:
    return _CONTEXT.divide(sum(values, Decimal(0)), Decimal(len(values)))


def trims(method: Aggregation, sheets: int) -> bool:
    """Whether the method drops sheets from this many: trimmed_mean from TRIM_FROM on."""
    return method is Aggregation.TRIMMED_MEAN and sheets >= TRIM_FROM


def kept_sheets(totals: Sequence[Decimal], method: Aggregation) -> list[int]:
    """Indices of the sheets that count: all of them, except under trimmed_mean with 5 or more
    sheets, where one highest and one lowest total are dropped (the first of equal ones)."""
    indices = list(range(len(totals)))
    if not trims(method, len(totals)):
        return indices
    highest = max(indices, key=lambda i: totals[i])
    lowest = min(indices, key=lambda i: totals[i])
    if highest == lowest:  # all equal: still drop two different sheets
        lowest = indices[-1] if highest == indices[0] else indices[0]
    return [i for i in indices if i not in (highest, lowest)]


def aggregate(
    totals: Sequence[Decimal], method: Aggregation, consensus: Decimal | None = None
) -> Decimal:
    """An application's score at a stage from the group's submitted sheet totals (M-19.2).

    ``mean`` of all; ``trimmed_mean`` drops one highest and one lowest when 5 or more sheets
    were submitted, else is the plain mean; ``consensus`` is the leader's consensus total,
    which is entered only after the members submitted, so it also needs submitted sheets.
    """
    if not totals:
        raise NoSubmittedSheets()
    method = Aggregation(method)
    if method is Aggregation.CONSENSUS:
        if consensus is None:
            raise ConsensusMissing()
        return Decimal(consensus)
    return _mean([Decimal(totals[i]) for i in kept_sheets(totals, method)])


def aggregate_categories(
    per_sheet: Sequence[Mapping[str, Decimal]],
    method: Aggregation,
    consensus_categories: Mapping[str, Decimal] | None = None,
) -> dict[str, Decimal]:
    """Category scores of an application at a stage, by the same method as its total.

    Under trimmed_mean the sheets dropped are those dropped by total (not each category's own
    highest and lowest), so the category scores add up to the aggregated total (to the 28th
    significant digit of the quotients).
    """
    if not per_sheet:
        raise NoSubmittedSheets()
    method = Aggregation(method)
    codes = per_sheet[0].keys()
    for sheet in per_sheet[1:]:
        if sheet.keys() != codes:
            raise InvalidInput("各评分表的类目不一致，无法汇总")
    if method is Aggregation.CONSENSUS:
        if consensus_categories is None:
            raise ConsensusMissing()
        return {code: Decimal(value) for code, value in consensus_categories.items()}
    kept = per_sheet
    if trims(method, len(per_sheet)):  # the totals only choose the sheets dropped
        totals = [sum(sheet.values(), Decimal(0)) for sheet in per_sheet]
        kept = [per_sheet[i] for i in kept_sheets(totals, method)]
    return {code: _mean([sheet[code] for sheet in kept]) for code in codes}


def outliers(
    totals: Mapping[Hashable, Decimal], threshold: Decimal = OUTLIER_THRESHOLD
) -> set[Hashable]:
    """Reviewers whose total deviates from the group's mean by more than ``threshold x mean``.

    A calibration aid for the group leader, not a rule: exactly at the threshold is not flagged.
    """
    if not totals:
        return set()
    # Compared as |total x n - sum| > threshold x sum, which needs no division and so is exact
    # at the boundary (a mean of 1000/3 would otherwise be rounded).
    n = Decimal(len(totals))
    whole = sum((Decimal(t) for t in totals.values()), Decimal(0))
    limit = abs(_CONTEXT.multiply(Decimal(threshold), whole))
    return {
        key
        for key, total in totals.items()
        if abs(_CONTEXT.subtract(_CONTEXT.multiply(Decimal(total), n), whole)) > limit
    }


def ensure_all_submitted(
    member_keys: Iterable[Hashable], submitted_keys: Iterable[Hashable]
) -> None:
    """M-19.2: a stage cannot be closed while a member of the group has not submitted."""
    submitted = set(submitted_keys)
    missing = [key for key in dict.fromkeys(member_keys) if key not in submitted]
    if missing:
        raise StageCloseBlocked(
            f"评审组尚有 {len(missing)} 人未提交评分表：{'、'.join(str(k) for k in missing)}",
            missing=missing,
        )
