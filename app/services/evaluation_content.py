"""What the comprehensive evaluation report of a cycle says (M-19.5): each prize's ranking by
on-site score with the tie-breaks, the quota, the minimum score, the proposal, the vacancies
and the ties left to the Committee (M-4). Plain data from app.services.ranking."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.domain.enums import Aggregation, ApplicationStatus, Prize, ReviewStage, Stage
from app.domain.errors import RecordNotFound
from app.domain.report_rules import EVALUATION_FROM, ensure_reached
from app.domain.scoring import round_display
from app.extensions import db
from app.services.conflict_counting import ensure_scores_untainted
from app.services.ranking import cycle_ranking
from models import AwardCycle

RANKING_RULE = (
    "按现场评审得分由高到低排序；现场评审得分相同的，依次按现场评审“结果”类别得分、"
    "材料评审得分区分；三项均相同的列为并列，由评定委员会决定（M-19.5）。"
    "排名使用未经四舍五入的得分，表中得分保留一位小数。"
)
CHOSEN = (ApplicationStatus.PROPOSED, ApplicationStatus.AWARDED)


def _shown(value: Decimal | None) -> str:
    return "—" if value is None else str(round_display(Decimal(value)))


@dataclass(frozen=True)
class EvaluationLine:
    rank: int
    number: str
    applicant: str
    onsite: str
    results: str
    material: str
    satisfaction: str
    outcome: str
    tie_break: str
    tie_note: str


@dataclass(frozen=True)
class PrizeEvaluation:
    prize: Prize
    quota: int
    proposed: int
    vacancies: int
    vacancy_text: str
    unresolved_tie: bool
    lines: tuple[EvaluationLine, ...]
    not_ranked: tuple[tuple[str, str, str], ...]  # number, applicant, why


@dataclass(frozen=True)
class EvaluationContent:
    year: int
    cycle_name: str
    stage: Stage
    method: str
    minimum: str
    ranking_rule: str
    prizes: tuple[PrizeEvaluation, ...]
    today: date


def _outcome(line, status: ApplicationStatus, straddling: bool, decided: bool) -> str:
    if line.below_minimum:
        return "现场评审得分低于最低分，不予推荐"
    if line.proposed:
        return "拟表彰"
    if status in CHOSEN:
        return "拟表彰（评定委员会决定并列名次）"
    if straddling and decided:
        return "未列入拟表彰名单（评定委员会决定并列名次）"
    if straddling:
        return "并列，待评定委员会决定"
    return "未列入拟表彰名单"


def _vacancy_text(ranking, minimum: Decimal | None, chosen: int, decided: bool) -> str:
    vacant = max(ranking.quota - chosen, 0)
    if not vacant:
        return f"名额 {ranking.quota} 个，拟表彰 {chosen} 个，无空缺"
    reasons = []
    if any(line.below_minimum for line in ranking.lines) and minimum is not None:
        reasons.append(f"现场评审得分低于最低分 {_shown(minimum)} 分的不予推荐（M-4）")
    if ranking.unresolved_tie and not decided:
        reasons.append("并列名次待评定委员会决定")
    ranked = len(ranking.lines)
    if ranked < ranking.quota:
        reasons.append(f"参与排名的仅 {ranked} 个")
    why = f"：{'；'.join(reasons)}" if reasons else ""
    return f"名额 {ranking.quota} 个，拟表彰 {chosen} 个，空缺 {vacant} 个{why}"


def evaluation_content(year: int, today: date | None = None) -> EvaluationContent:
    """M-19.5: the comprehensive evaluation of the cycle of ``year``, once it has begun; a
    ranking on a score that still counts a sheet tied to the applicant is refused (M-25.2)."""
    cycle = db.session.scalar(select(AwardCycle).where(AwardCycle.year == year))
    if cycle is None:
        raise RecordNotFound(f"没有{year}年度的评定")
    stage = Stage(cycle.stage)
    ensure_reached(stage, EVALUATION_FROM, "综合评价报告")
    ensure_scores_untainted(cycle.id, ReviewStage.ONSITE)
    result = cycle_ranking(cycle)
    prizes = []
    for prize, ranking in result.rankings.items():
        tied = result.tied_open(prize)
        decided = any(result.info[i].status in CHOSEN for i in tied)
        lines = []
        for line in ranking.lines:
            c = line.candidate
            info = result.info[c.application_id]
            lines.append(
                EvaluationLine(
                    rank=line.rank,
                    number=info.number,
                    applicant=c.applicant_name,
                    onsite=_shown(c.onsite),
                    results=_shown(c.results_category),
                    material=_shown(c.material),
                    satisfaction=_shown(c.satisfaction),
                    outcome=_outcome(line, info.status, c.application_id in tied, decided),
                    tie_break=line.tie_break,
                    tie_note=line.tie_note,
                )
            )
        chosen = sum(
            1
            for line in ranking.lines
            if line.proposed or result.info[line.candidate.application_id].status in CHOSEN
        )
        prizes.append(
            PrizeEvaluation(
                prize=prize,
                quota=ranking.quota,
                proposed=chosen,
                vacancies=max(ranking.quota - chosen, 0),
                vacancy_text=_vacancy_text(ranking, cycle.min_onsite_score, chosen, decided),
                unresolved_tie=ranking.unresolved_tie and not decided,
                lines=tuple(lines),
                not_ranked=tuple(
                    (result.info[c.application_id].number, c.applicant_name, why)
                    for c, why in ranking.not_ranked
                ),
            )
        )
    return EvaluationContent(
        year=cycle.year,
        cycle_name=cycle.name,
        stage=stage,
        method=Aggregation(cycle.aggregation).label,
        minimum=(
            f"{_shown(cycle.min_onsite_score)} 分"
            if cycle.min_onsite_score is not None
            else "未设最低分"
        ),
        ranking_rule=RANKING_RULE,
        prizes=tuple(prizes),
        today=today or date.today(),
    )
