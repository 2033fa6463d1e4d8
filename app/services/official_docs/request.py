"""M-19.7: the 请示 to the city government asking it to approve the proposed winners, with the
proposed list attached."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.enums import ApplicationStatus as S
from app.domain.enums import ObjectionStatus, Prize, Stage
from app.domain.money import yuan
from app.domain.stages import zh_date
from app.domain.zh_numbers import rmb_upper
from app.extensions import db
from app.services.official_docs import layout as L
from app.services.official_docs.common import (
    COMMITTEE,
    GOVERNMENT,
    OFFICE,
    OFFICE_PREFIX,
    applicant_line,
    applications,
    cycle_of_year,
    ensure_reached,
    prize_label,
)
from app.services.official_docs.registry import Spec, register
from app.services.workflow import notice_of
from models import Application, AwardCycle, CommitteeVote, Objection

NOT_COUNTED = {S.DRAFT.value, S.WITHDRAWN.value}


def ensure_requestable(cycle: AwardCycle) -> None:
    ensure_reached(cycle, Stage.APPROVAL, "报送市人民政府的请示", "M-19.7")


def attachment_title(cycle: AwardCycle) -> str:
    return f"{cycle.year}年度伊宁市政府质量奖拟表彰对象名单"


def _amount(cycle: AwardCycle, prize: str) -> Decimal:
    return cycle.award_amount if prize == Prize.AWARD.value else cycle.nomination_amount


def _vote(app: Application) -> str:
    vote = db.session.scalar(select(CommitteeVote).where(CommitteeVote.application_id == app.id))
    if vote is None:
        return "—"
    return f"出席{vote.present}人，赞成{vote.votes_for}票"


def _facts(cycle: AwardCycle) -> str:
    counts = dict(
        db.session.execute(
            select(Application.status, func.count(Application.id))
            .where(Application.cycle_id == cycle.id)
            .group_by(Application.status)
        ).all()
    )
    received = sum(n for status, n in counts.items() if status not in NOT_COUNTED)
    text = f"{zh_date(cycle.opens_on)}至{zh_date(cycle.deadline)}共受理申报{received}份。"
    notice = notice_of(cycle.id)
    if notice is not None:
        objections = db.session.scalar(
            select(func.count(Objection.id)).where(Objection.notice_id == notice.id)
        )
        named = db.session.scalar(
            select(func.count(Objection.id)).where(
                Objection.notice_id == notice.id,
                Objection.status != ObjectionStatus.LOGGED_ANONYMOUS.value,
            )
        )
        text += f"拟表彰对象于{zh_date(notice.starts_on)}至{zh_date(notice.ends_on)}向社会公示，"
        text += (
            f"公示期间收到异议{objections}件（其中实名异议{named}件），均已调查处理完毕。"
            if objections
            else "公示期间未收到异议。"
        )
    return text


def build(
    cycle: AwardCycle,
    number: str | None = None,
    dated: date | None = None,
    signer: str | None = None,
) -> bytes:
    proposed = applications(cycle, {S.PROPOSED, S.AWARDED})
    doc = L.new_document(
        f"关于报请审定{cycle.year}年度伊宁市政府质量奖表彰对象的请示",
        issuer=OFFICE + "文件",
        number=number or f"{OFFICE_PREFIX}〔{cycle.year}〕  号",
        signer=signer or "          ",
    )
    L.add_addressee(doc, GOVERNMENT)
    L.add_paragraph(
        doc,
        f"根据《{cycle.regulation_version}》，{COMMITTEE}组织开展了{cycle.year}年度伊宁市政府"
        "质量奖评定工作。经资格审查、材料评审、用户评价、现场评审和综合评价，委员会评议表决，"
        f"提出拟表彰对象。{_facts(cycle)}",
    )
    by_prize = {p: [a for a in proposed if a.prize == p.value] for p in Prize}
    total = sum((_amount(cycle, a.prize) for a in proposed), Decimal("0"))
    parts = []
    for prize, rows in by_prize.items():
        if rows:
            names = "、".join(applicant_line(a) for a in rows)
            parts.append(
                f"{prize.label}{len(rows)}个：{names}，每个奖励{rmb_upper(_amount(cycle, prize.value))}"
            )
        else:
            parts.append(f"{prize.label}空缺")
    L.add_paragraph(
        doc,
        "现提请审定：" + "；".join(parts) + f"。共需奖金{rmb_upper(total)}（{yuan(total)}），"
        "从质量奖评定专项经费中列支。",
    )
    L.add_paragraph(doc, "妥否，请批示。")
    L.add_attachment_note(doc, [attachment_title(cycle)])
    L.add_signature(doc, OFFICE, dated)
    L.add_attachment(doc, attachment_title(cycle))
    rows = [
        [i, prize_label(a.prize), applicant_line(a), _vote(a), rmb_upper(_amount(cycle, a.prize))]
        for i, a in enumerate(proposed, 1)
    ]
    L.add_table(
        doc,
        ["序号", "奖项", "拟表彰对象", "委员会表决", "奖金"],
        rows or [["", "", "（无）", "", ""]],
        [12, 28, 52, 30, 34],
    )
    return L.to_bytes(doc)


register(
    Spec(
        kind="request",
        label_zh="报请审定表彰对象的请示",
        target="year",
        builder=build,
        load=cycle_of_year,
        stage_check=ensure_requestable,
        issuer=OFFICE,
        number_prefix=OFFICE_PREFIX,
        rule="M-19.7",
        year_of=lambda cycle: cycle.year,
    )
)
