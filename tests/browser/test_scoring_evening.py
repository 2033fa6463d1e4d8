"""Score entry in a real browser for an evening's work (M-19.2): a submitted sheet keeps the
server's numbers, the band guide is in sight beside each item, drafts save themselves and
survive a closed tab."""

from sqlalchemy import select

from tests.browser.conftest import follow


def _sheet(app, status, username=None):
    from app.extensions import db
    from models import Reviewer, Scoresheet, User

    with app.app_context():
        query = select(Scoresheet).where(
            Scoresheet.status == status, Scoresheet.is_consensus.is_(False)
        )
        if username:
            query = (
                query.join(Reviewer, Reviewer.id == Scoresheet.reviewer_id)
                .join(User, User.id == Reviewer.user_id)
                .where(User.username == username)
            )
        sheet = db.session.scalar(query.order_by(Scoresheet.id))
        result = (sheet.id, f"{sheet.total:.2f}")
        db.session.remove()
        return result


def test_a_submitted_sheet_shows_the_servers_total_not_zero_m19_2(app, journey):
    """Defect 1: with no selects on the page the live-total script must not overwrite the
    server's category scores and total with 0.00."""
    sheet_id, total = _sheet(app, "submitted")
    assert total != "0.00"
    journey.login("office")
    page = journey.go(f"/scoresheetview/entry/{sheet_id}")
    page.wait_for_load_state("networkidle")
    assert page.locator("select.score-percent").count() == 0
    assert page.inner_text("#sheet-total") == total
    subtotals = page.locator(".category-subtotal").all_inner_texts()
    assert subtotals and any(s != "0.00" for s in subtotals)
    journey.shot("submitted")


def test_the_band_guide_is_visible_beside_each_item_m19_2(app, journey):
    """Defect 10: the GB/T 19580 band guide is readable without finding a hidden toggle."""
    sheet_id, _total = _sheet(app, "draft", "reviewer1")
    journey.login("reviewer1")
    page = journey.go(f"/scoresheetview/entry/{sheet_id}")
    assert page.locator("#band-guide table").is_visible()
    hint = page.locator("tr.score-item .band-hint").first
    assert hint.is_visible()
    page.select_option("select[name='percent-4.4.3']", "35")
    row = page.locator("tr.score-item", has=page.locator("select[name='percent-4.4.3']"))
    assert "第 3 段" in row.locator(".band-hint").inner_text()


def _server_percent(app, sheet_id, code):
    from app.extensions import db
    from models import CriteriaItem, ScoreLine

    with app.app_context():
        value = db.session.scalar(
            select(ScoreLine.percent)
            .join(CriteriaItem, CriteriaItem.id == ScoreLine.item_id)
            .where(ScoreLine.scoresheet_id == sheet_id, CriteriaItem.code == code)
        )
        db.session.remove()
        return value


def test_a_draft_saves_itself_after_a_change_through_the_save_use_case_m19_2(app, journey):
    sheet_id, _total = _sheet(app, "draft", "reviewer1")
    journey.login("reviewer1")
    page = journey.go(f"/scoresheetview/entry/{sheet_id}")
    page.select_option("select[name='percent-4.4.3']", "45")
    page.wait_for_function(
        "document.getElementById('autosave-status').textContent.indexOf('草稿已自动保存') >= 0"
    )
    assert _server_percent(app, sheet_id, "4.4.3") == 45
    # The form carries the new version: a save by the button afterwards is not refused as stale.
    page.fill("textarea[name='strengths-4.4.3']", "设备管理台账完整")
    follow(page, "#btn-save")
    assert "评分已保存为草稿" in page.inner_text("body")
    journey.shot("autosaved")


def test_work_typed_before_the_tab_closed_is_restored_and_said_so_m19_2(app, journey):
    """Nothing is lost when the tab closes or the session expires: the browser's copy comes
    back, visibly, the next time the sheet is opened."""
    sheet_id, _total = _sheet(app, "draft", "reviewer1")
    journey.login("reviewer1")
    page = journey.go(f"/scoresheetview/entry/{sheet_id}")
    assert page.locator("#draft-restored").is_hidden()
    # The session expires before anything reaches the server: typed text stays in this browser.
    page.context.clear_cookies()
    page.fill("textarea[name='improvements-4.1.2']", "战略目标分解到部门的指标不够量化")
    page.wait_for_function(
        "document.getElementById('autosave-status').textContent.indexOf('登录已过期') >= 0"
    )
    journey.login("reviewer1")
    page = journey.go(f"/scoresheetview/entry/{sheet_id}")
    assert page.locator("#draft-restored").is_visible()
    assert "已恢复未保存的填写内容" in page.inner_text("#draft-restored")
    assert (
        page.input_value("textarea[name='improvements-4.1.2']")
        == "战略目标分解到部门的指标不够量化"
    )
    state = page.locator(".comment-state[data-category='4.1']")
    assert state.locator(".improvements-filled").inner_text() != "0"
    journey.shot("restored")


def test_all_23_items_can_be_scored_with_the_keyboard_alone_m19_2(app, journey):
    """Tab moves from each item's percent to its two comments and on to the next item; a
    number key picks the percent; the focused field is outlined."""
    sheet_id, _total = _sheet(app, "draft", "reviewer1")
    journey.login("reviewer1")
    page = journey.go(f"/scoresheetview/entry/{sheet_id}")
    names = page.eval_on_selector_all("select.score-percent", "els => els.map(e => e.name)")
    assert len(names) == 23
    page.focus(f"select[name='{names[0]}']")
    for i, name in enumerate(names):
        assert page.evaluate("document.activeElement.name") == name
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none")
        page.keyboard.press("Home")  # 未评
        page.keyboard.press("8")  # 80 %
        if i < len(names) - 1:
            for _ in range(3):
                page.keyboard.press("Tab")
    values = page.eval_on_selector_all("select.score-percent", "els => els.map(e => e.value)")
    assert values == ["80"] * 23
    assert page.inner_text("#sheet-total") == "800.00"
    page.keyboard.press("ArrowUp")  # the arrow keys move the last item to 75 %
    assert page.input_value(f"select[name='{names[-1]}']") == "75"
