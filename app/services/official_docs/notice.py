"""M-19.6: the public notice of the proposed winners - the list, the period (calendar or
working days, holidays skipped) and how to object under one's real name."""

from datetime import date, timedelta

from sqlalchemy import select

from app.domain import notice as notice_rules
from app.domain.enums import ApplicationStatus as S
from app.domain.enums import Stage
from app.domain.stages import zh_date
from app.extensions import db
from app.services.official_docs import layout as L
from app.services.official_docs.common import (
    OFFICE,
    OFFICE_PREFIX,
    OFFICE_SEAT,
    applicant_line,
    applications,
    cycle_of_year,
    ensure_reached,
    prize_label,
)
from app.services.official_docs.registry import DocumentStageNotReached, Spec, register
from app.services.workflow import notice_of
from models import AwardCycle, NoticeHoliday

REAL_NAME = (
    "异议应以真实身份提出：单位提出异议的，应加盖本单位公章；个人提出异议的，应署真实姓名并"
    "留下联系方式，同时提供必要的证明材料。匿名异议予以登记，但不作调查处理。"
)


def ensure_noticeable(cycle: AwardCycle) -> None:
    ensure_reached(cycle, Stage.COMMITTEE_VOTE, "拟表彰对象公示", "M-19.6")
    if notice_of(cycle.id) is None:
        raise DocumentStageNotReached(
            f"{cycle.name}尚未拟定公示（「评议公示」阶段，需先确定公示期），不能生成公示",
            rule="M-19.6",
        )


def holidays_between(start: date, end: date) -> list[NoticeHoliday]:
    return list(
        db.session.scalars(
            select(NoticeHoliday)
            .where(NoticeHoliday.day >= start, NoticeHoliday.day <= end)
            .order_by(NoticeHoliday.day)
        )
    )


def period_sentence(starts_on: date, ends_on: date, working_days: bool) -> str:
    """公示期为2025年9月1日至2025年9月9日（7个工作日，9月3日纪念日不计）."""
    off = holidays_between(starts_on, ends_on) if working_days else []
    days_off = {h.day for h in off}
    if working_days:
        count, day = 0, starts_on
        while day <= ends_on:
            count += notice_rules.is_working_day(day, days_off)
            day += timedelta(days=1)
        extra = "，周六、周日" + (
            "及" + "、".join(f"{zh_date(h.day)}（{h.name}）" for h in off) if off else ""
        )
        length = f"{count}个工作日{extra}不计入"
    else:
        length = f"{(ends_on - starts_on).days + 1}个自然日"
    return f"公示期为{zh_date(starts_on)}至{zh_date(ends_on)}（{length}）。"


def build(cycle: AwardCycle, number: str | None = None, dated: date | None = None) -> bytes:
    notice = notice_of(cycle.id)
    proposed = applications(cycle, {S.PROPOSED, S.AWARDED})
    title = f"关于{cycle.year}年度伊宁市政府质量奖拟表彰对象的公示"
    doc = L.new_document(
        title, issuer=OFFICE + "文件", number=number or f"{OFFICE_PREFIX}〔{cycle.year}〕  号"
    )
    L.add_paragraph(
        doc,
        f"根据《{cycle.regulation_version}》，经资格审查、材料评审、用户评价、现场评审、综合评价"
        f"和{'伊宁市食品安全暨质量强市委员会'}评议表决，{cycle.year}年度伊宁市政府质量奖拟表彰对象"
        f"共{len(proposed)}个，现予以公示。",
    )
    body = (notice.body or "").strip()
    if body and not body.startswith("拟表彰对象："):
        for line in body.splitlines():
            if line.strip():
                L.add_paragraph(doc, line.strip())
    L.add_heading(doc, "一、拟表彰对象名单")
    rows = [[i, prize_label(a.prize), applicant_line(a)] for i, a in enumerate(proposed, 1)]
    L.add_table(doc, ["序号", "奖项", "拟表彰对象"], rows or [["", "", "（无）"]], [18, 45, 93])
    L.add_heading(doc, "二、公示期")
    L.add_paragraph(doc, period_sentence(notice.starts_on, notice.ends_on, notice.working_days))
    L.add_heading(doc, "三、异议的提出")
    L.add_paragraph(
        doc,
        "公示期内，任何单位和个人对拟表彰对象有异议的，可向伊宁市食品安全暨质量强市委员会办公室"
        f"（设在{OFFICE_SEAT}）书面提出。{REAL_NAME}",
    )
    for line in (notice.how_to_object or "").splitlines():
        if line.strip():
            L.add_paragraph(doc, line.strip())
    L.add_signature(doc, OFFICE, dated or notice.starts_on)
    return L.to_bytes(doc)


register(
    Spec(
        kind="notice",
        label_zh="拟表彰对象公示",
        target="year",
        builder=build,
        load=cycle_of_year,
        stage_check=ensure_noticeable,
        issuer=OFFICE,
        number_prefix=OFFICE_PREFIX,
        rule="M-19.6",
        year_of=lambda cycle: cycle.year,
    )
)
