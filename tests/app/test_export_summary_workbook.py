"""The summary workbook of a cycle for the city government (issue 7), read back with openpyxl:
its sheets, values against the database, number formats, print settings, formula safety,
reviewer confidentiality and the audit entry of every export (M-25)."""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.chart import BarChart, RadarChart
from sqlalchemy import select

from app.domain.enums import ApplicationStatus, Prize, ReviewStage, SheetStatus, Stage
from app.domain.scoring import round_display
from app.services import exports
from app.services.xlsx import EXCEL_CELL_LIMIT, TRUNCATION_MARKER
from models import (
    Application,
    AuditEntry,
    Award,
    AwardCycle,
    CommitteeVote,
    CriteriaCategory,
    CriteriaItem,
    EligibilityReview,
    FollowUpReport,
    PrizePayment,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
    SatisfactionEvaluation,
    ScoreLine,
    Scoresheet,
    StageScore,
)
from tests import factories as f

YEAR = 2030
NOW = datetime(2031, 3, 10, 9, 30)
SHEETS = ["汇总", "排名", "评分明细", "资格审查", "获奖及奖金", "年度报告", "类别得分", "说明"]
HOSTILE = [
    '=HYPERLINK("http://evil.example/x","点我领奖")',
    "+1",
    "-2",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=2+2",
    "＝CMD|' /C calc'!A0",
]
PUNCTUATION = (
    "伊宁市“天山”乳业（集团）有限公司——第一分公司【一线班组】、《质量》；：！？……·「」『』"
)


@dataclass
class Built:
    cycle: AwardCycle
    apps: dict[str, Application] = field(default_factory=dict)
    reviewers: list[Reviewer] = field(default_factory=list)


def _percent(base: int, n: int) -> int:
    return max(0, min(100, 5 * round((base + (n % 3) * 5 - 5) / 5)))


def _score(db, app, group, reviewer, stage, base, items) -> Scoresheet:
    sheet = Scoresheet(
        application_id=app.id,
        group_id=group.id,
        reviewer_id=reviewer.id,
        stage=stage.value,
        status=SheetStatus.DRAFT.value,
    )
    db.session.add(sheet)
    db.session.flush()
    total = Decimal("0")
    for n, item in enumerate(items):
        pct = _percent(base, n)
        points = item.points * pct / 100
        total += points
        sheet.lines.append(ScoreLine(item_id=item.id, percent=pct, points=points))
    sheet.total = total
    f.mark_submitted(db.session, [sheet])
    sheet.submitted_at = datetime(YEAR, 9, 1, 17)
    return sheet


def _stage_score(db, app, stage, sheets, items, categories):
    lines = db.session.scalars(
        select(ScoreLine).where(ScoreLine.scoresheet_id.in_([s.id for s in sheets]))
    ).all()
    by_cat = {c.id: c.code for c in categories}
    cats: dict[str, Decimal] = {}
    item_cat = {i.id: by_cat[i.category_id] for i in items}
    for line in lines:
        code = item_cat[line.item_id]
        cats[code] = cats.get(code, Decimal("0")) + line.points / len(sheets)
    db.session.add(
        StageScore(
            application_id=app.id,
            stage=stage.value,
            method="mean",
            total=sum((s.total for s in sheets), Decimal("0")) / len(sheets),
            categories={k: str(v) for k, v in cats.items()},
            sheets=len(sheets),
        )
    )


def build(app, db, *, names=None, long_reason=None) -> Built:
    """A cycle announced with two award winners, one nomination winner and a runner-up; every
    application scored by three reviewers at both stages; votes, payments, one report."""
    names = names or {}
    cycle = f.cycle(
        db.session,
        YEAR,
        stage=Stage.ANNOUNCED.value,
        agency_name="伊犁恒正质量技术服务有限公司",
        agency_fee=Decimal("80000.00"),
        budget=Decimal("600000.00"),
    )
    built = Built(cycle)
    categories = db.session.scalars(
        select(CriteriaCategory)
        .where(CriteriaCategory.version_id == cycle.criteria_version_id)
        .order_by(CriteriaCategory.position)
    ).all()
    items = db.session.scalars(
        select(CriteriaItem)
        .where(CriteriaItem.version_id == cycle.criteria_version_id)
        .order_by(CriteriaItem.id)
    ).all()
    for n, (code, person) in enumerate(
        [("R101", "张评审"), ("R102", "李评审"), ("R103", "王评审")], start=1
    ):
        user = f.user(app, f"expert{n}", "Reviewer")
        reviewer = Reviewer(code=code, name=person, user_id=user.id, industries="C")
        db.session.add(reviewer)
        built.reviewers.append(reviewer)
    db.session.flush()
    groups = {}
    for stage in ReviewStage:
        group = ReviewGroup(
            cycle_id=cycle.id, stage=stage.value, name=f"{stage.label}组", closed_at=NOW
        )
        db.session.add(group)
        db.session.flush()
        for n, reviewer in enumerate(built.reviewers):
            db.session.add(
                ReviewGroupMember(group_id=group.id, reviewer_id=reviewer.id, is_leader=n == 0)
            )
        groups[stage] = group
    plan = [
        ("first", Prize.AWARD, 84, ApplicationStatus.AWARDED),
        ("second", Prize.AWARD, 78, ApplicationStatus.AWARDED),
        ("third", Prize.AWARD, 70, ApplicationStatus.NOT_AWARDED),
        ("person", Prize.NOMINATION, 80, ApplicationStatus.AWARDED),
    ]
    for n, (key, prize, base, status) in enumerate(plan, start=1):
        if key == "person":
            applicant = f.individual(db.session, name=names.get(key, "阿依古丽·买买提"))
            owner = {"individual_id": applicant.id, "applicant_kind": "individual"}
        else:
            applicant = f.organization(db.session, name=names.get(key, f"伊宁市{key}有限公司"))
            owner = {"organization_id": applicant.id, "applicant_kind": "organization"}
        application = Application(
            cycle_id=cycle.id,
            number=f"{YEAR}-{n:03d}",
            prize=prize.value,
            status=status.value,
            submitted_on=date(YEAR, 5, 20),
            **owner,
        )
        db.session.add(application)
        db.session.flush()
        built.apps[key] = application
        db.session.add(
            EligibilityReview(
                application_id=application.id,
                outcome=ApplicationStatus.ELIGIBLE.value,
                checklist=[{"rule": "M-11.1a", "title": "住所", "status": "pass", "evidence": ""}],
                reasons=long_reason if key == "third" else None,
                reviewed_at=datetime(YEAR, 6, 15, 16),
                reviewed_by="office",
            )
        )
        for stage in ReviewStage:
            sheets = [
                _score(db, application, groups[stage], r, stage, base + (stage is ReviewStage.ONSITE) * 2, items)
                for r in built.reviewers
            ]  # fmt: skip
            db.session.flush()
            _stage_score(db, application, stage, sheets, items, categories)
        if key != "person":
            db.session.add(
                SatisfactionEvaluation(
                    application_id=application.id,
                    method="third_party",
                    sample_size=200,
                    valid_responses=190,
                    satisfaction_index=Decimal("88.50"),
                )
            )
        if status is ApplicationStatus.AWARDED:
            db.session.add(
                CommitteeVote(
                    application_id=application.id,
                    held_on=date(YEAR, 10, 20),
                    members=15,
                    present=13,
                    votes_for=11,
                    votes_against=1,
                    abstentions=1,
                    passed=True,
                )
            )
            award = Award(
                application_id=application.id,
                cycle_id=cycle.id,
                prize=prize.value,
                certificate_no=f"伊政质〔{YEAR}〕{n:03d}号",
                awarded_on=date(YEAR, 11, 26),
                amount=cycle.award_amount if prize is Prize.AWARD else cycle.nomination_amount,
            )
            db.session.add(award)
            db.session.flush()
            db.session.add(
                PrizePayment(
                    award_id=award.id,
                    amount=award.amount,
                    paid_on=date(YEAR, 12, 21),
                    voucher_no=f"伊财质〔{YEAR}〕{n:03d}号",
                )
            )
            if key == "first":
                db.session.add(
                    FollowUpReport(
                        award_id=award.id,
                        report_year=YEAR,
                        due_on=date(YEAR + 1, 2, 28),
                        status="received",
                        received_on=date(YEAR + 1, 2, 10),
                        revenue=Decimal("386000000.00"),
                        profit=Decimal("27020000.00"),
                    )
                )
    db.session.commit()
    return built


def users(app, db):
    for name, role in [
        ("office", "Office"),
        ("committee1", "Committee"),
        ("admin", "Admin"),
        ("recommender1", "Recommender"),
    ]:
        f.user(app, name, role)
    db.session.commit()


def export(cycle_id, username, **options):
    """The service writing into memory as the named user; the workbook read back."""
    from flask import current_app, g

    buffer = io.BytesIO()
    with current_app.test_request_context():
        g.user = app_user(username)
        counts = exports.summary_workbook(cycle_id, g.user, buffer, now=NOW, **options)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer), counts, buffer.getvalue()


def app_user(username):
    from flask import current_app

    return current_app.appbuilder.sm.find_user(username=username)


def header(sheet) -> list:
    return [c.value for c in sheet[2]]


def column(sheet, name: str) -> int:
    return header(sheet).index(name) + 1


def rows(sheet) -> list[list]:
    return [[c for c in r] for r in sheet.iter_rows(min_row=3)]


def row_of(sheet, key_col: str, key) -> list:
    idx = column(sheet, key_col) - 1
    for r in rows(sheet):
        if r[idx].value == key:
            return r
    raise AssertionError(f"{sheet.title} 中没有 {key_col}={key}")


def cell(sheet, key_col, key, col):
    return row_of(sheet, key_col, key)[column(sheet, col) - 1]


# --- structure -------------------------------------------------------------------------------


def test_the_workbook_has_its_six_sheets_and_the_category_radar_sheet_in_order(app, db):
    built = build(app, db)
    users(app, db)
    book, counts, _ = export(built.cycle.id, "office")
    assert book.sheetnames == SHEETS
    assert list(counts) == SHEETS
    ranking = book["排名"]
    assert header(ranking)[:8] == [
        "奖项",
        "名次",
        "申报编号",
        "申报主体",
        "行业",
        "材料评审得分",
        "用户满意度指数",
        "现场评审得分",
    ]
    assert "4.7 结果" in header(ranking)
    assert header(ranking)[-6:] == ["表决日期", "赞成", "反对", "弃权", "表决通过", "当前状态"]
    detail = book["评分明细"]
    item_headers = [h for h in header(detail) if re.match(r"^4\.\d\.\d ", h or "")]
    assert len(item_headers) == 23
    assert header(detail)[-2:] == ["合计", "计入阶段得分"]  # M-25: whether each sheet counts
    assert counts["评分明细"] == 4 * 2 * 3  # applications x stages x reviewers


def test_every_sheet_is_printable_on_a4_landscape_one_page_wide_with_title_and_footer(app, db):
    built = build(app, db)
    users(app, db)
    book, _, _ = export(built.cycle.id, "office")
    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # One page wide (fitToWidth's default, 1, is left out of the file), any number tall.
        assert sheet.page_setup.fitToWidth in (None, 1) and int(sheet.page_setup.fitToHeight) == 0
        assert sheet.print_title_rows == "$1:$2"  # title and header on every page
        assert sheet.freeze_panes == "A3"
        assert "&A" in sheet.oddFooter.left.text  # the sheet's name
        assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text
        title = sheet["A1"].value
        assert built.cycle.name in title and "导出时间：2031-03-10 09:30" in title
        assert all(c.font.b for c in sheet[2])  # bold header row
        for letter, dim in sheet.column_dimensions.items():
            assert dim.width is None or 0 < dim.width <= 62, (sheet.title, letter)


def test_native_charts_show_the_ranking_as_bars_and_each_finalist_as_a_radar(app, db):
    built = build(app, db)
    users(app, db)
    book, _, _ = export(built.cycle.id, "office")
    bars = book["排名"]._charts
    assert len(bars) == 1 and isinstance(bars[0], BarChart)
    radars = book["类别得分"]._charts
    assert len(radars) == 4 and all(isinstance(c, RadarChart) for c in radars)
    assert all(len(c.series) == 2 for c in radars)  # the finalist and the category maximum
    categories = book["类别得分"]
    assert header(categories)[:2] == ["类别", "满分"]
    assert cell(categories, "类别", "4.7 结果", "满分").value == 400


# --- values against the database ---------------------------------------------------------------


def test_the_ranking_follows_the_onsite_score_with_values_from_the_database_M_19_5(app, db):
    built = build(app, db)
    users(app, db)
    book, _, _ = export(built.cycle.id, "office")
    sheet = book["排名"]
    award_rows = [r for r in rows(sheet) if r[0].value == Prize.AWARD.label]
    assert [r[column(sheet, "申报编号") - 1].value for r in award_rows] == [
        built.apps[k].number for k in ("first", "second", "third")
    ]
    assert [r[column(sheet, "名次") - 1].value for r in award_rows] == [1, 2, 3]
    first = built.apps["first"]
    stored = db.session.scalar(
        select(StageScore).where(
            StageScore.application_id == first.id, StageScore.stage == ReviewStage.ONSITE.value
        )
    )
    onsite = cell(sheet, "申报编号", first.number, "现场评审得分")
    assert onsite.value == pytest.approx(float(round_display(stored.total)))
    assert onsite.data_type == "n" and onsite.number_format == "0.0"
    results = cell(sheet, "申报编号", first.number, "4.7 结果")
    assert results.value == pytest.approx(float(round_display(Decimal(stored.categories["4.7"]))))
    assert cell(sheet, "申报编号", first.number, "用户满意度指数").value == 88.5
    assert cell(sheet, "申报编号", first.number, "拟表彰").value == "是"
    assert cell(sheet, "申报编号", built.apps["third"].number, "拟表彰").value == "否"
    assert cell(sheet, "申报编号", first.number, "赞成").value == 11
    assert cell(sheet, "申报编号", first.number, "表决通过").value == "是"
    vote_day = cell(sheet, "申报编号", first.number, "表决日期")
    assert vote_day.value == datetime(YEAR, 10, 20) and vote_day.number_format == "yyyy-mm-dd"


def test_item_points_and_totals_match_the_scoresheets_exactly(app, db):
    built = build(app, db)
    users(app, db)
    book, _, _ = export(built.cycle.id, "office")
    sheet = book["评分明细"]
    reviewer = built.reviewers[1]
    stored = db.session.scalar(
        select(Scoresheet).where(
            Scoresheet.application_id == built.apps["second"].id,
            Scoresheet.reviewer_id == reviewer.id,
            Scoresheet.stage == ReviewStage.MATERIAL.value,
        )
    )
    line = db.session.scalar(
        select(ScoreLine)
        .join(CriteriaItem)
        .where(ScoreLine.scoresheet_id == stored.id, CriteriaItem.code == "4.4.3")
    )
    match = [
        r
        for r in rows(sheet)
        if r[1].value == built.apps["second"].number
        and r[0].value == "材料评审"
        and r[3].value.startswith(reviewer.code)
    ]
    assert len(match) == 1
    row = match[0]
    item_col = next(i for i, h in enumerate(header(sheet)) if h.startswith("4.4.3 "))
    assert row[item_col].value == pytest.approx(float(line.points))
    assert row[item_col].number_format == "#,##0.00"  # exact: 15 points x 35% is 5.25
    assert row[-2].value == pytest.approx(float(stored.total))
    assert row[-1].value == "是"  # counts for the stage score (M-25)
    assert sum(c.value for c in row[6:-2]) == pytest.approx(float(stored.total))


def test_money_is_stored_as_numbers_with_thousands_separators_and_totals_add_up_M_5_M_20(app, db):
    built = build(app, db)
    users(app, db)
    book, _, _ = export(built.cycle.id, "office")
    awards = book["获奖及奖金"]
    first = db.session.scalar(select(Award).where(Award.application_id == built.apps["first"].id))
    amount = cell(awards, "证书编号", first.certificate_no, "奖金（元）")
    assert amount.value == 200000 and amount.data_type == "n"
    assert amount.number_format == "#,##0.00"
    paid_on = cell(awards, "证书编号", first.certificate_no, "最近发放日期")
    assert paid_on.value == datetime(YEAR, 12, 21) and paid_on.number_format == "yyyy-mm-dd"
    assert cell(awards, "证书编号", "合计", "已发放（元）").value == 430000
    summary = book["汇总"]
    budget_rows = {r[1].value: r[3] for r in rows(summary) if r[0].value == "经费"}
    assert budget_rows["经费预算"].value == 600000
    assert budget_rows["已发放奖金"].value == 430000
    assert budget_rows["预算结余"].value == 600000 - 80000 - 430000
    assert budget_rows["预算结余"].number_format == "#,##0.00"


def test_the_summary_sheet_shows_quotas_winners_and_vacancies_M_4(app, db):
    built = build(app, db)
    users(app, db)
    book, _, _ = export(built.cycle.id, "office")
    summary = {(r[0].value, r[1].value): r for r in rows(book["汇总"])}
    assert summary[("基本信息", "评定年度")][2].value == YEAR
    assert summary[("时间安排", "申报截止")][4].value == datetime(YEAR, 12, 31)
    award = "政府质量奖"
    assert summary[(award, "名额")][2].value == 2
    winners = summary[(award, "获奖（市政府批准）")]
    assert winners[2].value == 2 and "伊宁市first有限公司" in winners[5].value
    nomination = "政府质量提名奖"
    assert summary[(nomination, "空缺")][2].value == 1


def test_eligibility_and_follow_up_sheets_list_every_application_and_report_M_19_1_M_27(app, db):
    built = build(app, db)
    users(app, db)
    book, _, _ = export(built.cycle.id, "office")
    eligibility = book["资格审查"]
    assert len(rows(eligibility)) == len(built.apps)
    assert cell(eligibility, "申报编号", built.apps["first"].number, "审查结论").value == (
        "资格审查通过"
    )
    reports = book["年度报告"]
    received = [r for r in rows(reports) if r[column(reports, "状态") - 1].value == "已收到"]
    assert len(received) == 1
    assert received[0][column(reports, "收到日期") - 1].value == datetime(YEAR + 1, 2, 10)
    assert received[0][column(reports, "逾期") - 1].value == "否"


# --- bad input and safety ---------------------------------------------------------------------


def test_hostile_applicant_names_are_text_cells_never_formulas(app, db):
    built = build(app, db, names={"first": HOSTILE[0], "second": HOSTILE[1], "person": "-2"})
    for n, name in enumerate(HOSTILE[2:]):
        applicant = f.organization(db.session, name=name)
        db.session.add(
            Application(
                cycle_id=built.cycle.id,
                number=f"{YEAR}-H{n}",
                prize="award",
                applicant_kind="organization",
                organization_id=applicant.id,
                status="submitted",
            )
        )
    db.session.commit()
    users(app, db)
    book, _, raw = export(built.cycle.id, "office")
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode("utf-8"), name
    names = {
        re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), c.value)
        for c in (r[1] for r in rows(book["资格审查"]))
    }
    for name in HOSTILE:
        assert name in names
    for r in rows(book["资格审查"]):
        assert r[1].data_type == "s"
    hyperlink = cell(book["排名"], "申报编号", built.apps["first"].number, "申报主体")
    assert hyperlink.value == HOSTILE[0] and hyperlink.data_type == "s"
    assert hyperlink.quotePrefix  # stays text if a clerk edits the cell in Excel


def test_chinese_punctuation_and_very_long_text_export_correctly(app, db):
    huge = "申报材料中的经营数据与审计报告不一致，" * 2000  # beyond Excel's cell limit
    built = build(app, db, names={"first": PUNCTUATION}, long_reason=huge)
    users(app, db)
    book, _, _ = export(built.cycle.id, "office")
    assert cell(book["排名"], "申报编号", built.apps["first"].number, "申报主体").value == (
        PUNCTUATION
    )
    reason = cell(book["资格审查"], "申报编号", built.apps["third"].number, "理由").value
    assert reason.endswith(TRUNCATION_MARKER)
    assert len(reason.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    assert reason.startswith("申报材料中的经营数据")


def test_an_empty_cycle_exports_a_valid_workbook(app, db):
    cycle = f.cycle(db.session, YEAR)
    db.session.commit()
    users(app, db)
    book, counts, _ = export(cycle.id, "office")
    assert book.sheetnames == SHEETS
    assert counts["排名"] == counts["评分明细"] == counts["获奖及奖金"] == 0
    assert header(book["排名"])[0] == "奖项"
    summary = {(r[0].value, r[1].value): r for r in rows(book["汇总"])}
    assert summary[("申报情况", "申报总数")][2].value == 0
    assert summary[("政府质量奖", "空缺")][2].value == 2
    assert book["排名"]._charts == [] and book["类别得分"]._charts == []


# --- confidentiality (M-25) -------------------------------------------------------------------


def test_reviewers_appear_by_code_for_the_committee_and_by_name_for_the_office_M_25(app, db):
    built = build(app, db)
    users(app, db)
    names = {r.name for r in built.reviewers}
    codes = {r.code for r in built.reviewers}
    for username, shows_names in [("committee1", False), ("office", True), ("admin", True)]:
        book, _, raw = export(built.cycle.id, username)
        shown = {r[3].value for r in rows(book["评分明细"])}
        if shows_names:
            assert shown == {f"{r.code} {r.name}" for r in built.reviewers}
        else:
            assert shown == codes
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
            assert not any(name in text for name in names), username


@pytest.mark.parametrize(
    "username,role", [("expert9", "Reviewer"), ("recommender1", "Recommender")]
)
def test_reviewers_and_recommenders_may_not_export_the_summary_M_25(app, db, username, role):
    built = build(app, db)
    users(app, db)
    f.user(app, username, role)
    db.session.commit()
    with pytest.raises(exports.ExportRefused) as refused:
        export(built.cycle.id, username)
    assert "M-25" in str(refused.value)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export")) is None


def test_every_export_of_the_summary_is_logged_with_who_and_how_many_rows_M_25(app, db):
    built = build(app, db)
    users(app, db)
    _, counts, _ = export(built.cycle.id, "committee1")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.username == "committee1"
    assert entry.object_type == "AwardCycle" and entry.cycle_id == built.cycle.id
    assert entry.details["rows"] == sum(counts.values())
    assert entry.details["reviewer_names"] is False
    assert "汇总工作簿" in entry.summary


def test_an_unknown_cycle_is_refused_with_a_message(app, db):
    users(app, db)
    with pytest.raises(exports.CycleNotFound):
        export(987654, "office")


def test_a_disqualified_finalist_is_listed_without_a_rank_and_with_the_reason_M_19_5(app, db):
    from app.domain.ranking import NOT_RANKED_EXCLUDED
    from models import Disqualification

    built = build(app, db)
    third = built.apps["third"]
    db.session.add(
        Disqualification(
            application_id=third.id,
            ground="falsified",
            evidence="经营数据与审计报告不一致",
            previous_status=third.status,
        )
    )
    third.status = ApplicationStatus.DISQUALIFIED.value
    db.session.commit()
    users(app, db)
    book, _, _ = export(built.cycle.id, "office")
    sheet = book["排名"]
    assert cell(sheet, "申报编号", third.number, "名次").value is None
    assert NOT_RANKED_EXCLUDED in cell(sheet, "申报编号", third.number, "并列及区分说明").value
    assert third.applicant_name not in header(book["类别得分"])


def test_the_workbook_names_people_and_titles_its_sheets_in_plain_words(app, db):
    """Issue 16, defect 13: a city-government reader meets names, not logins, and plain
    titles; the rule codes (M-4, M-17 …) are listed on the notes sheet only."""
    import re

    built = build(app, db)
    users(app, db)
    book, _, _ = export(built.cycle.id, "office")
    code = re.compile(r"M-\d")
    for sheet in book.worksheets:
        if sheet.title == "说明":
            continue
        assert not code.search(str(sheet["A1"].value or "")), sheet["A1"].value
    summary = book["汇总"]
    assert not [r[0].value for r in rows(summary) if code.search(str(r[0].value or ""))]
    eligibility = book["资格审查"]
    who = column(eligibility, "审查人")
    names = {r[who - 1].value for r in rows(eligibility)}
    assert "office" not in names and app_user("office").get_full_name() in names
    notes = [r[3].value for r in rows(book["说明"])]
    assert "M-4" in notes and "M-17" in notes
