"""What a material or on-site review report says (M-19.2, M-19.4), compiled from the group's
sheets: the score per GB/T 19580 category and in total, the group's aggregated result and its
method, the sheets that count (a sheet left out by a conflict recorded late is named and not
counted, M-25.2), the reviewers' strengths and opportunities per category, and the leader's
sign-off. Plain data, testable without a document library."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.domain import aggregation as agg
from app.domain.counting import TooFewCountingReviewers
from app.domain.enums import Aggregation, Prize, ReviewStage, SheetStatus
from app.domain.errors import RecordNotFound, RuleViolation
from app.domain.report_rules import REPORT_RULE, REPORT_TITLE, ensure_signed_off, is_current
from app.domain.scoring import round_display
from app.extensions import db
from app.services.conflict_counting import group_counting, tainted_scores
from app.services.scoresheets import Criteria, criteria_of
from app.services.scoring_close import application_results
from models import Application, ReviewAssignment, ReviewGroup, ReviewReport, Scoresheet, StageScore


@dataclass(frozen=True)
class CategoryFindings:
    """One GB/T 19580 category: its points, the group's score and what the reviewers wrote."""

    code: str
    name: str
    max_points: Decimal
    score: Decimal | None
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]

    @property
    def score_display(self) -> str:
        return "—" if self.score is None else str(round_display(self.score))


@dataclass(frozen=True)
class SheetEntry:
    """A member's submitted sheet in the report: counted or not, and why not."""

    reviewer: str
    leader: bool
    total: Decimal
    counted: bool
    reason: str = ""
    trimmed: bool = False  # dropped as the highest or lowest under trimmed_mean


@dataclass(frozen=True)
class ReviewReportContent:
    stage: ReviewStage
    rule: str
    title: str
    cycle_year: int
    cycle_name: str
    number: str
    applicant: str
    prize: str
    group_name: str
    leader: str
    members: tuple[str, ...]
    criteria_name: str
    method: Aggregation
    method_text: str
    total: Decimal
    counted: int
    categories: tuple[CategoryFindings, ...]
    sheets: tuple[SheetEntry, ...]
    exclusions: tuple[str, ...]
    closed_at: datetime | None
    summary: str
    strengths: str
    improvements: str
    recommendation: str
    signed_off_by: str | None
    signed_off_at: datetime | None
    score_computed_at: datetime | None = None

    @property
    def total_display(self) -> str:
        return str(round_display(self.total))


def _unique(texts) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def method_text(method: Aggregation, counted: int) -> str:
    """How the group's score was made from its sheets, as the report states it (M-19.2)."""
    if method is Aggregation.CONSENSUS:
        return (
            f"组长合议：全体计分成员提交评分表（{counted} 份）后，由组长录入合议评分，"
            "以合议评分为评审组得分"
        )
    if method is Aggregation.TRIMMED_MEAN and counted >= agg.TRIM_FROM:
        return (
            f"去掉最高最低后平均：{counted} 份计分评分表去掉一个最高总分和一个最低总分，"
            f"其余 {counted - 2} 份的算术平均"
        )
    if method is Aggregation.TRIMMED_MEAN:
        return (
            f"去掉最高最低后平均：计分评分表不足 {agg.TRIM_FROM} 份（{counted} 份），按算术平均计算"
        )
    return f"算术平均：{counted} 份计分评分表的算术平均"


def group_of(application_id: int, stage: ReviewStage) -> ReviewGroup:
    """The group that reviewed the application at that stage, or a refusal naming the rule."""
    app = db.session.get(Application, application_id)
    if app is None:
        raise RecordNotFound(f"申报（编号 {application_id}）不存在")
    group = db.session.scalar(
        select(ReviewGroup)
        .join(ReviewAssignment, ReviewAssignment.group_id == ReviewGroup.id)
        .where(
            ReviewAssignment.application_id == application_id,
            ReviewAssignment.stage == stage.value,
        )
    )
    if group is None:
        raise RuleViolation(
            f"申报 {app.number} 未经{stage.label}，没有{REPORT_TITLE[stage]}",
            rule=REPORT_RULE[stage],
        )
    return group


def report_row(application_id: int, stage: ReviewStage) -> ReviewReport | None:
    return db.session.scalar(
        select(ReviewReport).where(
            ReviewReport.application_id == application_id, ReviewReport.stage == stage.value
        )
    )


def _stage_score(application: Application, group: ReviewGroup, stage: ReviewStage) -> StageScore:
    title = REPORT_TITLE[stage]
    if group.closed_at is None:
        raise RuleViolation(
            f"评审组 {group.name} 尚未结束评审，申报 {application.number} 的{title}尚无最终得分",
            rule=REPORT_RULE[stage],
        )
    score = db.session.scalar(
        select(StageScore).where(
            StageScore.application_id == application.id, StageScore.stage == stage.value
        )
    )
    if score is None:
        raise RuleViolation(
            f"申报 {application.number} 尚无{stage.label}得分（组长合议评分未录入或评审组已重新开启）",
            rule=REPORT_RULE[stage],
        )
    return score


def _ensure_untainted(group: ReviewGroup, application: Application, counting) -> None:
    """M-25.2: a report never states a score that still counts a sheet tied to the applicant."""
    for t in tainted_scores(group, counting):
        if t.application_id == application.id:
            why = "；".join(e.reason() for e in t.counting.excluded)
            raise TooFewCountingReviewers(
                f"申报 {application.number} 的{ReviewStage(group.stage).label}得分计入了 "
                f"{t.score.sheets} 份评分表，现只有 {t.counted_now} 份计分：{why}；"
                "须由市质评办重新开启评审组并补充评审员后方可出具评审报告",
                rule=t.counting.excluded[0].rule.split("、")[0],
                application_key=application.number,
            )


def _findings(
    criteria: Criteria, sheets: list[Scoresheet], score: StageScore
) -> tuple[CategoryFindings, ...]:
    order = {code: i for i, code in enumerate(criteria.spec.item_codes)}
    found: list[tuple[int, str, str, str]] = []  # item order, category, strength, improvement
    for sheet in sheets:
        for line in sheet.lines:
            code = criteria.codes.get(line.item_id, "")
            if code not in order:
                continue
            category = criteria.spec.item(code).category_code
            found.append((order[code], category, line.strengths or "", line.improvements or ""))
    found.sort(key=lambda f: f[0])  # stable: within an item, the sheets keep their order
    strengths: dict[str, list[str]] = {}
    improvements: dict[str, list[str]] = {}
    for _i, category, strength, improvement in found:
        strengths.setdefault(category, []).append(strength)
        improvements.setdefault(category, []).append(improvement)
    stored = score.categories or {}
    return tuple(
        CategoryFindings(
            code=c.code,
            name=c.name_zh,
            max_points=c.points,
            score=Decimal(str(stored[c.code])) if c.code in stored else None,
            strengths=_unique(strengths.get(c.code, ())),
            improvements=_unique(improvements.get(c.code, ())),
        )
        for c in criteria.spec.categories
    )


def review_report_content(
    application_id: int, stage: ReviewStage, *, require_signed: bool = True
) -> ReviewReportContent:
    """The report of the group for one application at one review stage (M-19.2, M-19.4).

    Refused while the group is open, when the stored score still counts a sheet that a late
    conflict leaves out (M-25.2), and, unless ``require_signed`` is False (the sign-off
    itself), before the group's leader signed it off."""
    stage = ReviewStage(stage)
    group = group_of(application_id, stage)
    application = db.session.get(Application, application_id)
    score = _stage_score(application, group, stage)
    counting = group_counting(group)
    _ensure_untainted(group, application, counting)
    report = report_row(application_id, stage)
    signed_at = report.finalized_at if report else None
    current = is_current(signed_at, score.computed_at)
    if require_signed:
        ensure_signed_off(stage, application.number, signed_at, score.computed_at)

    cycle = group.cycle
    criteria = criteria_of(cycle.criteria_version_id)
    method = Aggregation(score.method)
    leaders = {m.reviewer_id for m in group.members if m.is_leader}
    results = [
        r
        for r in application_results(group, application_id, criteria, counting)
        if r.sheet.status == SheetStatus.SUBMITTED.value
    ]
    counted = [r for r in results if r.counted]
    kept = set(agg.kept_sheets([r.scores.total for r in counted], method))
    trimmed = {id(r) for i, r in enumerate(counted) if i not in kept}
    entries = tuple(
        SheetEntry(
            reviewer=r.sheet.reviewer.name,
            leader=r.sheet.reviewer_id in leaders,
            total=r.scores.total,
            counted=r.counted,
            reason=r.reason,
            trimmed=id(r) in trimmed,
        )
        for r in results
    )
    commented = [r.sheet for r in counted]
    if method is Aggregation.CONSENSUS:
        commented += list(
            db.session.scalars(
                select(Scoresheet).where(
                    Scoresheet.group_id == group.id,
                    Scoresheet.application_id == application_id,
                    Scoresheet.is_consensus.is_(True),
                )
            )
        )
    leader = next((m.reviewer for m in group.members if m.is_leader), None)
    author = report.author if report and report.author else None
    return ReviewReportContent(
        stage=stage,
        rule=REPORT_RULE[stage],
        title=REPORT_TITLE[stage],
        cycle_year=cycle.year,
        cycle_name=cycle.name,
        number=application.number,
        applicant=application.applicant_name,
        prize=Prize(application.prize).label,
        group_name=group.name,
        leader=leader.name if leader else "",
        members=tuple(
            m.reviewer.name for m in sorted(group.members, key=lambda m: (not m.is_leader, m.id))
        ),
        criteria_name=criteria.spec.name,
        method=method,
        method_text=method_text(method, score.sheets),
        total=Decimal(score.total),
        counted=score.sheets,
        categories=_findings(criteria, commented, score),
        sheets=entries,
        exclusions=tuple(r.reason for r in results if not r.counted and r.reason),
        closed_at=group.closed_at,
        summary=report.summary if report else "",
        strengths=(report.strengths or "") if report else "",
        improvements=(report.improvements or "") if report else "",
        recommendation=(report.recommendation or "") if report else "",
        signed_off_by=author.name if author and current else None,
        signed_off_at=signed_at if current else None,
        score_computed_at=score.computed_at,
    )
