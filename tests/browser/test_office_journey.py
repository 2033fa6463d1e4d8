"""The Office's journey in a real browser: close a review group (M-19.2), run the comprehensive
ranking (M-19.5) and download the summary workbook for the city government. Cycles are found by
their stage on the cycle list, as a clerk finds them, never by id."""

import re

import openpyxl
from sqlalchemy import select

from tests.browser.conftest import follow

SUMMARY_SHEETS = [
    "汇总",
    "排名",
    "评分明细",
    "资格审查",
    "获奖及奖金",
    "年度报告",
    "类别得分",
    "说明",
]


ROWS_JS = """() => {
  const heads = [...document.querySelectorAll("table thead th")].map(th => th.innerText.trim());
  return [...document.querySelectorAll("table tbody tr")].map(tr => ({
    cells: Object.fromEntries(
      [...tr.querySelectorAll("td")].map((td, i) => [heads[i], td.innerText.trim()])),
    show: (tr.querySelector("a[href*='/show/']") || {}).pathname,
  }));
}"""


def list_rows(page):
    """A FAB list page's rows as {column label: text}, with each row's show link."""
    return page.evaluate(ROWS_JS)


def cycle_in_stage(journey, stage_label):
    """The cycle list's row whose 阶段 column reads `stage_label`."""
    rows = list_rows(journey.go("/awardcycleview/list/"))
    found = [r for r in rows if r["cells"].get("阶段") == stage_label]
    assert len(found) == 1, f"评定年度列表中阶段为「{stage_label}」的有 {len(found)} 届：{rows}"
    return found[0]


def flashes(page) -> str:
    return " ".join(page.locator(".alert").all_inner_texts())


def open_group(journey, cycle):
    """From the review group list, the cycle's material review group, then its progress page."""
    page = journey.go("/reviewgroupview/list/")
    name = cycle["cells"]["名称"]
    groups = [
        r
        for r in list_rows(page)
        if r["cells"].get("评定年度（届）") == name and r["cells"].get("阶段") == "材料评审"
    ]
    assert groups, f"{name}没有材料评审组"
    follow(page, f"a[href='{groups[0]['show']}']")
    follow(page, "text=评审组构成、进度与得分")
    return page


def drafts_of_group(app, group_id):
    """Who still holds a draft in the group, and which sheets: the state the demo left."""
    from app.extensions import db
    from models import Reviewer, Scoresheet, User

    with app.app_context():
        rows = db.session.execute(
            select(User.username, Scoresheet.id)
            .join(Reviewer, Reviewer.user_id == User.id)
            .join(Scoresheet, Scoresheet.reviewer_id == Reviewer.id)
            .where(Scoresheet.group_id == group_id, Scoresheet.status == "draft")
            .order_by(User.username, Scoresheet.id)
        ).all()
    drafts: dict[str, list[int]] = {}
    for username, sheet_id in rows:
        drafts.setdefault(username, []).append(sheet_id)
    return drafts


def reviewer_name(app, username) -> str:
    from app.extensions import db
    from models import Reviewer, User

    with app.app_context():
        return db.session.scalar(select(Reviewer.name).join(User).where(User.username == username))


def submit_sheet(journey, sheet_id):
    """Score every item still unscored, save, and submit (accepting the confirmation)."""
    page = journey.go(f"/scoresheetview/entry/{sheet_id}")
    for select_ in page.locator("select.score-percent").all():
        if select_.input_value() == "":
            select_.select_option("50")
    assert page.inner_text("#sheet-total") != "0.00"
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#btn-submit")
    assert page.inner_text("#sheet-status") == "已提交", flashes(page)
    return page


def test_the_office_closes_the_material_review_group_once_every_member_has_submitted(app, journey):
    """M-19.2: the close is refused naming who has not submitted; once they have, it closes and
    the stage scores appear."""
    journey.login("office")
    cycle = cycle_in_stage(journey, "材料评审")
    journey.shot("cycle-list")
    page = open_group(journey, cycle)
    group_id = int(re.search(r"/composition/(\d+)", page.url).group(1))
    assert cycle["cells"]["名称"] in page.inner_text("h2")
    journey.shot("group")
    drafts = drafts_of_group(app, group_id)
    if drafts:
        follow(page, "text=结束本组评审并计算阶段得分")
        refusal = flashes(page)
        assert "尚有成员未提交评分表" in refusal and "M-19.2" in refusal, refusal
        for username in drafts:
            assert reviewer_name(app, username) in refusal, refusal
        journey.shot("refused")
        for username, sheets in drafts.items():
            journey.go("/logout/")
            journey.login(username)
            assert "我的评审任务" in journey.page.inner_text("body")
            for sheet_id in sheets:
                submit_sheet(journey, sheet_id)
            journey.shot(f"submitted-{username}")
        journey.go("/logout/")
        journey.login("office")
        page = journey.go(f"/reviewgroupview/composition/{group_id}")
    assert "草稿" not in page.inner_text("#review-group table.table:not(#group-members)")
    follow(page, "text=结束本组评审并计算阶段得分")
    assert "评审组已结束评审" in flashes(page), flashes(page)
    page = journey.go(f"/reviewgroupview/composition/{group_id}")
    assert "已结束评审" in page.inner_text("#review-group")
    assert page.locator(".stage-score").count() >= 1
    journey.shot("closed")


def test_the_office_runs_the_comprehensive_ranking_and_downloads_the_summary_workbook(
    journey, tmp_path
):
    """M-19.5: ranked by on-site score with the tie-breaks, proposed under the quotas (M-4);
    the workbook for the city government has every sheet."""
    journey.login("office")
    cycle = cycle_in_stage(journey, "综合评价")
    year, cycle_show = cycle["cells"]["年度"], cycle["show"]
    page = journey.go(cycle_show)
    journey.shot("cycle")
    follow(page, "#cycle-workflow-links >> text=综合评价排名")
    assert "综合评价排名" in page.inner_text("h2")
    assert page.locator("[id^=ranking-] table tr").count() > 2
    journey.shot("ranking")
    page.fill("#note", "浏览器端到端测试：按现场评审得分排名")
    follow(page, "text=保存综合评价结果（提出拟表彰名单）")
    saved = flashes(page)
    assert "综合评价排名已保存" in saved, saved
    assert "/ranking/" in page.url and "拟表彰" in page.inner_text("body")
    journey.shot("ranked")

    page = journey.go(cycle_show)
    with page.expect_download() as info:
        page.click("text=导出汇总工作簿（Excel）")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == SUMMARY_SHEETS
    ranking = workbook["排名"]
    assert any(str(year) in str(c) for row in ranking.iter_rows(values_only=True) for c in row)
    journey.shot("downloaded")
