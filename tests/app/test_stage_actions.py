"""The cycle and application pages offer only the actions the record's state allows; the
others are shown disabled with the reason; a refused action's message shows on the record's
own page (issue 16, defect 7)."""

import lxml.html
from sqlalchemy import select

from app.domain.enums import ApplicationStatus as S
from app.domain.errors import RuleViolation
from app.extensions import db as _db
from app.services import disqualification
from models import Application, AwardCycle, PublicNotice


def _actions(page: str) -> tuple[set[str], dict[str, str]]:
    """(names of the offered action buttons, {disabled action: its reason})."""
    doc = lxml.html.fromstring(page)
    offered = {
        a.get("id").rsplit("-", 1)[-1]
        for a in doc.xpath('//*[@id="record-actions"]//a[starts-with(@id, "btn-action-")]')
    }
    disabled = {
        s.get("id").removeprefix("btn-action-"): s.get("title")
        for s in doc.xpath('//*[@id="record-actions"]//span[@aria-disabled="true"]')
    }
    return offered, disabled


def _cycle(year) -> AwardCycle:
    return _db.session.scalar(select(AwardCycle).where(AwardCycle.year == year))


def test_a_cycle_in_material_review_offers_only_what_its_stage_allows_m_17(ctx, browser):
    page = browser("office").get(f"/awardcycleview/show/{_cycle(2025).id}").get_data(as_text=True)
    offered, disabled = _actions(page)
    assert {"shortlist", "close_groups", "advance_stage"} <= offered
    assert {"create_awards", "rank", "decide_tie", "confirm_eligible"} <= set(disabled)
    assert not offered & set(disabled)
    assert "材料评审" in disabled["create_awards"] and "M-19.8" in disabled["create_awards"]
    # the reason is also there as text, for screen readers
    assert "不可用" in page and disabled["rank"] in lxml.html.fromstring(page).text_content()


def test_a_closed_cycle_offers_no_next_stage(ctx, browser):
    page = browser("office").get(f"/awardcycleview/show/{_cycle(2021).id}").get_data(as_text=True)
    offered, disabled = _actions(page)
    assert "advance_stage" in disabled and "advance_stage" not in offered


def test_a_disqualified_or_returned_application_does_not_offer_disqualification(ctx, browser):
    b = browser("office")
    out = _db.session.scalar(select(Application).where(Application.status == S.SHORTLISTED.value))
    out.status = S.DISQUALIFIED.value  # as the disqualification leaves it
    _db.session.commit()
    for status in (S.DISQUALIFIED, S.RETURNED_INELIGIBLE):
        app = _db.session.scalar(select(Application).where(Application.status == status.value))
        assert app is not None, status
        offered, disabled = _actions(
            b.get(f"/applicationview/show/{app.id}").get_data(as_text=True)
        )
        assert "disqualify" not in offered and "disqualify" in disabled


def test_disqualifying_an_application_returned_as_ineligible_is_refused_m_19_1(ctx):
    app = _db.session.scalar(
        select(Application).where(Application.status == S.RETURNED_INELIGIBLE.value)
    )
    try:
        disqualification.disqualify([app.id], "penalty", "行政处罚决定书")
    except RuleViolation as exc:
        assert exc.rule == "M-19.1"
    else:
        raise AssertionError("disqualifying a returned application must be refused")
    _db.session.expire_all()
    assert _db.session.get(Application, app.id).status == S.RETURNED_INELIGIBLE.value


def test_a_refused_action_shows_its_message_on_the_records_page(ctx, browser):
    """Not on a list visited earlier (FAB's history)."""
    b = browser("office")
    notice = _db.session.scalar(select(PublicNotice).where(PublicNotice.published_at.is_not(None)))
    b.get("/organizationview/list/")
    show = f"/publicnoticeview/show/{notice.id}"
    b.get(show)
    resp = b.post(f"/publicnoticeview/action/publish_notice/{notice.id}", {}, token_from=show)
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(show)
    doc = lxml.html.fromstring(b.get(show).get_data(as_text=True))
    flashed = " ".join(doc.xpath('//*[contains(@class, "alert-danger")]//text()'))
    assert "发布公示" in flashed or "已于" in flashed, flashed
