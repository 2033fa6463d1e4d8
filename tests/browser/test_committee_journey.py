"""A Committee member records a vote in a real browser (M-19.6): for a proposed candidate of the
cycle at the vote, found on the screens, with the result the cycle's threshold gives."""

from tests.browser.conftest import follow
from tests.browser.test_office_journey import cycle_in_stage, flashes, list_rows


def test_a_committee_member_records_the_vote_on_a_proposed_candidate_M_19_6(journey):
    journey.login("committee1")
    cycle = cycle_in_stage(journey, "评议表决")
    year = cycle["cells"]["年度"]
    journey.shot("cycle-list")

    # The candidates of that cycle: its proposed applications (拟表彰) on the application list.
    page = journey.go("/applicationview/list/?psize_ApplicationView=100")
    proposed = [
        r["cells"]["编号"]
        for r in list_rows(page)
        if r["cells"].get("评定年度（届）") == cycle["cells"]["名称"]
        and r["cells"].get("状态") == "拟表彰"
    ]
    assert proposed, f"{year}年度没有拟表彰对象"
    voted = {
        r["cells"]["申报"].split()[0] for r in list_rows(journey.go("/committeevoteview/list/"))
    }
    waiting = [n for n in proposed if n not in voted]
    assert waiting, f"{year}年度的拟表彰对象都已录入表决结果：{proposed}"
    journey.shot("votes-before")

    page = journey.go("/committeevoteview/add")
    assert "新增委员会表决" in page.inner_text("body")
    choice = page.locator("select#application option", has_text=waiting[0])
    page.select_option("select#application", value=choice.get_attribute("value"), force=True)
    # Typed as a clerk types it, so the date picker reads it (a filled-in value it would clear).
    page.locator("#held_on").press_sequentially(f"{year}-10-28")
    page.keyboard.press("Tab")
    for field, value in {
        "members": "13",
        "present": "11",
        "votes_for": "9",
        "votes_against": "1",
        "abstentions": "1",
    }.items():
        page.fill(f"#{field}", value)
    page.fill("#note", "浏览器端到端测试：委员会会议现场表决")
    journey.shot("form")
    follow(page, "button[type=submit], input[type=submit]")
    assert "/committeevoteview/list/" in page.url, (
        flashes(page),
        page.locator(".has-error, .text-danger, .help-block").all_inner_texts(),
    )
    row = next(r for r in list_rows(page) if r["cells"]["申报"].startswith(waiting[0]))
    assert row["cells"]["赞成票"] == "9" and row["cells"]["表决通过"] == "是"
    journey.shot("recorded")
