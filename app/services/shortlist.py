"""The material-review ranking and the Office's on-site list ("好中选优", M-19.2)."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, func, select

from app.domain.enums import ApplicationStatus as S
from app.domain.enums import Prize, ReviewStage, Stage
from app.domain.errors import RuleViolation
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.conflict_counting import ensure_scores_untainted
from app.services.transactions import atomic
from app.services.workflow import (
    IN_MATERIAL_REVIEW,
    ids_of,
    lock_cycle,
    open_sheets,
    set_status,
    values,
)
from models import Application, AwardCycle, Individual, Organization, StageScore


class ShortlistRefused(RuleViolation):
    rule = "M-19.2"
    default_message = "不能确定现场评审名单"


@dataclass(frozen=True)
class MaterialLine:
    application_id: int
    number: str
    applicant_name: str
    status: S
    material: Decimal | None
    rank: int | None
    suggested: bool


@dataclass(frozen=True)
class MaterialTable:
    prize: Prize
    lines: tuple[MaterialLine, ...]
    suggestion: str


def _suggestion_text(cycle: AwardCycle) -> str:
    parts = []
    if cycle.shortlist_size:
        parts.append(f"每个奖项按材料评审得分取前 {cycle.shortlist_size} 名（并列者一并列入）")
    if cycle.min_material_score is not None:
        parts.append(f"材料评审得分不低于 {cycle.min_material_score} 分")
    return "；".join(parts) or "本届未设建议名额或最低分，由市质评办择优确定"


def material_ranking(cycle: AwardCycle) -> list[MaterialTable]:
    """Each prize's candidates by material score, highest first, with the cycle's suggestion."""
    rows = db.session.execute(
        select(
            Application.id,
            Application.number,
            Application.prize,
            Application.status,
            func.coalesce(Organization.name, Individual.name),
            StageScore.total,
        )
        .outerjoin(Organization, Organization.id == Application.organization_id)
        .outerjoin(Individual, Individual.id == Application.individual_id)
        .outerjoin(
            StageScore,
            and_(
                StageScore.application_id == Application.id,
                StageScore.stage == ReviewStage.MATERIAL.value,
            ),
        )
        .where(
            Application.cycle_id == cycle.id,
            Application.status.in_(values(IN_MATERIAL_REVIEW)),
        )
        .order_by(StageScore.total.desc().nulls_last(), Application.number)
    ).all()
    tables = []
    for prize in Prize:
        mine = [r for r in rows if r[2] == prize.value]
        scored = [r[5] for r in mine if r[5] is not None]
        cut = None
        if cycle.shortlist_size and scored:
            cut = scored[min(cycle.shortlist_size, len(scored)) - 1]
        lines, rank, previous = [], 0, None
        for n, (app_id, number, _prize, status, name, total) in enumerate(mine, start=1):
            if total is not None and total != previous:
                rank, previous = n, total
            suggested = (
                total is not None
                and (cycle.shortlist_size or cycle.min_material_score is not None)
                and (cut is None or total >= cut)
                and (cycle.min_material_score is None or total >= cycle.min_material_score)
            )
            lines.append(
                MaterialLine(
                    application_id=app_id,
                    number=number,
                    applicant_name=name or number,
                    status=S(status),
                    material=total,
                    rank=rank if total is not None else None,
                    suggested=bool(suggested),
                )
            )
        tables.append(MaterialTable(prize, tuple(lines), _suggestion_text(cycle)))
    return tables


@atomic
def choose(cycle_id, application_ids, note: str | None = None) -> list[Application]:
    """M-19.2: the chosen applications go on the on-site list; the others do not."""
    cycle = lock_cycle(cycle_id)
    ensure_stage(Stage(cycle.stage), Stage.MATERIAL_REVIEW, "确定现场评审名单")
    n = open_sheets(cycle.id, ReviewStage.MATERIAL)
    if n:
        raise ShortlistRefused(f"材料评审尚有 {n} 份评分表未提交，不能确定现场评审名单")
    ensure_scores_untainted(cycle.id, ReviewStage.MATERIAL)  # M-25.2, M-25.3
    ids = ids_of(application_ids)
    if not ids:
        raise ShortlistRefused("请至少选择一份申报列入现场评审名单")
    tables = material_ranking(cycle)
    lines = {line.application_id: line for t in tables for line in t.lines}
    stray = ids - set(lines)
    if stray:
        raise ShortlistRefused("所选申报不在本届材料评审名单中")
    unscored = [lines[i] for i in sorted(ids) if lines[i].material is None]
    if unscored:
        raise ShortlistRefused(
            "、".join(f"{x.number} {x.applicant_name}" for x in unscored)
            + " 尚无材料评审得分，不能列入现场评审名单"
        )
    why = (note or "").strip() or "市质评办依材料评审得分择优确定现场评审名单（M-19.2）"
    apps = db.session.scalars(select(Application).where(Application.id.in_(list(lines))))
    chosen = []
    for app in apps:
        picked = app.id in ids
        set_status(app, S.SHORTLISTED if picked else S.NOT_SHORTLISTED, "shortlist", why)
        if picked:
            chosen.append(app)
    suggested = {i for i, line in lines.items() if line.suggested}
    audit.record(
        "shortlist",
        cycle,
        f"{cycle.name}现场评审名单：{len(ids)} 份入围，{len(lines) - len(ids)} 份未入围",
        reason=why,
        details={
            "chosen": sorted(ids),
            "suggested": sorted(suggested),
            "differs_from_suggestion": bool(suggested) and suggested != ids,
        },
        cycle_id=cycle.id,
    )
    return chosen
