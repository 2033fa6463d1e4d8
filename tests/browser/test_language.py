"""Look and language in a real browser (issue 10): Simplified Chinese by default, English from
FAB's language menu and back; the dashboard, a list and the score entry page readable at
1366x768 without a horizontal scrollbar. With UPDATE_SCREENSHOTS=1 the README's screenshots
(docs/screenshots/) are taken again; otherwise only test-artifacts/ is written."""

import os
import shutil
from pathlib import Path

from sqlalchemy import select

from tests.browser.conftest import follow
from tests.browser.test_office_journey import cycle_in_stage

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTH = 1366


def publish(journey, label, name, full_page=True):
    """A step's screenshot; with UPDATE_SCREENSHOTS=1 also the README's copy under
    docs/screenshots/ (the whole page, or what a 1366x768 screen shows)."""
    path = journey.shot(label)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if full_page:
            shutil.copyfile(path, SCREENSHOTS / f"{name}.png")
        else:
            journey.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    return path


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} 需要横向滚动：页面宽 {width}px"


def menu_texts(page) -> list[str]:
    return [
        t.strip() for t in page.locator(".navbar-nav > li > a.dropdown-toggle").all_inner_texts()
    ]


def choose_language(page, name):
    """FAB's language menu: the flag in the navbar, then the language by name."""
    page.click(".navbar-right a.dropdown-toggle:has(i.flag)")
    follow(page, f".navbar-right .dropdown-menu a:has-text('{name}')")


def test_every_page_is_chinese_by_default_english_from_the_menu_and_back(journey):
    journey.login("office")
    page = journey.go("/applicationview/list/")
    assert "申报受理" in menu_texts(page) and "申报列表" in page.inner_text(".panel-heading")
    choose_language(page, "English")
    page = journey.go("/applicationview/list/")
    assert {"Intake", "Applicant", "Expert review", "Evaluation and awards"} <= set(
        menu_texts(page)
    )
    assert "Application list" in page.inner_text(".panel-heading")
    journey.shot("english-list")
    page = journey.go("/")
    assert "Dashboard" in page.inner_text("h2")
    assert "Applications by status" in page.inner_text("body")
    journey.shot("english-dashboard")
    choose_language(page, "简体中文")
    page = journey.go("/applicationview/list/")
    assert "申报受理" in menu_texts(page) and "申报列表" in page.inner_text(".panel-heading")
    journey.shot("chinese-again")


def _a_draft_of(app, username):
    from app.extensions import db
    from models import Reviewer, Scoresheet, User

    with app.app_context():
        return db.session.scalar(
            select(Scoresheet.id)
            .join(Reviewer, Reviewer.id == Scoresheet.reviewer_id)
            .join(User, User.id == Reviewer.user_id)
            .where(User.username == username, Scoresheet.status == "draft")
            .order_by(Scoresheet.id)
        )


def test_the_dashboard_a_list_and_score_entry_fit_1366_by_768_without_scrolling_sideways(
    app, journey
):
    assert journey.page.viewport_size == {"width": WIDTH, "height": 768}
    journey.login("office")
    page = journey.go("/")
    assert page.locator("svg.award-chart").count() >= 2
    assert_fits(page)
    journey.shot("landing")
    # The cycle under review, picked on the dashboard's year tabs: groups at work, charts.
    year = cycle_in_stage(journey, "材料评审")["cells"]["年度"]
    page = journey.go("/")
    follow(page, f"#cycle-years >> text={year}年度")
    assert page.locator("#group-progress tr").count() >= 2
    assert_fits(page)
    publish(journey, "dashboard", "dashboard")
    page = journey.go("/applicationview/list/")
    assert page.locator("table tbody tr").count() >= 10
    assert_fits(page)
    journey.shot("applications")

    journey.go("/logout/")
    journey.login("reviewer1")
    page = journey.go(f"/scoresheetview/entry/{_a_draft_of(app, 'reviewer1')}")
    assert page.locator("select.score-percent").count() == 23
    assert_fits(page)
    page.select_option("select[name='percent-4.1.2']", "80")
    publish(journey, "score-entry", "score-entry", full_page=False)
