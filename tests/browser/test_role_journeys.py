"""Each role's daily work in a real browser, start to finish, on the demo data (issue 16): the
reviewer scores and submits a sheet (M-19.2), the recommender follows its recommendations and
their applicants (M-9, M-18), the system administrator looks after accounts, the auditor reads
the audit log. Nothing leaves 127.0.0.1 (the `journey` fixture). With UPDATE_SCREENSHOTS=1 each
journey also takes the README's screenshots (docs/screenshots/)."""

from tests.browser.conftest import follow
from tests.browser.test_office_journey import flashes, list_rows


def _sheet(app, sheet_id):
    from app.extensions import db
    from models import Scoresheet

    with app.app_context():
        sheet = db.session.get(Scoresheet, sheet_id)
        return sheet.status, f"{sheet.total:.2f}"


def test_a_reviewer_opens_a_draft_from_the_to_do_list_scores_every_item_and_submits_M_19_2(
    app, journey
):
    journey.login("reviewer1")
    page = journey.page
    assert "/login" not in page.url
    journey.publish("todo", "reviewer-todo")
    draft = page.locator("tr", has_text="草稿").locator("a[href*='/scoresheetview/']").first
    assert draft.count() == 1, "评审员首页没有草稿状态的评分表"
    follow(page, draft)
    if "/entry/" not in page.url:
        follow(page, page.locator("a[href*='/scoresheetview/entry/']").first)
    assert "/scoresheetview/entry/" in page.url
    sheet_url = page.url

    selects = page.locator("select.score-percent")
    assert selects.count() == 23
    for i in range(23):
        select = selects.nth(i)
        options = select.locator("option").count()
        select.select_option(index=options - 3)  # a high band, as a good applicant earns
    assert page.locator("#missing-count").count() == 0 or page.inner_text("#missing-count") == "0"
    total = page.inner_text("#sheet-total")
    assert float(total) > 0
    journey.publish("scored", "reviewer-score-entry")

    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, page.locator("#btn-submit"))
    assert "提交" in flashes(page), flashes(page)
    page.goto(sheet_url)
    assert page.locator("select.score-percent").count() == 0  # locked once submitted
    # What the server kept (the page's own figures after submit are issue 16, defect 1).
    assert _sheet(app, int(sheet_url.rstrip("/").rsplit("/", 1)[1])) == ("submitted", total)
    journey.shot("submitted")


def test_a_recommender_follows_its_recommendations_to_the_applicant_record_M_9_M_18(journey):
    journey.login("recommender1")
    page = journey.page
    journey.shot("home")
    page = journey.go("/recommendationview/list/")
    rows = list_rows(page)
    assert rows and all(r["cells"].get("推荐单位") for r in rows)
    assert {r["cells"]["推荐单位"] for r in rows} == {rows[0]["cells"]["推荐单位"]}  # its own
    journey.publish("recommendations", "recommender-recommendations")
    follow(page, page.locator(f"a[href='{rows[0]['show']}']"))
    assert "推荐意见" in page.inner_text("body")
    journey.shot("recommendation")

    page = journey.go("/organizationview/list/")
    orgs = list_rows(page)
    assert orgs, "推荐单位看不到任何申报主体"
    follow(page, page.locator(f"a[href='{orgs[0]['show']}']"))
    assert "统一社会信用代码" in page.inner_text("body")
    journey.shot("applicant")


def test_the_system_administrator_reviews_accounts_and_roles_but_no_award_data(journey):
    journey.login("sysadmin")
    page = journey.go("/users/list/")
    rows = list_rows(page)
    assert {"office", "reviewer1", "auditor1"} <= {v for r in rows for v in r["cells"].values()}, (
        rows
    )
    journey.publish("accounts", "sysadmin-accounts")
    office = next(r for r in rows if "office" in r["cells"].values())
    follow(page, page.locator(f"a[href='{office['show']}']"))
    assert "office" in page.inner_text("body")
    journey.shot("account")
    page = journey.go("/roles/list/")
    assert "Office" in page.inner_text("body")
    journey.shot("roles")


def test_the_auditor_reads_the_audit_log_and_opens_an_entry(journey):
    journey.login("auditor1")
    page = journey.go("/auditentryview/list/")
    rows = list_rows(page)
    assert len(rows) >= 10
    journey.publish("audit-log", "auditor-audit-log")
    follow(page, page.locator(f"a[href='{rows[0]['show']}']"))
    body = page.inner_text("body")
    assert rows[0]["cells"][next(iter(rows[0]["cells"]))] in body or "审计" in body
    journey.shot("entry")
