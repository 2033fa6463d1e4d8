"""Which cycle setting is frozen from which stage (M-17, M-4, M-20, M-16, M-19), and which
frozen ones the Committee may still amend, with a reason and its decision (M-3)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.enums import Stage
from app.domain.errors import InvalidInput, RuleViolation


@dataclass(frozen=True)
class Freeze:
    """`label` is frozen from `stage` on (rule `rule`); with `amend_until`, an amendment may
    still change it before that stage begins, otherwise never."""

    label: str
    stage: Stage
    rule: str
    why: str
    amend_until: Stage | None = None


_OPEN, _MATERIAL = Stage.APPLICATIONS_OPEN, Stage.MATERIAL_REVIEW
_ANNOUNCED = "申报受理开始即已公布，申报人据此申报"
_SCORING = "评审打分开始后规则不得改变，以免看分定规则"

# What the announcement at the opening of applications promised (M-17) is frozen when
# applications open; the rules that turn scores into winners are frozen before the first score
# is known; the rest when the stage that uses it begins. A closed cycle is a record.
FREEZES: dict[str, Freeze] = {
    "year": Freeze("年度", _OPEN, "M-17", _ANNOUNCED),
    "announced_on": Freeze("发布日期", _OPEN, "M-17", _ANNOUNCED),
    "opens_on": Freeze("申报开始日期", _OPEN, "M-17", _ANNOUNCED),
    "deadline": Freeze("申报截止日期", _OPEN, "M-17", _ANNOUNCED, Stage.ELIGIBILITY),
    "supplement_days": Freeze(
        "补正期限（天）", Stage.ELIGIBILITY, "M-19.1", "资格审查已按此期限退回补正", _MATERIAL
    ),
    "material_review_on": Freeze("材料评审日期", _OPEN, "M-17", _ANNOUNCED, _MATERIAL),
    "onsite_review_on": Freeze("现场评审日期", _OPEN, "M-17", _ANNOUNCED, Stage.ONSITE_REVIEW),
    "arrangements": Freeze("工作安排", _OPEN, "M-17", _ANNOUNCED, Stage.CLOSED),
    "award_quota": Freeze("质量奖名额", _OPEN, "M-4", _ANNOUNCED, Stage.COMPREHENSIVE),
    "nomination_quota": Freeze("提名奖名额", _OPEN, "M-4", _ANNOUNCED, Stage.COMPREHENSIVE),
    "award_amount": Freeze("质量奖奖金（元）", _OPEN, "M-20", _ANNOUNCED),
    "nomination_amount": Freeze("提名奖奖金（元）", _OPEN, "M-20", _ANNOUNCED),
    "criteria_version": Freeze("评价准则版本", _OPEN, "M-16", "申报人按此标准撰写自评报告"),
    "regulation_version": Freeze("管理办法版本", _OPEN, "M-17", _ANNOUNCED),
    "regulation_effective_on": Freeze("管理办法施行日期", _OPEN, "M-17", _ANNOUNCED),
    "aggregation": Freeze("评分汇总方式", _MATERIAL, "M-19", _SCORING),
    "outlier_threshold": Freeze("评分偏离提示阈值", _MATERIAL, "M-19", _SCORING),
    "min_material_score": Freeze("建议入围最低材料分", _MATERIAL, "M-19.2", _SCORING),
    "shortlist_size": Freeze("建议入围数量", _MATERIAL, "M-19.2", _SCORING),
    "min_onsite_score": Freeze("现场评审最低分", _MATERIAL, "M-19.5", _SCORING),
    "vote_threshold": Freeze(
        "表决通过比例", Stage.COMPREHENSIVE, "M-19.6", "候选名单产生后表决规则不得改变"
    ),
    "notice_days": Freeze("公示期（天）", Stage.PUBLIC_NOTICE, "M-19.6", "公示已按此期限开始"),
    "notice_working_days": Freeze(
        "按工作日计算公示期", Stage.PUBLIC_NOTICE, "M-19.6", "公示已按此期限开始"
    ),
    "name": Freeze("名称", Stage.CLOSED, "M-3", "已结束的评定年度是存档记录"),
    "budget": Freeze("预算（元）", Stage.CLOSED, "M-5", "已结束的评定年度是存档记录"),
    "agency_name": Freeze("第三方机构", Stage.CLOSED, "M-6", "已结束的评定年度是存档记录"),
    "agency_contract_no": Freeze(
        "第三方机构合同号", Stage.CLOSED, "M-6", "已结束的评定年度是存档记录"
    ),
    "agency_fee": Freeze("第三方机构费用（元）", Stage.CLOSED, "M-5", "已结束的评定年度是存档记录"),
}

AMENDABLE = tuple(name for name, f in FREEZES.items() if f.amend_until is not None)


class SettingFrozen(RuleViolation):
    rule = "M-17"
    default_message = "本阶段已开始，该设置已冻结，不能修改"


class SettingNotAmendable(RuleViolation):
    rule = "M-17"
    default_message = "该设置不能通过变更程序修改"


def is_frozen(field: str, stage: Stage) -> bool:
    freeze = FREEZES.get(field)
    return freeze is not None and stage.order >= freeze.stage.order


def ensure_settings_open(changed: Iterable[str], stage: Stage) -> None:
    """Refuse a plain edit of any setting frozen at `stage`, naming the field, stage and rule."""
    for field in changed:
        if not is_frozen(field, stage):
            continue
        freeze = FREEZES[field]
        how = (
            "如确需调整，须经评定委员会决定后通过「变更设置」办理"
            if _amendable_at(freeze, stage)
            else "不能再修改"
        )
        raise SettingFrozen(
            f"本届当前阶段为「{stage.label}」，「{freeze.label}」自「{freeze.stage.label}」阶段起"
            f"冻结（{freeze.why}），{how}",
            rule=freeze.rule,
        )


def _amendable_at(freeze: Freeze, stage: Stage) -> bool:
    return freeze.amend_until is not None and stage.order < freeze.amend_until.order


def ensure_amendable(field: str, stage: Stage, reason: str, decision_ref: str) -> Freeze:
    """An amendment names an amendable field, the reason and the Committee's decision, and comes
    before the stage from which even an amendment would change what was already done."""
    freeze = FREEZES.get(field)
    if freeze is None or freeze.amend_until is None:
        label = freeze.label if freeze else field
        allowed = "、".join(FREEZES[name].label for name in AMENDABLE)
        raise SettingNotAmendable(
            f"「{label}」不能通过变更程序修改；可变更的设置为：{allowed}",
            rule=freeze.rule if freeze else "M-17",
        )
    if not _amendable_at(freeze, stage):
        raise SettingNotAmendable(
            f"本届当前阶段为「{stage.label}」，「{freeze.label}」只能在「{freeze.amend_until.label}」"
            f"阶段开始前变更",
            rule=freeze.rule,
        )
    if not (reason or "").strip():
        raise InvalidInput(f"变更「{freeze.label}」须写明理由（M-3）")
    if not (decision_ref or "").strip():
        raise InvalidInput(f"变更「{freeze.label}」须填写评定委员会决定的文号或会议纪要编号（M-3）")
    return freeze


# How an amendment's new value is read, by field; the amendable fields are dates, days, counts
# and the arrangements' text.
_KINDS = {
    "deadline": "date",
    "material_review_on": "date",
    "onsite_review_on": "date",
    "supplement_days": "int",
    "award_quota": "int",
    "nomination_quota": "int",
    "arrangements": "text",
}


def parse_amended_value(field: str, text) -> date | int | str:
    """The amendment's new value as the field's type, or `InvalidInput` naming the field."""
    label = FREEZES[field].label
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise InvalidInput(f"请填写「{label}」的新值")
    kind = _KINDS.get(field, "text")
    try:
        if kind == "date":
            return date.fromisoformat(raw)
        if kind == "int":
            value = int(raw)
            if value < 0:
                raise ValueError(raw)
            return value
    except ValueError:
        expected = "日期（如 2027-03-31）" if kind == "date" else "非负整数"
        raise InvalidInput(f"「{label}」的新值「{raw}」无效，应为{expected}") from None
    return raw


def ensure_deadline_not_past(new_deadline: date, today: date) -> None:
    """M-17: moving the deadline before today would shut out applicants still in time."""
    if new_deadline < today:
        raise SettingNotAmendable(
            f"新的申报截止日期 {new_deadline.isoformat()} 早于今天 {today.isoformat()}，"
            "会使仍在期限内的申报人无法申报"
        )
