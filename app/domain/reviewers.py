"""Who may serve as a reviewer (M-10.1 to M-10.4) and who has been disqualified (M-25)."""

from dataclasses import dataclass, field
from datetime import date

from app.domain.dates import add_years, years_between
from app.domain.eligibility import CheckItem
from app.domain.enums import CheckStatus, Degree, SanctionLevel
from app.domain.errors import RuleViolation

MIN_QUALITY_WORK_YEARS = 5
DEGREES_AT_LEAST_BACHELOR = frozenset({Degree.BACHELOR, Degree.MASTER, Degree.DOCTORATE})


class ReviewerNotQualified(RuleViolation):
    rule = "M-10"
    default_message = "评审员不具备规定的任职条件"


class ReviewerDisqualified(RuleViolation):
    rule = "M-25"
    default_message = "评审员资格已被撤销，不得评审"


@dataclass(frozen=True)
class ReviewerCertificate:
    name: str
    number: str
    valid_to: date | None = None

    def valid_on(self, on: date) -> bool:
        return self.valid_to is None or on <= self.valid_to


@dataclass(frozen=True)
class Sanction:
    """M-25: criticism, warning or disqualification decided for a breach."""

    level: SanctionLevel
    decided_on: date
    reason: str = ""


@dataclass(frozen=True)
class ReviewerFacts:
    key: str
    name: str
    degree: Degree
    quality_work_since: date | None
    excellence_reviews_done: int
    law_training_on: date | None
    integrity_pledge_on: date | None
    industries: frozenset[str] = frozenset()
    certificates: list[ReviewerCertificate] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    employer_key: str | None = None

    def is_expert_for(self, industry: str) -> bool:
        return industry_matches(self.industries, industry)


def industry_matches(expert_industries: frozenset[str], industry: str) -> bool:
    """Whether an expert's GB/T 4754 codes cover `industry` (a section covers its divisions).

    Codes are a section letter ("C") or a section letter with a division ("C26"); an expert
    for "C" counts for "C26", an expert for "C26" does not count for all of "C".
    """
    wanted = industry.strip().upper()
    for code in expert_industries:
        have = code.strip().upper()
        if have == wanted or (len(have) == 1 and wanted.startswith(have)):
            return True
    return False


def years_of_quality_work(facts: ReviewerFacts, on: date) -> int:
    """Completed years of quality work up to `on` (0 when no start date is recorded)."""
    if facts.quality_work_since is None:
        return 0
    return max(0, years_between(facts.quality_work_since, on))


def disqualifications(facts: ReviewerFacts) -> list[Sanction]:
    return [s for s in facts.sanctions if s.level == SanctionLevel.DISQUALIFICATION]


def is_disqualified(facts: ReviewerFacts) -> bool:
    """M-25: a reviewer once disqualified stays so; the measures set no end to it."""
    return bool(disqualifications(facts))


def _item(rule: str, title: str, ok: bool, evidence: str) -> CheckItem:
    return CheckItem(rule, title, CheckStatus.PASS if ok else CheckStatus.FAIL, evidence)


def _law_training(facts: ReviewerFacts, on: date) -> CheckItem:
    title = "熟悉国家质量和经济方面的法律法规"
    if facts.law_training_on is None:
        return _item("M-10.1", title, False, "未记录法律法规培训")
    if facts.law_training_on > on:
        return _item("M-10.1", title, False, f"法律法规培训日期 {facts.law_training_on} 晚于 {on}")
    return _item("M-10.1", title, True, f"{facts.law_training_on} 参加法律法规培训")


def _degree(facts: ReviewerFacts) -> CheckItem:
    ok = facts.degree in DEGREES_AT_LEAST_BACHELOR
    evidence = f"学历：{facts.degree.label}" + ("" if ok else "，低于大学本科")
    return _item("M-10.2", "大学本科以上学历", ok, evidence)


def _work_years(facts: ReviewerFacts, on: date) -> CheckItem:
    title = f"从事质量管理或相关专业工作 {MIN_QUALITY_WORK_YEARS} 年以上"
    since = facts.quality_work_since
    if since is None:
        return _item("M-10.3a", title, False, "未记录从事质量工作的起始日期")
    reached = add_years(since, MIN_QUALITY_WORK_YEARS)
    years = years_of_quality_work(facts, on)
    if on < reached:
        evidence = f"自 {since} 起至 {on} 满 {years} 年，{reached} 方满 {MIN_QUALITY_WORK_YEARS} 年"
        return _item("M-10.3a", title, False, evidence)
    return _item("M-10.3a", title, True, f"自 {since} 起至 {on} 满 {years} 年")


def _review_experience(facts: ReviewerFacts, on: date, min_reviews: int) -> CheckItem:
    # RULES says only "rich experience"; the count required is the caller's setting.
    title = "具有丰富的卓越绩效评审经验"
    done = facts.excellence_reviews_done
    evidence = f"已参加卓越绩效评审 {done} 次，要求至少 {min_reviews} 次"
    valid = [c for c in facts.certificates if c.valid_on(on)]
    if valid:
        evidence += "；有效证书：" + "、".join(f"{c.name}（{c.number}）" for c in valid)
    return _item("M-10.3b", title, done >= min_reviews, evidence)


def _integrity(facts: ReviewerFacts, on: date) -> CheckItem:
    title = "作风正派，廉洁自律"
    problems = []
    if facts.integrity_pledge_on is None:
        problems.append("未签署廉洁承诺书")
    elif facts.integrity_pledge_on > on:
        problems.append(f"廉洁承诺书签署日期 {facts.integrity_pledge_on} 晚于 {on}")
    if is_disqualified(facts):
        problems.append("已被撤销评审员资格")
    if problems:
        return _item("M-10.4", title, False, "；".join(problems))
    evidence = f"{facts.integrity_pledge_on} 签署廉洁承诺书"
    lesser = [s for s in facts.sanctions if s.level != SanctionLevel.DISQUALIFICATION]
    if lesser:
        # Criticism and warning do not bar a reviewer, but the clerk should see them.
        evidence += "；曾受处理：" + "、".join(f"{s.decided_on} {s.level.label}" for s in lesser)
    return _item("M-10.4", title, True, evidence)


def _not_disqualified(facts: ReviewerFacts) -> CheckItem:
    title = "未被撤销评审员资格"
    found = disqualifications(facts)
    if not found:
        return _item("M-25", title, True, "无撤销评审员资格记录")
    evidence = "；".join(
        f"{s.decided_on} 撤销评审员资格：{s.reason or '未注明原因'}" for s in found
    )
    return _item("M-25", title, False, evidence)


def qualification(facts: ReviewerFacts, on: date, *, min_reviews: int = 1) -> list[CheckItem]:
    """Every condition of M-10 and M-25 for `facts` on date `on`, each with its evidence."""
    return [
        _law_training(facts, on),
        _degree(facts),
        _work_years(facts, on),
        _review_experience(facts, on, min_reviews),
        _integrity(facts, on),
        _not_disqualified(facts),
    ]


# Which field of the reviewer record holds each condition's evidence, by (rule, title).
EVIDENCE_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("M-10.1", "熟悉国家质量和经济方面的法律法规"): ("law_training_on",),
    ("M-10.2", "大学本科以上学历"): ("degree",),
    ("M-10.3a", f"从事质量管理或相关专业工作 {MIN_QUALITY_WORK_YEARS} 年以上"): (
        "quality_work_since",
    ),
    ("M-10.3b", "具有丰富的卓越绩效评审经验"): ("excellence_reviews_done",),
    ("M-10.4", "作风正派，廉洁自律"): ("integrity_pledge_on",),
}


def failed_items(facts: ReviewerFacts, on: date, *, min_reviews: int = 1) -> list[CheckItem]:
    return [
        i for i in qualification(facts, on, min_reviews=min_reviews) if i.status != CheckStatus.PASS
    ]


def is_qualified(facts: ReviewerFacts, on: date, *, min_reviews: int = 1) -> bool:
    return not failed_items(facts, on, min_reviews=min_reviews)


def ensure_qualified(facts: ReviewerFacts, on: date, *, min_reviews: int = 1) -> None:
    """M-10: refuse a reviewer who fails any condition, naming each failed one."""
    failed = failed_items(facts, on, min_reviews=min_reviews)
    if failed:
        reasons = "；".join(f"{i.title}（{i.rule}）：{i.evidence}" for i in failed)
        # The sub-rule of the first failed condition (M-10.3, not M-10), and each failed
        # condition against the reviewer record's field that holds its evidence.
        fields: dict[str, str] = {}
        for i in failed:
            for name in EVIDENCE_FIELDS.get((i.rule, i.title), ()):
                fields.setdefault(name, f"{i.title}（{i.rule}）：{i.evidence}")
        raise ReviewerNotQualified(
            f"评审员 {facts.name} 不具备评审员条件：{reasons}",
            rule=failed[0].rule,
            fields=fields or None,
        )


def ensure_may_score(facts: ReviewerFacts) -> None:
    """M-25: a disqualified reviewer may not score, whatever group they were put in."""
    found = disqualifications(facts)
    if found:
        when = "、".join(str(s.decided_on) for s in found)
        raise ReviewerDisqualified(f"评审员 {facts.name} 已于 {when} 被撤销评审员资格，不得评审")
