"""Comprehensive evaluation (M-19.5) under the quotas (M-4): load the finalists' scores, rank
them with app/domain/ranking, store the Office's proposal and the Committee's tie decisions."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from app.domain import quotas as quota_rules
from app.domain.enums import ApplicationStatus as S
from app.domain.enums import Prize, ReviewStage, Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.ranking import Candidate, Ranking, rank_cycle
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.conflict_counting import ensure_scores_untainted
from app.services.transactions import atomic
from app.services.workflow import (
    ON_SITE_LIST,
    OUT,
    RANK_ACTION,
    ids_of,
    lock_cycle,
    open_sheets,
    set_status,
    values,
)
from models import (
    Application,
    AwardCycle,
    CriteriaCategory,
    Disqualification,
    Individual,
    Organization,
    ReviewReport,
    SatisfactionEvaluation,
    StageScore,
)

RANK_STAGES = {Stage.COMPREHENSIVE, Stage.COMMITTEE_VOTE}
DEFAULT_RESULTS_CODE = "4.7"


class ScoresheetsOpen(RuleViolation):
    rule = "M-19.5"
    default_message = "现场评审尚有评分表未提交，不能进行综合评价排名"


class TieNotOpen(RuleViolation):
    rule = "M-19.5"
    default_message = "所选申报不在待委员会决定的并列名次中"


@dataclass
class LineInfo:
    """What the ranking page shows beside the domain's line: number, standing, reports."""

    number: str
    status: S
    material_report_id: int | None = None
    onsite_report_id: int | None = None
    ground: str | None = None


@dataclass
class CycleRanking:
    cycle: AwardCycle
    rankings: dict[Prize, Ranking]
    info: dict[int, LineInfo] = field(default_factory=dict)

    def tied_open(self, prize: Prize) -> set[int]:
        """The applications of the tie that straddles the quota, for the Committee to decide."""
        ranking = self.rankings[prize]
        if not ranking.unresolved_tie:
            return set()
        first = next(line for line in ranking.lines if not line.proposed)
        return {first.candidate.application_id, *first.tied_with}


def quotas_of(cycle: AwardCycle) -> dict[Prize, int]:
    return {Prize.AWARD: cycle.award_quota, Prize.NOMINATION: cycle.nomination_quota}


def results_codes(cycle: AwardCycle) -> list[str]:
    """The results category of the bound criteria (4.7 in GB/T 19580-2012)."""
    codes = list(
        db.session.scalars(
            select(CriteriaCategory.code).where(
                CriteriaCategory.version_id == cycle.criteria_version_id,
                CriteriaCategory.kind == "results",
            )
        )
    )
    return codes or [DEFAULT_RESULTS_CODE]


def _results_score(categories: dict | None, codes: list[str]) -> Decimal | None:
    found = [Decimal(str(categories[c])) for c in codes if categories and c in categories]
    return sum(found, Decimal(0)) if found else None


def load_candidates(cycle: AwardCycle) -> tuple[list[Candidate], dict[int, LineInfo]]:
    """The on-site list with its scores in one query (the finalists are few)."""
    onsite, material = aliased(StageScore), aliased(StageScore)
    rows = db.session.execute(
        select(
            Application.id,
            Application.number,
            Application.prize,
            Application.status,
            func.coalesce(Organization.name, Individual.name),
            onsite.total,
            onsite.categories,
            material.total,
            SatisfactionEvaluation.satisfaction_index,
            Disqualification.ground,
        )
        .outerjoin(Organization, Organization.id == Application.organization_id)
        .outerjoin(Individual, Individual.id == Application.individual_id)
        .outerjoin(
            onsite,
            and_(
                onsite.application_id == Application.id,
                onsite.stage == ReviewStage.ONSITE.value,
            ),
        )
        .outerjoin(
            material,
            and_(
                material.application_id == Application.id,
                material.stage == ReviewStage.MATERIAL.value,
            ),
        )
        .outerjoin(SatisfactionEvaluation, SatisfactionEvaluation.application_id == Application.id)
        .outerjoin(
            Disqualification,
            and_(
                Disqualification.application_id == Application.id,
                Disqualification.active.is_(True),
            ),
        )
        .where(
            Application.cycle_id == cycle.id,
            or_(
                Application.status.in_(values(ON_SITE_LIST)),
                and_(
                    Application.status.in_(values(OUT)),
                    Disqualification.previous_status.in_(values(ON_SITE_LIST)),
                ),
            ),
        )
        .order_by(Application.number)
    ).all()
    codes = results_codes(cycle)
    candidates, info = [], {}
    for app_id, number, prize, status, name, total, cats, mat, sat, ground in rows:
        status = S(status)
        candidates.append(
            Candidate(
                application_id=app_id,
                prize=Prize(prize),
                applicant_name=name or number,
                onsite=total,
                results_category=_results_score(cats, codes),
                material=mat,
                satisfaction=sat,
                excluded=status in OUT,
            )
        )
        info[app_id] = LineInfo(number=number, status=status, ground=ground)
    if info:
        reports = db.session.execute(
            select(ReviewReport.application_id, ReviewReport.stage, ReviewReport.id).where(
                ReviewReport.application_id.in_(list(info))
            )
        )
        for app_id, stage, report_id in reports:
            if stage == ReviewStage.MATERIAL.value:
                info[app_id].material_report_id = report_id
            else:
                info[app_id].onsite_report_id = report_id
    return candidates, info


def cycle_ranking(cycle: AwardCycle) -> CycleRanking:
    """M-19.5: each prize ranked by on-site score with the cycle's quotas and minimum score."""
    candidates, info = load_candidates(cycle)
    rankings = rank_cycle(candidates, quotas_of(cycle), cycle.min_onsite_score)
    return CycleRanking(cycle=cycle, rankings=rankings, info=info)


def ranking_of_year(year: int) -> CycleRanking:
    cycle = db.session.scalar(select(AwardCycle).where(AwardCycle.year == year))
    if cycle is None:
        raise InvalidInput(f"没有 {year} 年度的评定")
    return cycle_ranking(cycle)


def _ensure_rankable(cycle: AwardCycle) -> None:
    ensure_stage(Stage(cycle.stage), RANK_STAGES, "进行综合评价排名")
    n = open_sheets(cycle.id, ReviewStage.ONSITE)
    if n:
        raise ScoresheetsOpen(f"现场评审尚有 {n} 份评分表未提交，不能进行综合评价排名")
    # M-25.2, M-25.3: no on-site score that still counts a sheet of a reviewer tied to it.
    ensure_scores_untainted(cycle.id, ReviewStage.ONSITE)


def apply_ranking(cycle: AwardCycle, why: str) -> CycleRanking:
    """Store the proposal in the applications' standings; the caller holds the cycle's lock."""
    result = cycle_ranking(cycle)
    apps = {
        a.id: a
        for a in db.session.scalars(select(Application).where(Application.id.in_(result.info)))
    }
    summary = []
    for prize, ranking in result.rankings.items():
        quota_rules.ensure_within_quota(prize, ranking.quota, len(ranking.proposed))
        tied = result.tied_open(prize)
        for line in ranking.lines:
            app_id = line.candidate.application_id
            if S(apps[app_id].status) is S.AWARDED:
                continue
            new = S.PROPOSED if line.proposed else S.FINALIST if app_id in tied else S.NOT_AWARDED
            set_status(apps[app_id], new, "rank_result", why, rank=line.rank)
        for candidate, _reason in ranking.not_ranked:
            if not candidate.excluded:
                set_status(apps[candidate.application_id], S.NOT_AWARDED, "rank_result", why)
        note = "，并列待委员会决定" if ranking.unresolved_tie else ""
        summary.append(
            f"{prize.label}名额 {ranking.quota} 个，拟表彰 {len(ranking.proposed)} 个，"
            f"空缺 {ranking.vacancies} 个{note}"
        )
    for app_id, app in apps.items():
        result.info[app_id].status = S(app.status)
    audit.record(
        RANK_ACTION,
        cycle,
        f"{cycle.name}综合评价排名：" + "；".join(summary),
        reason=why,
        details={
            prize.value: [
                {"id": line.candidate.application_id, "rank": line.rank, "proposed": line.proposed}
                for line in ranking.lines
            ]
            for prize, ranking in result.rankings.items()
        },
        cycle_id=cycle.id,
    )
    return result


@atomic
def store_ranking(cycle_id, note: str | None = None) -> CycleRanking:
    """M-19.5: the Office proposes the top of each ranking within the quotas (M-4)."""
    cycle = lock_cycle(cycle_id)
    _ensure_rankable(cycle)
    return apply_ranking(cycle, (note or "").strip() or "市质评办综合评价排名（M-19.5）")


@atomic
def decide_tie(cycle_id, application_ids, reason: str | None) -> list[Application]:
    """The Committee's decision on a tie that straddles the quota (RULES.md M-19.5 decision)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("记录委员会对并列名次的决定须填写理由（M-3）")
    ids = ids_of(application_ids)
    if not ids:
        raise InvalidInput("请选择委员会决定拟表彰的申报")
    cycle = lock_cycle(cycle_id)
    _ensure_rankable(cycle)
    result = cycle_ranking(cycle)
    chosen: list[Application] = []
    for prize in result.rankings:
        picked = ids & result.tied_open(prize)
        if not picked:
            continue
        apps = list(db.session.scalars(select(Application).where(Application.id.in_(picked))))
        if any(S(a.status) is not S.FINALIST for a in apps):
            raise TieNotOpen("请先保存综合评价排名，再记录委员会对并列名次的决定")
        proposed = db.session.scalar(
            select(func.count(Application.id)).where(
                Application.cycle_id == cycle.id,
                Application.prize == prize.value,
                Application.status == S.PROPOSED.value,
            )
        )
        quota_rules.ensure_within_quota(prize, quotas_of(cycle)[prize], proposed + len(apps))
        chosen += apps
    stray = ids - {a.id for a in chosen}
    if stray:
        raise TieNotOpen()
    for app in chosen:
        set_status(app, S.PROPOSED, "decide_tie", f"委员会决定并列名次：{reason}")
    return chosen


def proposed_counts(cycle_id, statuses=(S.PROPOSED, S.AWARDED)) -> dict[Prize, int]:
    rows = db.session.execute(
        select(Application.prize, func.count(Application.id))
        .where(Application.cycle_id == cycle_id, Application.status.in_(values(statuses)))
        .group_by(Application.prize)
    )
    return {Prize(prize): n for prize, n in rows}


def ensure_quotas(cycle: AwardCycle, statuses=(S.PROPOSED, S.AWARDED)) -> None:
    """M-4: refuse more winners of a prize than the cycle's quota, naming quota and excess."""
    counts = proposed_counts(cycle.id, statuses)
    for prize, quota in quotas_of(cycle).items():
        quota_rules.ensure_within_quota(prize, quota, counts.get(prize, 0))


def quota_report(cycle: AwardCycle) -> list[quota_rules.QuotaUse]:
    """Each prize's quota, winners proposed or awarded, vacancies and excess (M-4)."""
    return quota_rules.quota_usage(quotas_of(cycle), proposed_counts(cycle.id))
