"""The leader signs a review report off from its screen (button 组长签发) and through the API
(`POST /api/v1/review_report/<id>/sign_off`): only the group's leader (M-10), audited; a signed
report is final and cannot be edited (M-19.2, M-19.4)."""

import pytest
from sqlalchemy import select

from models import Application, ReviewReport


@pytest.fixture
def unsigned(app, demo):
    """The 2024 nomination's on-site report, as if its leader had not signed it off yet."""
    from app.extensions import db

    with app.app_context():
        report = db.session.scalar(
            select(ReviewReport)
            .join(Application, Application.id == ReviewReport.application_id)
            .where(Application.number == "2024-TMJ-001", ReviewReport.stage == "onsite")
        )
        report.finalized_at = None
        db.session.commit()
        return report.id


def _finalized(app, pk):
    from app.extensions import db

    with app.app_context():
        db.session.expire_all()
        return db.session.get(ReviewReport, pk).finalized_at


def test_the_leader_signs_the_report_off_with_the_screens_button_M_10_M_19_4(
    app, unsigned, browser
):
    leader = browser("leader1")
    resp = leader.post(
        f"/reviewreportview/action/sign_off/{unsigned}",
        token_from=f"/reviewreportview/show/{unsigned}",
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "评审报告已由组长签发" in page
    assert _finalized(app, unsigned) is not None


def test_a_member_who_is_not_the_leader_is_refused_on_the_screen_naming_the_rule_M_10(
    app, unsigned, browser
):
    member = browser("reviewer2")  # 古丽娜尔·艾山, a member of the 2024 on-site group
    resp = member.post(
        f"/reviewreportview/action/sign_off/{unsigned}",
        token_from=f"/reviewreportview/show/{unsigned}",
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert "组长" in page and "M-10" in page
    assert _finalized(app, unsigned) is None


def test_the_api_signs_off_for_the_leader_only_M_10(app, unsigned, api):
    path = f"/api/v1/review_report/{unsigned}/sign_off"
    refused = api("reviewer2").post(path, json={})
    assert refused.status_code == 422 and refused.json["rule"] == "M-10"
    assert api("office").post(path, json={}).status_code == 403
    assert api("reviewer1").post(path, json={}).status_code == 404  # not in the group
    assert _finalized(app, unsigned) is None
    done = api("leader1").post(path, json={})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.json["finalized_at"] and _finalized(app, unsigned) is not None
    again = api("leader1").post(path, json={})
    assert again.status_code == 422 and again.json["rule"] == "M-19.4"


def test_a_signed_off_report_cannot_be_edited_M_19_2(app, demo, browser):
    from app.extensions import db

    with app.app_context():
        report = db.session.scalar(
            select(ReviewReport)
            .join(Application, Application.id == ReviewReport.application_id)
            .where(Application.number == "2024-TMJ-001", ReviewReport.stage == "material")
        )
        pk, summary = report.id, report.summary
        data = {"application": str(report.application_id), "group": str(report.group_id)}
    resp = browser("leader1").post(
        f"/reviewreportview/edit/{pk}",
        {**data, "summary": "签发后改写的综述"},
        follow_redirects=True,
    )
    assert "签发定稿" in resp.get_data(as_text=True)
    with app.app_context():
        db.session.expire_all()
        assert db.session.get(ReviewReport, pk).summary == summary
