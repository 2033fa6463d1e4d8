"""At 1366x768 the admin's navbar fits on one row and the ranking keeps application numbers
whole (issue 16, defect 11)."""


def test_the_admins_navbar_fits_one_row_at_1366_px(journey):
    journey.login("admin")
    page = journey.page
    assert page.viewport_size["width"] == 1366
    tops = page.eval_on_selector_all(
        ".navbar-collapse > ul > li",
        "els => els.map(e => Math.round(e.getBoundingClientRect().top))",
    )
    assert tops and len(set(tops)) == 1, tops


def test_the_ranking_does_not_break_an_application_number(journey):
    journey.login("office")
    page = journey.go("/awardcycleview/list/")
    link = page.locator("tr:has-text('2019年度') a[href^='/awardcycleview/show/']").first
    cycle = link.get_attribute("href")
    page = journey.go("/awardcycleview/ranking/" + cycle.rsplit("/", 1)[-1])
    numbers = page.locator("td.award-nowrap")
    assert numbers.count() > 0
    heights = numbers.evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    line = numbers.first.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 20")
    assert max(heights) < 2 * line + 12, heights
