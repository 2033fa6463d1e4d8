"""Issue 20: the custom pages' posts go through Flask-WTF classes (views/forms.py). A malformed
date or number is refused naming its field, in Chinese, with what was typed shown again; the
database is unchanged and there is never a 500."""

from datetime import date

import pytest
from sqlalchemy import func, select

from models import Application, Award, AwardCycle, EligibilityReview, ReviewGroup, RevocationCase
from tests import factories as f
from tests.app.test_after_builders import award
from tests.app.test_after_revocation import _case
from tests.app.test_eligibility_service import application, ready_organization

TODAY = date.today()


def _text(resp):
    return resp.get_data(as_text=True)


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_date_and_number_fields_keep_what_was_typed_and_name_the_field(app):
    """The parsing every form shares: app/domain/dates.parse_date for dates, digits only for
    whole numbers; empty is None."""
    from views.forms import PaperCopiesForm

    data = {"paper_copies": "两份", "paper_received_on": "2026-02-30", "version": "3"}
    with app.test_request_context(method="POST", data=data):
        form = PaperCopiesForm(meta={"csrf": False})
        assert not form.validate()
        assert form.errors["paper_copies"] == ["接收份数 两份 应为整数"]
        assert form.errors["paper_received_on"][0].startswith("接收日期 2026-02-30 格式无效")
        assert (form.paper_copies._value(), form.paper_received_on._value()) == (
            "两份",
            "2026-02-30",
        )
    data = {"paper_copies": " 2 ", "paper_received_on": "2026-02-28"}
    with app.test_request_context(method="POST", data=data):
        form = PaperCopiesForm(meta={"csrf": False})
        assert form.validate(), form.errors
        assert (form.paper_copies.data, form.paper_received_on.data) == (2, date(2026, 2, 28))
    for odd in ("-1", "2.0", "²"):  # a sign, a fraction, a digit int() cannot read
        with app.test_request_context(method="POST", data={"paper_copies": odd}):
            form = PaperCopiesForm(meta={"csrf": False})
            assert not form.validate()
            assert form.errors["paper_copies"] == [f"接收份数 {odd} 应为整数"]
    with app.test_request_context(method="POST", data={"paper_copies": ""}):
        form = PaperCopiesForm(meta={"csrf": False})
        assert form.validate() and form.paper_copies.data is None
        assert form.paper_received_on.data is None


@pytest.fixture
def submitted(app, db) -> Application:
    """An application submitted in this year's cycle, no paper copies yet; the Office."""
    f.user(app, "office", "Office")
    app_row = application(
        db.session, f.cycle(db.session, year=TODAY.year), org=ready_organization(db.session)
    )
    app_row.paper_copies = 0
    db.session.commit()
    return app_row


def test_paper_copies_with_a_malformed_count_or_date_come_back_typed_and_nothing_is_saved_m18(
    db, browser, submitted
):
    app_row = submitted
    resp = browser("office").post(
        f"/applicationview/paper_copies/{app_row.id}",
        {"paper_copies": "两份", "paper_received_on": "2026-13-45"},
    )
    page = _text(resp)
    assert resp.status_code == 200
    assert "接收份数 两份 应为整数" in page and "接收日期 2026-13-45 格式无效" in page
    assert 'value="两份"' in page and 'value="2026-13-45"' in page
    db.session.expire_all()
    saved = db.session.get(Application, app_row.id)
    assert (saved.paper_copies, saved.paper_received_on) == (0, None)


def test_a_revocation_approval_with_an_impossible_date_keeps_the_typed_form_m26(app, db, browser):
    f.user(app, "office", "Office")
    case = _case(db, award(db.session, 2023), status="reviewed")
    resp = browser("office").post(
        f"/revocationcaseview/approve/{case.id}",
        {"approved_on": "2025-02-30", "document_no": "伊市政函〔2025〕3号", "note": "照准"},
        token_from=f"/revocationcaseview/show/{case.id}",
    )
    page = _text(resp)
    assert resp.status_code == 200
    assert "市政府批准日期 2025-02-30 格式无效" in page and "输入校验" in page
    assert 'value="2025-02-30"' in page and 'value="伊市政函〔2025〕3号"' in page
    assert "照准</textarea>" in page
    assert 'id="approved_on-error"' in page  # the message beside the date it concerns
    db.session.expire_all()
    assert db.session.get(RevocationCase, case.id).status == "reviewed"
    assert db.session.get(Award, case.award_id).revoked is False


def test_an_eligibility_outcome_with_a_malformed_deadline_is_refused_m19_1(db, browser, submitted):
    app_row = submitted
    resp = browser("office").post(
        f"/applicationview/eligibility_outcome/{app_row.id}",
        {"outcome": "incomplete", "missing_items": "营业执照", "supplement_deadline": "下周五"},
        token_from=f"/applicationview/checklist/{app_row.id}",
        follow_redirects=True,
    )
    assert resp.status_code == 422 and "补正期限 下周五 格式无效" in _text(resp)
    page = resp.get_data(as_text=True)  # the checklist's outcome form as typed
    assert 'value="下周五"' in page and ">营业执照</textarea>" in page
    db.session.expire_all()
    assert db.session.get(Application, app_row.id).status == "submitted"
    assert _count(db, EligibilityReview) == 0


def test_awards_with_a_malformed_award_date_are_refused_and_none_created_m19_8(app, db, browser):
    f.user(app, "office", "Office")
    cycle = f.cycle(db.session, year=2075)
    db.session.commit()
    resp = browser("office").post(
        f"/awardcycleview/action/create_awards/{cycle.id}",
        {"awarded_on": "2075-13-01"},
        token_from=f"/awardcycleview/show/{cycle.id}",
        follow_redirects=True,
    )
    assert resp.status_code == 200 and "颁奖日期 2075-13-01 格式无效" in _text(resp)
    assert _count(db, Award) == 0


def test_a_group_proposal_with_a_non_numeric_size_is_refused_m10(app, db, browser):
    f.user(app, "office", "Office")
    cycle = f.cycle(db.session, stage="eligibility", year=2031)
    db.session.commit()
    for bad in ({"group_size": "三"}, {"group_size": "3", "max_apps": "-1"}):
        resp = browser("office").post(
            f"/awardcycleview/action/propose_groups/{cycle.id}",
            {"stage": "material", **bad},
            token_from=f"/awardcycleview/show/{cycle.id}",
            follow_redirects=True,
        )
        assert resp.status_code == 200
        assert "评审阶段、每组人数和每组申报数须为有效值" in _text(resp)
    assert _count(db, ReviewGroup) == 0
    assert db.session.get(AwardCycle, cycle.id).stage == "eligibility"


def test_a_score_save_with_a_malformed_version_keeps_the_typed_entries_m19_2(app, db, browser):
    """The version goes to the use case as typed; its check refuses it, nothing is saved."""
    from tests.app.test_scoring_scene import build
    from tests.clients import web

    scene = build(app, db)
    db.session.commit()
    sheet = scene.sheet(db.session, 0)
    version = sheet.version
    b = web(app, browser, "rv1")
    data = {"version": "第三版", "percent-4.1.2": "60", "strengths-4.1.2": "高层领导亲自推进"}
    data["overall_comment"] = "总体良好"
    resp = b.post(
        f"/scoresheetview/save/{sheet.id}", data, token_from=f"/scoresheetview/entry/{sheet.id}"
    )
    page = _text(resp)
    assert resp.status_code == 200 and "版本号" in page
    assert "高层领导亲自推进" in page and "总体良好" in page
    db.session.expire_all()
    assert db.session.get(type(sheet), sheet.id).version == version


def test_an_application_draft_with_a_malformed_version_comes_back_typed_m18(app, demo, browser):
    from app.extensions import db
    from models import ApplicantAccount, User

    client = browser("applicant1")
    with app.app_context():
        account = db.session.scalar(
            select(ApplicantAccount).join(User).where(User.username == "applicant1")
        )
        draft = db.session.scalar(
            select(Application).where(
                Application.organization_id == account.organization_id,
                Application.status == "draft",
            )
        )
        pk, version, before = draft.id, draft.version, draft.self_assessment
    resp = client.post(
        f"/applicant/application/{pk}/save",
        {"version": "第三版", "section": "self_assessment", "sa_strategy": "战略部署新稿"},
        token_from=f"/applicant/application/{pk}",
    )
    assert resp.status_code == 409
    assert "缺少版本号" in _text(resp) and "战略部署新稿" in _text(resp)
    with app.app_context():
        row = db.session.get(Application, pk)
        assert (row.version, row.self_assessment) == (version, before)
