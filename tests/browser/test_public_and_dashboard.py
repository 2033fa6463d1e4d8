"""Journeys through a real browser: the public pages and the Office's dashboard."""

from tests.browser.conftest import follow


def test_an_anonymous_visitor_opens_the_public_winners_page(journey):
    """M-21: winners by year, 'awarded in YEAR'; nothing needs a login or the internet."""
    page = journey.go("/public/winners")
    assert "历届获奖名单" in page.content()
    assert "2021年度" in page.inner_text("body")
    journey.shot("winners")
    follow(page, "nav >> text=撤销公告")
    assert "/public/revocations" in page.url
    assert "伊犁恒信建设工程有限公司" in page.inner_text("body")
    journey.shot("revocations")


def test_the_office_logs_in_and_lands_on_the_dashboard_with_charts(journey):
    journey.login("office")
    page = journey.page
    assert "工作台" in page.inner_text("body")
    assert page.locator("svg.award-chart").count() >= 2
    journey.shot("dashboard")
    page.click("text=申报受理")
    follow(page, "a[href='/applicationview/list/']")
    assert "申报列表" in page.inner_text("body")
    journey.shot("applications")


def test_a_reviewer_logs_in_and_sees_their_to_do_list(journey):
    journey.login("reviewer1")
    assert "我的评审任务" in journey.page.inner_text("body")
    journey.shot("todo")
