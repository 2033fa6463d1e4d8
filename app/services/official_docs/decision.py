"""M-19.8: the city government's decision commending the winners, after its approval
(M-19.7); prize money in capital figures; winners state the year of the award (M-21)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.domain.enums import ApplicationStatus as S
from app.domain.enums import Prize, Stage
from app.domain.stages import zh_date
from app.domain.zh_numbers import rmb_upper
from app.extensions import db
from app.services.official_docs import layout as L
from app.services.official_docs.common import (
    GOVERNMENT,
    GOVERNMENT_PREFIX,
    applicant_line,
    applications,
    cycle_of_year,
    ensure_reached,
    prize_label,
)
from app.services.official_docs.registry import DocumentStageNotReached, Spec, register
from models import Award, AwardCycle, GovernmentApproval


def approval_of(cycle: AwardCycle) -> GovernmentApproval | None:
    return db.session.scalar(
        select(GovernmentApproval).where(GovernmentApproval.cycle_id == cycle.id)
    )


def ensure_decidable(cycle: AwardCycle) -> None:
    ensure_reached(cycle, Stage.APPROVAL, "表彰决定", "M-19.8")
    if approval_of(cycle) is None:
        raise DocumentStageNotReached(
            f"市人民政府尚未批准{cycle.name}表彰名单（「报送审批」阶段，M-19.7），不能生成表彰决定",
            rule="M-19.7",
        )


def winners(cycle: AwardCycle) -> list[tuple]:
    """(application, prize, amount, certificate no.) of each winner: the awards once made,
    otherwise the approved list with the cycle's prize amounts."""
    awards = list(
        db.session.scalars(
            select(Award).where(Award.cycle_id == cycle.id).order_by(Award.certificate_no)
        )
    )
    if awards:
        order = {Prize.AWARD.value: 0, Prize.NOMINATION.value: 1}
        awards.sort(key=lambda a: (order.get(a.prize, 2), a.certificate_no))
        return [(a.application, a.prize, a.amount, a.certificate_no) for a in awards]
    return [
        (
            a,
            a.prize,
            cycle.award_amount if a.prize == Prize.AWARD.value else cycle.nomination_amount,
            "",
        )
        for a in applications(cycle, {S.PROPOSED})
    ]


def build(cycle: AwardCycle, number: str | None = None, dated: date | None = None) -> bytes:
    approval = approval_of(cycle)
    rows = winners(cycle)
    title = f"伊宁市人民政府关于表彰{cycle.year}年度伊宁市政府质量奖获奖组织和个人的决定"
    doc = L.new_document(
        title,
        issuer=GOVERNMENT + "文件",
        number=number or f"{GOVERNMENT_PREFIX}〔{cycle.year}〕  号",
    )
    L.add_addressee(doc, "各乡（镇）人民政府、街道办事处，市直各部门，各有关单位")
    meeting = f"经{approval.meeting}研究" if approval.meeting else "经市人民政府研究"
    L.add_paragraph(
        doc,
        f"为深入实施质量强市战略，激励全市各类组织和个人追求卓越，根据《{cycle.regulation_version}》，"
        f"经申报、评审、委员会评议表决和社会公示，{meeting}（{approval.document_no}，"
        f"{zh_date(approval.approved_on)}），决定：",
    )
    for prize in Prize:
        group = [r for r in rows if r[1] == prize.value]
        if not group:
            L.add_paragraph(doc, f"{cycle.year}年度伊宁市{prize.label}空缺。")
            continue
        names = "、".join(applicant_line(r[0]) for r in group)
        L.add_paragraph(
            doc,
            f"授予{names}“{cycle.year}年度伊宁市{prize.label}”称号，颁发奖牌和证书，"
            f"各奖励{rmb_upper(group[0][2])}。",
        )
    L.add_paragraph(
        doc,
        "希望受表彰的组织和个人珍惜荣誉，持续推进卓越绩效管理，充分发挥示范引领作用。"
        "获奖组织和个人在宣传中使用质量奖称号和标志时，应注明获奖年度。奖金用于质量改进、"
        "技术创新、人员培训、奖励质量工作人员、检验检测能力建设和宣传等。",
    )
    L.add_attachment_note(doc, [f"{cycle.year}年度伊宁市政府质量奖获奖名单"])
    L.add_signature(doc, GOVERNMENT, dated or approval.approved_on)
    L.add_attachment(doc, f"{cycle.year}年度伊宁市政府质量奖获奖名单")
    total = sum((r[2] for r in rows), Decimal("0"))
    table = [
        [i, prize_label(r[1]), applicant_line(r[0]), r[3] or "—", rmb_upper(r[2])]
        for i, r in enumerate(rows, 1)
    ]
    table.append(["", "合计", f"{len(rows)}个", "", rmb_upper(total)])
    L.add_table(
        doc, ["序号", "奖项", "获奖组织或个人", "证书编号", "奖金"], table, [12, 28, 52, 30, 34]
    )
    return L.to_bytes(doc)


register(
    Spec(
        kind="decision",
        label_zh="表彰决定",
        target="year",
        builder=build,
        load=cycle_of_year,
        stage_check=ensure_decidable,
        issuer=GOVERNMENT,
        number_prefix=GOVERNMENT_PREFIX,
        auto_number=False,
        rule="M-19.8",
        year_of=lambda cycle: cycle.year,
    )
)
