"""The official documents (issue 19), built from the demo records and opened again with
python-docx: the facts each must carry (names, numbers, dates, amounts in capital figures, the
notice period), the GB/T 9704-2012 page, refusals before the stage, text that stays text, and
issuing: stored, logged, never changed or issued twice."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from docx import Document
from docx.shared import Pt
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.domain.enums import ApplicationStatus, RevocationStatus
from app.domain.stages import zh_date
from app.domain.zh_numbers import arabic_date, rmb_upper
from app.services.official_docs import issuing, registry
from app.services.official_docs.common import applicant_line
from app.services.official_docs.registry import DocumentStageNotReached
from models import (
    Application,
    AuditEntry,
    Award,
    AwardCycle,
    GovernmentApproval,
    IssuedDocument,
    Organization,
    PublicNotice,
    Recovery,
    RevocationCase,
)

OFFICIAL_KINDS = ["announcement", "notice", "request", "decision", "revocation"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def text_of(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    doc = Document(io.BytesIO(content))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def flat(content: bytes) -> str:
    return text_of(content).replace("\n", "")


def cycle(db, year) -> AwardCycle:
    return db.session.scalar(select(AwardCycle).where(AwardCycle.year == year))


def approved_case(db) -> RevocationCase:
    return db.session.scalar(
        select(RevocationCase).where(RevocationCase.status == RevocationStatus.APPROVED.value)
    )


def target_of(db, kind):
    return approved_case(db).id if kind == "revocation" else 2024


@pytest.fixture
def office(app, demo):
    """The demo data inside an app context, acting as the Office's clerk."""
    from app.extensions import db

    with app.test_request_context():
        from flask import g

        g.user = app.appbuilder.sm.find_user(username="office")
        yield db
        db.session.rollback()


# --- what each document says -------------------------------------------------------------
def test_the_announcement_states_period_quotas_prizes_schedule_and_where_to_apply_m17(office):
    c = cycle(office, 2027)
    body = flat(registry.build("announcement", 2027))
    assert f"关于开展{c.year}年度伊宁市政府质量奖评定工作的公告" in body
    assert f"{zh_date(c.opens_on)}至{zh_date(c.deadline)}" in body
    assert f"名额不超过{c.award_quota}个" in body
    assert rmb_upper(c.award_amount) in body and rmb_upper(c.nomination_amount) in body
    assert "纸质材料一式两份报送市质评办" in body
    assert f"公示期不少于{c.notice_days}个" in body
    assert c.regulation_version in body


def test_the_notice_lists_the_proposed_winners_its_period_and_the_real_name_rule_m19_6(office):
    c = cycle(office, 2024)
    notice = office.session.scalar(select(PublicNotice).where(PublicNotice.cycle_id == c.id))
    body = flat(registry.build("notice", 2024))
    winners = office.session.scalars(
        select(Application).where(
            Application.cycle_id == c.id,
            Application.status.in_(
                [ApplicationStatus.PROPOSED.value, ApplicationStatus.AWARDED.value]
            ),
        )
    ).all()
    assert winners
    for app_ in winners:
        assert applicant_line(app_) in body
    days = (notice.ends_on - notice.starts_on).days + 1
    assert f"公示期为{zh_date(notice.starts_on)}至{zh_date(notice.ends_on)}" in body
    assert f"{days}个自然日" in body or "个工作日" in body
    assert "真实姓名" in body and "匿名异议" in body
    for line in notice.how_to_object.splitlines():
        assert line.strip() in body


def test_a_working_day_notice_counts_working_days_and_names_the_holidays_skipped_m19_6(office):
    from models import NoticeHoliday

    c = cycle(office, 2024)
    notice = office.session.scalar(select(PublicNotice).where(PublicNotice.cycle_id == c.id))
    start = date(2024, 9, 30)  # Monday; 1-7 October is the National Day holiday
    holidays = [date(2024, 10, d) for d in range(1, 8)]
    for d in holidays:
        if office.session.scalar(select(NoticeHoliday).where(NoticeHoliday.day == d)) is None:
            office.session.add(NoticeHoliday(day=d, name="国庆节"))
    office.session.execute(
        text(
            "UPDATE public_notice SET starts_on = :s, ends_on = :e, working_days = :w "
            "WHERE id = :id"
        ),
        {"s": start, "e": date(2024, 10, 14), "w": True, "id": notice.id},
    )
    office.session.expire_all()
    body = flat(registry.build("notice", 2024))
    # 30 Sep, 8-11 Oct, 14 Oct: 6 working days (weekends and the holiday not counted)
    assert "公示期为2024年9月30日至2024年10月14日（6个工作日" in body
    assert "2024年10月1日（国庆节）" in body


def test_the_request_goes_to_the_city_with_the_proposed_list_attached_m19_7(office):
    c = cycle(office, 2024)
    body = text_of(registry.build("request", 2024))
    assert "伊宁市人民政府：" in body
    assert "妥否，请批示。" in body
    assert "签发人：" in body
    assert f"附件：{c.year}年度伊宁市政府质量奖拟表彰对象名单" in body
    # the attachment itself: its heading, then the list with the committee's vote
    attachment = body.split("妥否，请批示。")[1]
    assert "\n附件\n" in attachment
    awards = office.session.scalars(select(Award).where(Award.cycle_id == c.id)).all()
    total = sum((a.amount for a in awards), Decimal("0"))
    for award in awards:
        assert applicant_line(award.application) in attachment
    assert "赞成" in attachment
    assert rmb_upper(total) in flat(registry.build("request", 2024))


def test_the_decision_names_the_approval_the_winners_certificates_and_prize_money_m19_8(office):
    c = cycle(office, 2024)
    approval = office.session.scalar(
        select(GovernmentApproval).where(GovernmentApproval.cycle_id == c.id)
    )
    body = flat(registry.build("decision", 2024))
    assert approval.document_no in body
    assert "伊宁市人民政府关于表彰2024年度伊宁市政府质量奖获奖组织和个人的决定" in body
    awards = office.session.scalars(select(Award).where(Award.cycle_id == c.id)).all()
    assert awards
    for award in awards:
        assert applicant_line(award.application) in body
        assert award.certificate_no in body
        assert rmb_upper(award.amount) in body
    assert "应注明获奖年度" in body  # M-21
    assert arabic_date(approval.approved_on) in body


def test_the_revocation_states_ground_facts_steps_and_what_is_recovered_in_capitals_m26(office):
    case = approved_case(office)
    body = flat(registry.build("revocation", case.id))
    award = case.award
    assert applicant_line(award.application) in body
    assert award.certificate_no in body
    assert case.evidence.strip() in body
    assert "发生重大质量、环境、安全生产事故" in body
    assert case.approval_document_no in body
    money = sum(
        (
            r.amount
            for r in office.session.scalars(
                select(Recovery).where(Recovery.revocation_case_id == case.id)
            )
        ),
        Decimal("0"),
    )
    assert money > 0 and f"追回奖金{rmb_upper(money)}" in body
    assert "五年内" in body  # M-28


# --- the page ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", OFFICIAL_KINDS)
def test_every_document_is_on_the_gbt_9704_page_a4_margins_fonts_and_22_lines(office, kind):
    doc = Document(io.BytesIO(registry.build(kind, target_of(office, kind))))
    section = doc.sections[0]

    def mm(length):  # stored in twips: 0.02 mm of rounding
        return round(length / 36000, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
    assert mm(section.page_width - section.left_margin - section.right_margin) == 156
    assert mm(section.page_height - section.top_margin - section.bottom_margin) == 225
    grid = section._sectPr.find(f"{W}docGrid")
    assert grid.get(f"{W}linePitch") == "579"  # 28.95 pt: 22 lines in 225 mm
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)  # 3号
    fonts = normal.element.rPr.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    title_runs = [
        r for p in doc.paragraphs for r in p.runs if r.font.size == Pt(22) and r.text.strip()
    ]
    assert title_runs and title_runs[0].font.name == "方正小标宋简体"  # 2号小标宋
    masthead = doc.paragraphs[0].runs[0]
    assert masthead.font.color.rgb is not None and str(masthead.font.color.rgb) == "FF0000"
    numbers = [p.text for p in doc.paragraphs if re.search(r"〔\d{4}〕.*号", p.text)]
    assert numbers, "no 发文字号"
    footer = section.footer.paragraphs[0]
    assert "—" in footer.text and "PAGE" in footer._p.xml  # — 1 —


# --- refused before the stage --------------------------------------------------------------
@pytest.mark.parametrize(
    "kind, year, stage",
    [
        ("notice", 2026, "评议表决"),
        ("request", 2025, "报送审批"),
        ("decision", 2025, "报送审批"),
    ],
)
def test_a_document_before_its_stage_is_refused_naming_the_stage_m17(office, kind, year, stage):
    with pytest.raises(DocumentStageNotReached) as refused:
        registry.build(kind, year)
    assert f"尚未进入「{stage}」阶段" in refused.value.message
    assert refused.value.rule.startswith("M-19")


def test_a_decision_before_the_citys_approval_is_refused_naming_m19_7(office):
    c = cycle(office, 2024)
    office.session.execute(text("DELETE FROM government_approval WHERE cycle_id = :c"), {"c": c.id})
    with pytest.raises(DocumentStageNotReached) as refused:
        registry.build("decision", 2024)
    assert refused.value.rule == "M-19.7" and "报送审批" in refused.value.message


def test_a_revocation_decision_before_the_city_approves_the_case_is_refused_m26(office):
    case = approved_case(office)
    office.session.execute(
        text("UPDATE revocation_case SET status = 'reviewed' WHERE id = :id"), {"id": case.id}
    )
    office.session.expire_all()
    with pytest.raises(DocumentStageNotReached) as refused:
        registry.build("revocation", case.id)
    assert refused.value.rule == "M-26" and "委员会已审议" in refused.value.message


def test_an_announcement_without_an_application_period_is_refused_m17(office):
    office.session.execute(
        text("UPDATE award_cycle SET opens_on = NULL, deadline = NULL WHERE year = 2027")
    )
    with pytest.raises(DocumentStageNotReached) as refused:
        registry.build("announcement", 2027)
    assert refused.value.rule == "M-17" and "申报截止日期" in refused.value.message


def test_an_unknown_kind_or_record_is_not_found(office):
    from app.domain.errors import RecordNotFound

    with pytest.raises(registry.DocumentKindUnknown):
        registry.build("memo", 2024)
    with pytest.raises(RecordNotFound):
        registry.build("decision", 1999)
    with pytest.raises(RecordNotFound):
        registry.build("revocation", "abc")


# --- text stays text -----------------------------------------------------------------------
def test_formula_like_and_over_long_names_are_written_whole_as_plain_text(office):
    c = cycle(office, 2024)
    award = office.session.scalar(
        select(Award).where(Award.cycle_id == c.id, Award.prize == "award")
    )
    formula = '=HYPERLINK("http://evil.example/","点此领奖")'
    long_tail = "质量管理" * 40
    name = (formula + long_tail)[:199]  # the column holds 200: one more for the BEL below
    office.session.execute(
        text("UPDATE organization SET name = :n WHERE id = :id"),
        {"n": name + "\x07", "id": award.application.organization_id},
    )
    office.session.expire_all()
    assert office.session.get(Organization, award.application.organization_id).name
    for kind in ("notice", "request", "decision"):
        content = registry.build(kind, 2024)
        body = flat(content)
        assert name in body, kind  # whole, not cut short, the control character dropped
        doc = Document(io.BytesIO(content))
        xml = doc.element.xml
        assert "HYPERLINK" not in "".join(doc.element.xpath("//w:instrText/text()"))
        assert "<w:fldSimple" not in xml and "<w:hyperlink" not in xml
        assert not [r for r in doc.part.rels.values() if "hyperlink" in r.reltype]


# --- issuing -------------------------------------------------------------------------------
def test_a_draft_is_numbered_issued_stored_logged_and_never_issued_twice(office):
    draft = issuing.draft("notice", 2024, dated=date(2024, 10, 27), username="office")
    assert draft.state == "draft" and draft.document_no == "伊市质评〔2024〕1号"
    assert "伊市质评〔2024〕1号" in text_of(draft.content)
    assert "2024年10月27日" in text_of(draft.content)
    doc = issuing.issue(draft.id, username="office")
    assert doc.state == "issued" and doc.issued_by == "office"
    import hashlib

    assert hashlib.sha256(doc.content).hexdigest() == doc.sha256
    actions = office.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.object_type == "IssuedDocument", AuditEntry.object_id == doc.id
        )
    ).all()
    assert {"document_draft", "document_issue"} <= set(actions)
    with pytest.raises(issuing.AlreadyIssued):
        issuing.issue(doc.id, username="office")
    with pytest.raises(issuing.AlreadyIssued):
        issuing.draft("notice", 2024, username="office")
    with pytest.raises(issuing.AlreadyIssued):
        issuing.regenerate(doc.id, number="伊市质评〔2024〕9号", username="office")
    # the next document of the Office that year takes the next number
    assert issuing.draft("request", 2024, username="office").document_no == "伊市质评〔2024〕2号"


def test_what_is_sent_after_issuing_is_the_issued_file_even_when_records_change(office):
    draft = issuing.draft("decision", 2024, username="office")
    assert draft.document_no is None  # the city's number is typed in, not invented
    with pytest.raises(issuing.DraftRefused, match="伊宁市人民政府的发文字号"):
        issuing.issue(draft.id, username="office")
    draft = issuing.regenerate(draft.id, number="伊市政发〔2024〕70号", username="office")
    doc = issuing.issue(draft.id, username="office")
    assert "伊市政发〔2024〕70号" in text_of(doc.content)
    office.session.execute(text("UPDATE organization SET name = name || '（已更名）'"))
    office.session.expire_all()
    _name, content = issuing.current_file("decision", 2024)
    assert content == bytes(doc.content)
    assert "（已更名）" not in text_of(content)


def test_the_database_refuses_to_change_an_issued_document_or_issue_a_second(office):
    doc = issuing.issue(issuing.draft("notice", 2024, username="office").id, username="office")
    with pytest.raises((IntegrityError, DBAPIError)):
        with office.engine.begin() as conn:
            conn.execute(
                text("UPDATE issued_document SET content = :c WHERE id = :id"),
                {"c": b"changed", "id": doc.id},
            )
    with pytest.raises(IntegrityError):
        with office.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO issued_document (kind, target, target_id, title, state, "
                    "filename, content, size, sha256, edited, issued_by, issued_at, version, "
                    "created_at, updated_at) VALUES ('notice', 'year', 2024, 't', 'issued', "
                    "'f.docx', :c, 1, 'x', false, 'office', :t, 1, :t, :t)"
                ),
                {"c": b"x", "t": doc.issued_at},
            )
    office.session.expire_all()
    assert office.session.get(IssuedDocument, doc.id).sha256 == doc.sha256


def test_an_edited_docx_replaces_the_draft_and_a_renamed_file_is_refused(office):
    draft = issuing.draft("announcement", 2027, username="office")
    edited = Document(io.BytesIO(draft.content))
    edited.add_paragraph("市质评办修改：请各单位提前准备。")
    buffer = io.BytesIO()
    edited.save(buffer)
    doc = issuing.replace_with_edited(
        draft.id, io.BytesIO(buffer.getvalue()), "修改稿.docx", username="office"
    )
    assert doc.edited and "市质评办修改" in text_of(doc.content)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    with pytest.raises(issuing.DraftRefused, match="内容不是Word 文档"):
        issuing.replace_with_edited(draft.id, io.BytesIO(png), "假的.docx", username="office")
    with pytest.raises(issuing.DraftRefused, match="只接收 .docx"):
        issuing.replace_with_edited(draft.id, io.BytesIO(b"x"), "a.pdf", username="office")
    office.session.expire_all()
    assert "市质评办修改" in text_of(office.session.get(IssuedDocument, draft.id).content)
    issued = issuing.issue(draft.id, username="office")
    assert "市质评办修改" in text_of(issued.content)
    with pytest.raises(issuing.AlreadyIssued):
        issuing.replace_with_edited(
            draft.id, io.BytesIO(buffer.getvalue()), "再改.docx", username="office"
        )


def test_a_number_already_used_is_refused_and_nothing_is_stored(office):
    issuing.draft("notice", 2024, number="伊市质评〔2024〕5号", username="office")
    before = office.session.scalar(select(IssuedDocument.id).order_by(IssuedDocument.id.desc()))
    with pytest.raises(issuing.DraftRefused, match="已由"):
        issuing.draft("request", 2024, number="伊市质评〔2024〕5号", username="office")
    assert (
        office.session.scalar(select(IssuedDocument.id).order_by(IssuedDocument.id.desc()))
        == before
    )


def test_issuing_checks_the_stage_again(office):
    draft = issuing.draft("decision", 2024, username="office")
    office.session.execute(text("DELETE FROM government_approval"))
    with pytest.raises(DocumentStageNotReached):
        issuing.issue(draft.id, username="office")
    office.session.expire_all()
    assert office.session.get(IssuedDocument, draft.id).state == "draft"


def test_the_notice_draft_is_dated_from_its_start_when_no_date_is_given(office):
    c = cycle(office, 2024)
    notice = office.session.scalar(select(PublicNotice).where(PublicNotice.cycle_id == c.id))
    body = text_of(registry.build("notice", 2024))
    assert arabic_date(notice.starts_on) in body
    assert arabic_date(notice.starts_on - timedelta(days=1)) not in body.split("公示期为")[0]
