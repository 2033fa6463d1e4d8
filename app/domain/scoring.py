"""Scoresheet arithmetic: item percentages, item points, category and total scores (M-19.2)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from app.domain.criteria import CriteriaVersion, UnknownCriteriaItem
from app.domain.errors import InvalidInput, RuleViolation

__all__ = [
    "BANDS",
    "IncompleteScoresheet",
    "ScoreOutOfRange",
    "SheetLine",
    "SheetScores",
    "UnknownCriteriaItem",
    "BAND_GUIDE",
    "band",
    "share_band",
    "item_points",
    "read_sums",
    "round_display",
    "sheet_scores",
    "validate_percent",
    "validate_sheet_for_submit",
]

PERCENT_STEP = 5
# The six bands of GB/T 19580, as lowest and highest percent (gbt19580-2012.json "bands").
BANDS: tuple[tuple[int, int, int], ...] = (
    (1, 0, 5),
    (2, 10, 25),
    (3, 30, 45),
    (4, 50, 65),
    (5, 70, 85),
    (6, 90, 100),
)
_DISPLAY = Decimal("0.1")
_CENT = Decimal("0.01")
# GB/T 19580 / GB/Z 19579 scoring guide, one line per band (process: ADLI; results: LeTCI).
BAND_GUIDE = {
    1: ("没有系统的方法，或仅有零星的实施", "没有结果，或结果很差"),
    2: ("开始建立系统的方法，处于早期展开阶段", "少数领域有改进或初步的良好绩效"),
    3: (
        "有系统的方法，在大多数领域展开，开始评价改进",
        "多数重要领域有改进和良好绩效，开始有趋势数据",
    ),
    4: (
        "方法系统有效，展开良好，有基于事实的评价改进",
        "重要领域改进趋势良好，部分达到对比的良好水平",
    ),
    5: (
        "方法系统有效，展开充分，改进与创新并与组织需求整合",
        "绝大多数重要领域保持良好趋势，多数领先于对比",
    ),
    6: ("方法卓越、全面展开，持续创新，成为标杆", "全部重要领域卓越，行业领先，可作为标杆"),
}


class ScoreOutOfRange(RuleViolation):
    """An item's percentage is not one of 0, 5, ..., 100."""

    rule = "M-19.2"
    default_message = "评分须为 0 至 100 之间 5 的整数倍（百分比）"


class IncompleteScoresheet(RuleViolation):
    """A scoresheet is submitted before every item of the criteria version has a score."""

    rule = "M-19.2"
    default_message = "评分表尚有条款未评分，不能提交"

    def __init__(self, message: str | None = None, *, missing: Iterable[str] = ()):
        self.missing = list(missing)
        super().__init__(message)


def validate_percent(percent: object, item_code: str | None = None) -> int:
    """M-19.2: a reviewer scores an item as a whole percentage in steps of 5, from 0 to 100."""
    where = f"条款 {item_code} 的评分" if item_code else "评分"
    # bool is an int subclass; True must not pass for 1 (which would fail anyway) or 0/5 lookalikes.
    if isinstance(percent, bool) or not isinstance(percent, int):
        raise ScoreOutOfRange(f"{where}“{percent}”不是整数百分比，应为 0、5、10……100")
    if not 0 <= percent <= 100 or percent % PERCENT_STEP:
        raise ScoreOutOfRange(f"{where}为 {percent}%，应为 0 至 100 之间 5 的整数倍")
    return percent


def item_points(max_points: Decimal, percent: int) -> Decimal:
    """The item's points: ``max_points x percent / 100``, exact (15 at 35% is 5.25)."""
    return Decimal(max_points) * validate_percent(percent) / 100


def band(percent: int) -> int:
    """The band (1 to 6) of the standard that a percentage falls in."""
    percent = validate_percent(percent)
    for number, low, high in BANDS:
        if low <= percent <= high:
            return number
    raise AssertionError(f"no band for {percent}")  # unreachable: the bands cover 0..100


def share_band(points: Decimal, max_points: Decimal) -> int:
    """The band of a category's (aggregated) score: its share of the category's points,
    rounded half up to a step of 5 percent, as an item's percentage would be (feedback)."""
    if max_points <= 0:
        raise InvalidInput("满分须为正数")
    share = Decimal(points) * 100 / Decimal(max_points)
    steps = (share / PERCENT_STEP).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return band(min(max(int(steps) * PERCENT_STEP, 0), 100))


@dataclass(frozen=True)
class SheetLine:
    """One item of a reviewer's scoresheet; ``percent`` is None while not yet scored."""

    item_code: str
    percent: int | None
    strengths: str = ""
    improvements: str = ""


@dataclass(frozen=True)
class SheetScores:
    """A scoresheet's points; unscored items count as 0 in categories and total."""

    items: dict[str, Decimal | None]
    categories: dict[str, Decimal]
    total: Decimal
    missing: list[str]
    unknown: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.unknown

    def as_submitted(self) -> dict[str, str]:
        """The category sums a submitted sheet keeps (M-19.2): by category code, each an exact
        decimal string in cents, as the lines' points are stored; what closing its group
        reads instead of adding the lines up again (`read_sums` reads them back)."""
        return {code: str(value.quantize(_CENT)) for code, value in self.categories.items()}


def sheet_scores(criteria: CriteriaVersion, lines: Iterable[SheetLine]) -> SheetScores:
    """Points per item, per category and in total, for a draft or a submitted scoresheet.

    Lines for items outside the criteria version are listed in ``unknown`` and not counted;
    a line given twice for the same item is refused rather than counted twice.
    """
    by_code: dict[str, SheetLine] = {}
    unknown: list[str] = []
    known = set(criteria.item_codes)
    for line in lines:
        if line.item_code in by_code:
            raise InvalidInput(f"评分表中条款 {line.item_code} 出现了两次")
        by_code[line.item_code] = line
        if line.item_code not in known:
            unknown.append(line.item_code)

    items: dict[str, Decimal | None] = {}
    categories: dict[str, Decimal] = {}
    missing: list[str] = []
    for category in criteria.categories:
        subtotal = Decimal(0)
        for item in category.items:
            line = by_code.get(item.code)
            if line is None or line.percent is None:
                items[item.code] = None
                missing.append(item.code)
                continue
            validate_percent(line.percent, item.code)
            points = item_points(item.points, line.percent)
            items[item.code] = points
            subtotal += points
        categories[category.code] = subtotal
    total = sum(categories.values(), Decimal(0))
    return SheetScores(
        items=items, categories=categories, total=total, missing=missing, unknown=unknown
    )


def validate_sheet_for_submit(criteria: CriteriaVersion, lines: Iterable[SheetLine]) -> SheetScores:
    """M-19.2: a scoresheet is submitted only with every item of its criteria version scored."""
    scores = sheet_scores(criteria, lines)
    if scores.unknown:
        raise UnknownCriteriaItem(
            f"评分表包含不属于评价准则 {criteria.name} 的条款：{'、'.join(scores.unknown)}"
        )
    if scores.missing:
        raise IncompleteScoresheet(
            f"评分表尚有 {len(scores.missing)} 个条款未评分：{'、'.join(scores.missing)}",
            missing=scores.missing,
        )
    return scores


def read_sums(stored: dict[str, str]) -> dict[str, Decimal]:
    """A submitted sheet's stored category sums (`SheetScores.as_submitted`) as decimals."""
    return {code: _points(value) for code, value in stored.items()}


@lru_cache(maxsize=4096)
def _points(text: str) -> Decimal:
    """A stored sum as a decimal: the same few hundred values recur across a group's sheets,
    each parsed once (a Decimal is immutable, so one instance serves them all)."""
    return Decimal(text)


def round_display(x: Decimal) -> Decimal:
    """Half-up to 1 decimal, for display and export only; ranking uses the unrounded value."""
    return Decimal(x).quantize(_DISPLAY, rounding=ROUND_HALF_UP)
