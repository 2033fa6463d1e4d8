"""The eligibility review on the screens (M-19.1): the action, the checklist page, outcomes,
judgements and supplements, who may see what, and the Committee's confirmation."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models import (
    Application,
    AwardCycle,
    Ban,
    EligibilityJudgement,
    EligibilityReview,
    ReviewAssignment,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
)
from tests import factories as f
from tests.app.test_eligibility_service import (
    ORG_JUDGEMENTS,
    application,
    judge_all,
    ready_organization,
)


def _text(resp):
    return resp.get_data(as_text=True)


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def setup(app, db):
    """A cycle open today with two applications, and one user per role."""
    for name, role in [
        ("office", "Office"),
        ("committee1", "Committee"),
        ("reviewer1", "Reviewer"),
        ("recommender1", "Recommender"),
    ]:
        f.user(app, name, role)
    cycle = f.cycle(db.session, year=date.today().year)
    first = application(db.session, cycle, org=ready_organization(db.session))
    second = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    return cycle, first, second


def _page(browser_, app_id):
    return browser_.get(f"/applicationview/checklist/{app_id}")


def test_the_office_runs_the_review_on_several_applications_from_the_list(setup, db, as_user):
    """M-19.1: an action on one or many applications; a summary is flashed."""
    _, first, second = setup
    office = as_user("office")
    resp = office.post(
        "/applicationview/action_post",
        {"action": "run_eligibility", "rowid": [str(first.id), str(second.id)]},
        token_from="/applicationview/list/",
        follow_redirects=True,
    )
    assert "资格审查完成 2 份" in _text(resp) and "待人工判定 2 份" in _text(resp)
    assert _count(db, EligibilityReview) == 2


def test_the_checklist_page_shows_every_line_with_its_conclusion_and_evidence(setup, as_user):
    _, first, _ = setup
    office = as_user("office")
    resp = office.post(
        f"/applicationview/action/run_eligibility/{first.id}",
        token_from=f"/applicationview/show/{first.id}",
        follow_redirects=True,
    )
    page = _text(resp)
    assert 'id="eligibility-checklist"' in page
    for word in ["符合", "需人工判定", "M-11.2", "ISO 9001:2015", "M-13.4", "M-18", "M-19.1/M-28"]:
        assert word in page
    assert 'id="outcome-form"' in page and 'id="judgement-forms"' in page
    show = _text(office.get(f"/applicationview/show/{first.id}"))
    assert 'id="application-eligibility"' in show and "ISO 9001:2015" in show


def test_an_unreviewed_application_says_so_and_offers_the_review(setup, as_user):
    _, first, _ = setup
    page = _text(_page(as_user("office"), first.id))
    assert 'id="no-review"' in page and "按最新记录重新审查" in page


def test_the_office_ticks_judgements_on_the_page_then_records_eligible(setup, db, as_user):
    _, first, _ = setup
    office = as_user("office")
    page_path = f"/applicationview/checklist/{first.id}"
    resp = office.post(
        f"/applicationview/eligibility_judgement/{first.id}",
        {"rule": "M-11.3", "status": "pass", "note": ""},
        token_from=page_path,
        follow_redirects=True,
    )
    assert "判定理由" in _text(resp)
    for rule in ORG_JUDGEMENTS:
        resp = office.post(
            f"/applicationview/eligibility_judgement/{first.id}",
            {"rule": rule, "status": "pass", "note": "经核查符合"},
            token_from=page_path,
            follow_redirects=True,
        )
        assert f"已记录 {rule} 的判定" in _text(resp)
    assert {j.decided_by for j in db.session.scalars(select(EligibilityJudgement))} == {"office"}
    resp = office.post(
        f"/applicationview/eligibility_outcome/{first.id}",
        {"outcome": "eligible"},
        token_from=page_path,
        follow_redirects=True,
    )
    assert "已记录资格审查结论：资格审查通过" in _text(resp)
    assert 'id="latest-outcome"' in _text(resp)
    db.session.expire_all()
    assert db.session.get(Application, first.id).status == "eligible"


def test_eligible_is_refused_on_the_page_while_a_line_does_not_pass(setup, db, as_user):
    _, first, _ = setup
    office = as_user("office")
    resp = office.post(
        f"/applicationview/eligibility_outcome/{first.id}",
        {"outcome": "eligible"},
        token_from=f"/applicationview/checklist/{first.id}",
        follow_redirects=True,
    )
    assert "不能认定资格审查合格" in _text(resp) and "M-19.1" in _text(resp)
    db.session.expire_all()
    assert db.session.get(Application, first.id).status == "submitted"


def test_a_refused_outcome_comes_back_on_the_checklist_as_typed_m19_1(setup, db, as_user):
    """The refusal shows in the outcome form, the chosen outcome, typed text and ticked parts
    kept, nothing recorded."""
    _, first, _ = setup
    office = as_user("office")
    resp = office.post(
        f"/applicationview/eligibility_outcome/{first.id}",
        {"outcome": "eligible", "reasons": "核查记录见附件 <1>", "sections": ["self_assessment"]},
        token_from=f"/applicationview/checklist/{first.id}",
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'id="outcome-error"' in page and "M-19.1" in page
    assert 'value="eligible" required checked' in page
    assert ">核查记录见附件 &lt;1&gt;</textarea>" in page
    assert 'value="self_assessment" checked' in page
    assert _count_reviews(db) == 0


def _count_reviews(db):
    from sqlalchemy import func

    from models import EligibilityReview

    return db.session.scalar(select(func.count()).select_from(EligibilityReview))


def test_returned_incomplete_then_the_supplement_button_before_the_deadline(setup, db, as_user):
    _, first, _ = setup
    office = as_user("office")
    page_path = f"/applicationview/checklist/{first.id}"
    page = _text(office.get(page_path))
    default = (date.today() + timedelta(days=10)).isoformat()
    assert f'value="{default}"' in page  # today + the cycle's supplement days
    resp = office.post(
        f"/applicationview/eligibility_outcome/{first.id}",
        {
            "outcome": "returned_incomplete",
            "missing_items": "营业执照复印件",
            "supplement_deadline": default,
        },
        token_from=page_path,
        follow_redirects=True,
    )
    assert "退回补正" in _text(resp) and 'id="supplement-form"' in _text(resp)
    resp = office.post(
        f"/applicationview/eligibility_supplement/{first.id}",
        {"note": "已补交营业执照"},
        token_from=page_path,
        follow_redirects=True,
    )
    assert "已补正后重新提交" in _text(resp)
    db.session.expire_all()
    assert db.session.get(Application, first.id).status == "submitted"


def test_the_supplement_button_after_the_deadline_is_refused(setup, db, as_user):
    """M-19.1: after the supplement deadline the supplement is refused."""
    _, first, _ = setup
    first.status = "returned_incomplete"
    first.supplement_deadline = date.today() - timedelta(days=1)
    db.session.commit()
    office = as_user("office")
    resp = office.post(
        f"/applicationview/eligibility_supplement/{first.id}",
        {"note": "迟交"},
        token_from=f"/applicationview/checklist/{first.id}",
        follow_redirects=True,
    )
    assert "已过期，不能补正" in _text(resp) and "M-19.1" in _text(resp)
    page = resp.get_data(as_text=True)  # the supplement form again, the note as typed
    assert resp.status_code == 422 and 'id="supplement-error"' in page
    assert ">迟交</textarea>" in page
    db.session.expire_all()
    assert db.session.get(Application, first.id).status == "returned_incomplete"


def test_falsified_on_the_page_bans_the_applicant_and_its_new_application_is_refused(
    setup, db, as_user
):
    """M-19.1: returned as falsified, barred from this cycle (当年不得补报), not the next."""
    cycle, first, _ = setup
    office = as_user("office")
    resp = office.post(
        f"/applicationview/eligibility_outcome/{first.id}",
        {"outcome": "returned_falsified", "reasons": "证书系伪造"},
        token_from=f"/applicationview/checklist/{first.id}",
        follow_redirects=True,
    )
    assert "退回（弄虚作假）" in _text(resp)
    ban = db.session.scalar(select(Ban))
    assert ban.ends_on == date(date.today().year, 12, 31)
    org_id = first.organization_id
    other = f.cycle(
        db.session,
        year=date.today().year + 1,
        opens_on=date.today() - timedelta(days=1),
        deadline=date(date.today().year + 1, 3, 31),
    )
    db.session.commit()

    def apply(cycle_id):
        form = {"prize": "award", "applicant_kind": "organization", "paper_copies": "2"}
        form.update(cycle=cycle_id, organization=org_id)
        return _text(office.post("/applicationview/add", form, follow_redirects=True))

    text = apply(cycle.id)
    assert f"{date.today().year}年度评定不得补报" in text and "M-19.1" in text
    apply(other.id)
    counted = (
        select(func.count()).select_from(Application).where(Application.organization_id == org_id)
    )
    assert db.session.scalar(counted.where(Application.cycle_id == cycle.id)) == 1
    assert db.session.scalar(counted.where(Application.cycle_id == other.id)) == 1


@pytest.fixture
def reviewer_group(app, db, setup):
    """reviewer1 is in a group assigned the first application only."""
    cycle, first, _ = setup
    user = app.appbuilder.sm.find_user(username="reviewer1")
    reviewer = Reviewer(code="R001", name="评审员一", industries="C", user_id=user.id)
    group = ReviewGroup(cycle_id=cycle.id, stage="material", name="材料评审第一组")
    db.session.add_all([reviewer, group])
    db.session.flush()
    db.session.add_all(
        [
            ReviewGroupMember(group_id=group.id, reviewer_id=reviewer.id, is_leader=True),
            ReviewAssignment(group_id=group.id, application_id=first.id, stage="material"),
        ]
    )
    db.session.commit()
    return reviewer


def test_a_reviewer_sees_the_checklist_of_their_groups_read_only_and_no_other(
    setup, reviewer_group, as_user
):
    """M-25: a reviewer reaches only the applications of their own groups."""
    _, first, second = setup
    office = as_user("office")
    office.post(
        f"/applicationview/action/run_eligibility/{first.id}",
        token_from=f"/applicationview/show/{first.id}",
    )
    reviewer = as_user("reviewer1")
    page = _page(reviewer, first.id)
    assert page.status_code == 200
    text = _text(page)
    assert 'id="eligibility-checklist"' in text
    assert 'id="outcome-form"' not in text and 'id="judgement-forms"' not in text
    assert "按最新记录重新审查" not in text
    assert _page(reviewer, second.id).status_code == 404


def test_a_reviewer_cannot_post_an_outcome(setup, reviewer_group, db, as_user):
    _, first, _ = setup
    reviewer = as_user("reviewer1")
    reviewer.post(
        f"/applicationview/eligibility_outcome/{first.id}",
        {"outcome": "returned_ineligible", "reasons": "x"},
        token_from="/resetmypassword/form",  # a page of theirs with a form
    )
    db.session.expire_all()
    assert db.session.get(Application, first.id).status == "submitted"


def test_the_committee_reads_the_checklist_but_records_nothing(setup, db, as_user):
    _, first, _ = setup
    committee = as_user("committee1")
    page = _text(_page(committee, first.id))
    assert "资格审查清单" in page and 'id="outcome-form"' not in page
    committee.post(
        f"/applicationview/eligibility_outcome/{first.id}",
        {"outcome": "returned_ineligible", "reasons": "x"},
        token_from="/resetmypassword/form",  # a page of theirs with a form
    )
    db.session.expire_all()
    assert db.session.get(Application, first.id).status == "submitted"


def test_a_recommender_may_not_open_a_checklist(setup, as_user):
    _, first, _ = setup
    resp = _page(as_user("recommender1"), first.id)
    assert resp.status_code in (302, 403)
    assert "eligibility-checklist" not in _text(resp)


def test_the_committee_confirmation_is_refused_with_open_reviews_then_recorded(setup, db, as_user):
    """M-19.1: the Committee confirms the eligible list once every application is decided."""
    cycle, first, second = setup
    cycle.stage = "eligibility"
    judge_all(db.session, first, ORG_JUDGEMENTS)
    db.session.commit()
    committee = as_user("committee1")
    path = f"/awardcycleview/action/confirm_eligible/{cycle.id}"
    resp = committee.post(
        path, token_from=f"/awardcycleview/show/{cycle.id}", follow_redirects=True
    )
    assert "尚有 2 份已提交的申报未作资格审查结论" in _text(resp)
    office = as_user("office")
    for app_id, outcome in [(first.id, "eligible"), (second.id, "returned_ineligible")]:
        office.post(
            f"/applicationview/eligibility_outcome/{app_id}",
            {"outcome": outcome, "reasons": "经营绩效不居前列"},
            token_from=f"/applicationview/checklist/{app_id}",
        )
    resp = committee.post(
        path, token_from=f"/awardcycleview/show/{cycle.id}", follow_redirects=True
    )
    assert "资格审查合格名单已确认" in _text(resp)
    db.session.expire_all()
    confirmed = db.session.get(AwardCycle, cycle.id)
    assert confirmed.eligibility_confirmed_by == "committee1"
    assert "资格审查通过 1 份" in confirmed.eligibility_confirmation_note
