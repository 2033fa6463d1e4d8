"""Reviewer sanctions (M-25): the record stays. No one can delete a sanction, on the screens or
through the API, and a disqualified reviewer's record is kept with it."""

from datetime import date

import pytest

from models import Reviewer, ReviewerSanction
from tests.app.test_after_builders import text, users
from tests.clients import rest, web


@pytest.fixture
def sanctioned(app, db):
    users(app, db, ("office", "Office"), ("admin", "Admin"))
    reviewer = Reviewer(code="R900", name="测试评审员", industries="C", active=False)
    db.session.add(reviewer)
    db.session.flush()
    sanction = ReviewerSanction(
        reviewer_id=reviewer.id,
        level="disqualification",
        breach="M-25(4) 收受申报单位礼品",
        reason="评审期间收受申报单位购物卡，经查实撤销评审员资格",
        decided_on=date(2025, 5, 10),
        decided_by="office",
    )
    db.session.add(sanction)
    db.session.commit()
    return reviewer.id, sanction.id


def _still_there(db, reviewer_id, sanction_id):
    db.session.expire_all()
    sanction = db.session.get(ReviewerSanction, sanction_id)
    reviewer = db.session.get(Reviewer, reviewer_id)
    return sanction is not None and reviewer is not None and sanction.reviewer_id == reviewer.id


def test_the_sanction_screen_and_api_offer_no_delete_M_25(app):
    from views.review import ReviewerSanctionView

    assert "can_delete" not in ReviewerSanctionView.base_permissions
    api = next(
        v
        for v in app.appbuilder.baseviews
        if getattr(v, "resource_name", "") == "reviewer_sanction"
    )
    assert "can_delete" not in api.base_permissions


@pytest.mark.parametrize("username", ["office", "admin"])
def test_no_one_can_delete_a_sanction_on_the_screen_or_through_the_api_M_25(
    app, db, browser, api, sanctioned, username
):
    reviewer_id, sanction_id = sanctioned
    b = web(app, browser, username)
    resp = b.post(
        f"/reviewersanctionview/delete/{sanction_id}",
        token_from=f"/reviewersanctionview/edit/{sanction_id}",
    )
    assert resp.status_code in (302, 403, 405)
    resp = rest(app, api, username).delete(f"/api/v1/reviewer_sanction/{sanction_id}")
    assert resp.status_code in (403, 404, 405)
    assert _still_there(db, reviewer_id, sanction_id)


def test_a_disqualified_reviewers_record_stays_with_its_sanction_M_25(app, db, browser, sanctioned):
    reviewer_id, sanction_id = sanctioned
    b = web(app, browser, "office")
    resp = b.post(
        f"/reviewerview/delete/{reviewer_id}",
        token_from=f"/reviewerview/show/{reviewer_id}",
        follow_redirects=True,
    )
    assert "不能删除" in text(resp)
    assert _still_there(db, reviewer_id, sanction_id)
    assert db.session.get(Reviewer, reviewer_id).active is False
