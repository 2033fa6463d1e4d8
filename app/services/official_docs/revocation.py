"""M-26: the city government's decision revoking an award - the ground, the facts, the steps
taken (verified, reviewed, approved), what is recovered (amounts in capital figures) and the
five-year bar (M-28)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.domain.bans import ban_for_revocation
from app.domain.enums import Prize, RevocationGround, RevocationStatus
from app.domain.stages import zh_date
from app.domain.zh_numbers import rmb_upper
from app.extensions import db
from app.services.official_docs import layout as L
from app.services.official_docs.common import (
    GOVERNMENT,
    GOVERNMENT_PREFIX,
    applicant_line,
    record_of,
)
from app.services.official_docs.registry import DocumentStageNotReached, Spec, register
from models import Recovery, RevocationCase


def load(case_id) -> RevocationCase:
    return record_of(RevocationCase, case_id, "撤销案件")


def ensure_approved(case: RevocationCase) -> None:
    status = RevocationStatus(case.status)
    if status is not RevocationStatus.APPROVED:
        raise DocumentStageNotReached(
            f"撤销案件当前为「{status.label}」，须经市质评办核实、委员会审议、市人民政府批准"
            "（「市政府已批准撤销」）后才能生成撤销决定",
            rule="M-26",
        )


def _ground(case: RevocationCase) -> str:
    label = RevocationGround(case.ground).label
    return label.split("（")[0]


def recoveries(case: RevocationCase) -> list[Recovery]:
    return list(
        db.session.scalars(
            select(Recovery).where(Recovery.revocation_case_id == case.id).order_by(Recovery.id)
        )
    )


def build(case: RevocationCase, number: str | None = None, dated: date | None = None) -> bytes:
    award = case.award
    app = award.application
    name = applicant_line(app)
    year = award.cycle.year
    prize = Prize(award.prize).label
    doc = L.new_document(
        f"伊宁市人民政府关于撤销{name}{year}年度伊宁市{prize}的决定",
        issuer=GOVERNMENT + "文件",
        number=number or f"{GOVERNMENT_PREFIX}〔{(dated or case.approved_on).year}〕  号",
    )
    L.add_addressee(doc, "各乡（镇）人民政府、街道办事处，市直各部门，各有关单位")
    L.add_paragraph(
        doc,
        f"{name}于{zh_date(award.awarded_on)}获得“{year}年度伊宁市{prize}”称号"
        f"（证书编号：{award.certificate_no}），获奖金{rmb_upper(award.amount)}。",
    )
    L.add_paragraph(doc, f"经查：{(case.evidence or '').strip()}")
    steps = []
    if case.verified_at:
        steps.append(f"市质评办于{zh_date(case.verified_at.date())}核实")
    if case.reviewed_at:
        steps.append(f"伊宁市食品安全暨质量强市委员会于{zh_date(case.reviewed_at.date())}审议")
    steps.append(
        f"市人民政府于{zh_date(case.approved_on)}批准（{case.approval_document_no or '—'}）"
    )
    L.add_paragraph(
        doc,
        f"上述情形属于《{award.cycle.regulation_version}》规定的“{_ground(case)}”情形。"
        + "，".join(steps)
        + f"，决定撤销{name}“{year}年度伊宁市{prize}”称号，予以公布。",
    )
    items = recoveries(case)
    money = sum((r.amount for r in items), Decimal("0"))
    things = "、".join(r.item for r in items if not r.amount) or "奖牌、证书"
    L.add_paragraph(
        doc,
        f"收回{things}"
        + (f"，追回奖金{rmb_upper(money)}" if money else "")
        + "。追回的奖金缴回质量奖评定专项经费。",
    )
    if items:
        rows = [
            [
                r.item,
                rmb_upper(r.amount) if r.amount else "—",
                f"已收回（{zh_date(r.recovered_on)}）" if r.recovered else "待收回",
            ]
            for r in items
        ]
        L.add_table(doc, ["收回项目", "金额", "收回情况"], rows, [40, 70, 46])
    ban = ban_for_revocation(case.approved_on)
    L.add_paragraph(
        doc,
        f"自撤销之日起五年内（至{zh_date(ban.ends_on)}），{name}不得申报伊宁市政府质量奖。",
    )
    L.add_signature(doc, GOVERNMENT, dated or case.approved_on)
    return L.to_bytes(doc)


register(
    Spec(
        kind="revocation",
        label_zh="撤销奖励决定",
        target="case",
        builder=build,
        load=load,
        stage_check=ensure_approved,
        issuer=GOVERNMENT,
        number_prefix=GOVERNMENT_PREFIX,
        auto_number=False,
        rule="M-26",
        year_of=lambda case: (case.approved_on or date.today()).year,
    )
)
