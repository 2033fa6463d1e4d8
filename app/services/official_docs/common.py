"""What the official documents share: the issuing bodies, loading a cycle by year, the stage a
document needs, and the lists of applicants as a document prints them."""

from sqlalchemy import select

from app.domain.enums import ApplicantKind, Prize, Stage
from app.domain.errors import RecordNotFound
from app.extensions import db
from app.services.official_docs.registry import DocumentStageNotReached
from models import Application, AwardCycle

# 发文机关 (the glossary of RULES.md): the Office, set up in the market regulator, issues the
# announcement and the notice and sends the 请示; the city government decides.
OFFICE = "伊宁市食品安全暨质量强市委员会办公室"
OFFICE_PREFIX = "伊市质评"
GOVERNMENT = "伊宁市人民政府"
GOVERNMENT_PREFIX = "伊市政发"
COMMITTEE = "伊宁市食品安全暨质量强市委员会"
OFFICE_SEAT = "伊宁市市场监督管理局"


def cycle_of_year(year) -> AwardCycle:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise RecordNotFound(f"没有「{year}」年度的评定") from None
    if not 1900 < value < 3000:  # nothing to look up (and no integer overflow in the query)
        raise RecordNotFound(f"没有{value}年度的评定")
    cycle = db.session.scalar(select(AwardCycle).where(AwardCycle.year == value))
    if cycle is None:
        raise RecordNotFound(f"没有{value}年度的评定")
    return cycle


def record_of(model, pk, label: str):
    try:
        value = int(pk)
    except (TypeError, ValueError):
        value = None
    row = db.session.get(model, value) if value and 0 < value < 2**31 else None
    if row is None:
        raise RecordNotFound(f"没有编号为「{pk}」的{label}")
    return row


def ensure_reached(cycle: AwardCycle, stage: Stage, document: str, rule: str) -> None:
    """Refuse a document before its stage, naming the stage it waits for."""
    current = Stage(cycle.stage)
    if current.order < stage.order:
        raise DocumentStageNotReached(
            f"{cycle.name}当前处于「{current.label}」阶段，尚未进入「{stage.label}」阶段，"
            f"不能生成{document}",
            rule=rule,
        )


def applicant_line(app: Application) -> str:
    """An organization by its name; an individual with the unit they work for."""
    if app.applicant_kind == ApplicantKind.INDIVIDUAL.value and app.individual is not None:
        person = app.individual
        employer = person.employer.name if person.employer else person.employer_name
        return f"{person.name}（{employer}）" if employer else person.name
    return app.applicant_name


def prize_label(value: str) -> str:
    return Prize(value).label


def applications(cycle: AwardCycle, statuses) -> list[Application]:
    """The cycle's applications in `statuses`, the award before the nomination, by number."""
    rows = db.session.scalars(
        select(Application).where(
            Application.cycle_id == cycle.id,
            Application.status.in_([s.value for s in statuses]),
        )
    )
    order = {Prize.AWARD.value: 0, Prize.NOMINATION.value: 1}
    return sorted(rows, key=lambda a: (order.get(a.prize, 2), a.number))
