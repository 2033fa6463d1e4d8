"""Versioned scoring criteria (GB/T 19580): categories, items and their maximum points (M-16)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

from app.domain.errors import RuleViolation

CategoryKind = Literal["process", "results"]
KINDS: tuple[str, ...] = ("process", "results")
REVISION_YEARS = 5


class CriteriaInconsistent(RuleViolation):
    """The points of a criteria version do not add up, or its data is malformed."""

    rule = "M-16"
    default_message = "评价准则版本数据不一致"


class UnknownCriteriaItem(RuleViolation):
    """A score names an item that is not in the criteria version bound to the cycle."""

    rule = "M-16"
    default_message = "评分条款不属于本周期绑定的评价准则版本"


@dataclass(frozen=True)
class CriteriaItem:
    code: str
    name_zh: str
    name_en: str
    points: Decimal
    category_code: str


@dataclass(frozen=True)
class CriteriaCategory:
    code: str
    name_zh: str
    name_en: str
    points: Decimal
    kind: CategoryKind
    items: tuple[CriteriaItem, ...]


@dataclass(frozen=True)
class CriteriaVersion:
    code: str
    name: str
    categories: tuple[CriteriaCategory, ...]

    @property
    def items(self) -> tuple[CriteriaItem, ...]:
        """Every scored item, in the order of the standard."""
        return tuple(item for category in self.categories for item in category.items)

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    @property
    def total_points(self) -> Decimal:
        return sum((c.points for c in self.categories), Decimal(0))

    def item(self, code: str) -> CriteriaItem:
        for item in self.items:
            if item.code == code:
                return item
        raise UnknownCriteriaItem(f"条款 {code} 不属于评价准则 {self.name}")

    def category(self, code: str) -> CriteriaCategory:
        for category in self.categories:
            if category.code == code:
                return category
        raise UnknownCriteriaItem(f"类目 {code} 不属于评价准则 {self.name}")


def _points(value: object, where: str) -> Decimal:
    # str() first so that a float such as 12.5 becomes Decimal('12.5'), not its binary expansion.
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        raise CriteriaInconsistent(f"{where} 的分值“{value}”不是数字") from None
    if isinstance(value, bool) or not points.is_finite() or points <= 0:
        raise CriteriaInconsistent(f"{where} 的分值“{value}”必须为正数")
    return points


def _field(data: dict, key: str, where: str):
    try:
        return data[key]
    except (KeyError, TypeError):
        raise CriteriaInconsistent(f"{where} 缺少字段“{key}”") from None


def load_criteria(data: dict) -> CriteriaVersion:
    """Parse a criteria version in the format of gbt19580-2012.json and check that it adds up.

    The version's code and name default to its ``standard`` (e.g. ``GB/T 19580-2012``); a
    category's kind is read from ``kind`` or, as in the JSON file, ``type``.
    """
    standard = data.get("standard", "")
    code = data.get("code") or standard
    name = data.get("name") or standard or code
    if not code:
        raise CriteriaInconsistent("评价准则缺少版本代码（code 或 standard）")
    declared_total = _points(_field(data, "total_points", "评价准则"), "评价准则总分")

    categories: list[CriteriaCategory] = []
    seen: set[str] = set()
    for raw in _field(data, "categories", "评价准则") or ():
        cat_code = str(_field(raw, "code", "类目"))
        where = f"类目 {cat_code}"
        kind = raw.get("kind") or raw.get("type")
        if kind not in KINDS:
            raise CriteriaInconsistent(f"{where} 的类型“{kind}”应为 process 或 results")
        cat_points = _points(_field(raw, "points", where), where)
        items: list[CriteriaItem] = []
        for raw_item in _field(raw, "items", where) or ():
            item_code = str(_field(raw_item, "code", f"{where} 的条款"))
            if item_code in seen or item_code == cat_code:
                raise CriteriaInconsistent(f"条款代码 {item_code} 重复")
            seen.add(item_code)
            items.append(
                CriteriaItem(
                    code=item_code,
                    name_zh=str(_field(raw_item, "name_zh", f"条款 {item_code}")),
                    name_en=str(raw_item.get("name_en", "")),
                    points=_points(
                        _field(raw_item, "points", f"条款 {item_code}"), f"条款 {item_code}"
                    ),
                    category_code=cat_code,
                )
            )
        if not items:
            raise CriteriaInconsistent(f"{where} 没有评分条款")
        item_sum = sum((i.points for i in items), Decimal(0))
        if item_sum != cat_points:
            raise CriteriaInconsistent(
                f"{where} 分值为 {cat_points}，其条款分值合计为 {item_sum}，两者不一致"
            )
        if cat_code in seen:
            raise CriteriaInconsistent(f"类目代码 {cat_code} 重复")
        seen.add(cat_code)
        categories.append(
            CriteriaCategory(
                code=cat_code,
                name_zh=str(_field(raw, "name_zh", where)),
                name_en=str(raw.get("name_en", "")),
                points=cat_points,
                kind=kind,
                items=tuple(items),
            )
        )

    if not categories:
        raise CriteriaInconsistent("评价准则没有任何类目")
    version = CriteriaVersion(code=str(code), name=str(name), categories=tuple(categories))
    if version.total_points != declared_total:
        raise CriteriaInconsistent(
            f"评价准则总分为 {declared_total}，各类目分值合计为 {version.total_points}，两者不一致"
        )
    return version


def _anniversary(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none: the anniversary is 28 February
        return day.replace(year=day.year + years, day=28)


def version_is_stale(published_on: date, on: date) -> bool:
    """M-16: the standard is revised every 5 years; warn when a version is older than that.

    A version is stale from the day after its fifth anniversary.
    """
    return on > _anniversary(published_on, REVISION_YEARS)
