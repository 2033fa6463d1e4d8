"""Home pages in a real browser (issue 16): a reviewer goes from the home page to score entry
in one click; the Office sees overdue work flagged (M-19.2)."""

from tests.browser.conftest import follow


def test_a_reviewer_goes_from_home_to_score_entry_in_one_click_m19_2(journey):
    journey.login("reviewer1")
    page = journey.page
    assert "我的评审任务" in page.inner_text("body")
    journey.shot("home")
    follow(page, "#reviewer-todo >> text=录入评分 >> nth=0")
    assert "/scoresheetview/entry/" in page.url
    assert page.locator("select.score-percent").count() == 23
    assert "提交期限" in page.inner_text("#sheet-deadline")


def test_the_office_home_flags_overdue_sheets_and_links_to_the_group_m19_2(journey):
    journey.login("office")
    page = journey.page
    assert "已逾期" in page.inner_text("#overdue-sheets")
    journey.shot("office-home")
    follow(page, "#overdue-sheets a[href^='/reviewgroupview/composition/'] >> nth=0")
    assert "已逾期" in page.inner_text("#group-deadline")
