"""The review screens (M-10, M-25): qualification page, sanctions that end a login, members
and assignments refused naming the rule, declarations, the stage proposal, the leader's report."""

from sqlalchemy import func, select

from models import (
    InterestDeclaration,
    ReviewAssignment,
    ReviewGroup,
    ReviewGroupMember,
    ReviewReport,
    User,
)
from tests import factories as f
from tests.app.test_scoring_scene import application, build, group, reviewer


def _text(resp):
    return resp.get_data(as_text=True)


def _count(db, model, *where):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_qualification_page_shows_each_condition_with_pass_or_fail(db, scene, as_user):
    r = scene.reviewers[0]
    page = _text(as_user("office").get(f"/reviewerview/qualification/{r.id}"))
    for rule in ("M-10.1", "M-10.2", "M-10.3a", "M-10.3b", "M-10.4", "M-25"):
        assert f"<td>{rule}</td>" in page
    assert "具备评审员条件" in page and "不符合" not in page
    assert as_user("rv1").get(f"/reviewerview/qualification/{r.id}").status_code == 403


def test_a_disqualification_on_the_screen_ends_the_reviewers_login_and_keeps_the_record_M_25(
    app, db, scene, as_user
):
    r = scene.reviewers[2]
    office = as_user("office")
    resp = office.post(
        "/reviewersanctionview/add",
        {
            "reviewer": str(r.id),
            "level": "disqualification",
            "breach": "M-25(4) 收受礼品",
            "reason": "评审期间收受申报单位礼品",
            "decided_on": "2025-05-01",
        },
        follow_redirects=True,
    )
    assert resp.status_code == 200
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == "rv3"))
    assert user.active is False and r.active is False
    sheet = scene.sheet(db.session, 2)
    locked_out = as_user("rv3")  # the login form refuses an inactive user
    assert locked_out.get(f"/scoresheetview/entry/{sheet.id}").status_code in (302, 401)
    page = _text(office.get(f"/reviewerview/qualification/{r.id}"))
    assert "撤销评审员资格" in page and "不能编入评审组" in page
    assert office.get("/reviewersanctionview/list/").status_code == 200
    assert "M-25(4) 收受礼品" in _text(office.get("/reviewersanctionview/list/"))


def test_adding_a_conflicted_member_on_the_screen_is_refused_naming_the_conflict_M_25(
    db, scene, as_user
):
    tied = reviewer(None, db.session)
    db.session.add(
        InterestDeclaration(
            reviewer_id=tied.id,
            organization_id=scene.app.organization_id,
            kind="gift",
            source="office",
        )
    )
    db.session.commit()
    before = _count(db, ReviewGroupMember)
    resp = as_user("office").post(
        "/reviewgroupmemberview/add",
        {"group": str(scene.group.id), "reviewer": str(tied.id)},
        follow_redirects=True,
    )
    page = _text(resp)
    assert "存在利害关系（收受礼品）" in page and "M-25" in page and tied.name in page
    assert _count(db, ReviewGroupMember) == before


def test_assigning_to_a_group_without_an_expert_on_the_screen_is_refused_M_10(
    app, db, scene, as_user
):
    hospital = application(db.session, scene.cycle, industry_code="Q")
    db.session.commit()
    resp = as_user("office").post(
        "/reviewassignmentview/add",
        {"group": str(scene.group.id), "application": str(hospital.id), "stage": "material"},
        follow_redirects=True,
    )
    assert "行业专家" in _text(resp) and "M-10" in _text(resp)
    assert _count(db, ReviewAssignment) == 1


def test_a_reviewer_declares_an_interest_for_themselves_only_M_25(db, scene, as_user):
    org = f.organization(db.session)
    db.session.commit()
    me, other = scene.reviewers[0], scene.reviewers[1]
    rv1 = as_user("rv1")
    page = _text(rv1.get("/interestdeclarationview/add"))
    assert me.name in page and other.name not in page  # the dropdown offers only oneself
    data = {"organization": str(org.id), "kind": "shareholding"}
    rv1.post("/interestdeclarationview/add", {**data, "reviewer": str(other.id)})
    assert _count(db, InterestDeclaration) == 0
    rv1.post("/interestdeclarationview/add", {**data, "reviewer": str(me.id)})
    decl = db.session.scalar(select(InterestDeclaration))
    assert decl.reviewer_id == me.id and decl.source == "declared"
    assert decl.declared_on is not None
    as_user("office").post(
        "/interestdeclarationview/add", {**data, "reviewer": str(other.id), "kind": "relative"}
    )
    db.session.expire_all()
    rows = {(d.reviewer_id, d.source) for d in db.session.scalars(select(InterestDeclaration))}
    assert rows == {(me.id, "declared"), (other.id, "office")}


def test_the_proposal_is_shown_and_accepted_on_the_cycle_screen(app, db, as_user):
    f.user(app, "office", "Office")
    cycle = f.cycle(db.session, stage="eligibility", year=2031)
    for _ in range(3):
        reviewer(app, db.session, industries="C")
    a = application(db.session, cycle, industry_code="C")
    db.session.commit()
    office = as_user("office")
    show = f"/awardcycleview/show/{cycle.id}"
    page = _text(
        office.post(f"/awardcycleview/action/propose_groups/{cycle.id}", {}, token_from=show)
    )
    assert "自动组建材料评审评审组" in page and a.number in page and "（组长）" in page
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    resp = office.post(
        f"/awardcycleview/action/propose_groups/{cycle.id}",
        {"stage": "material", "group_size": "3", "fingerprint": fingerprint, "accept": "1"},
        token_from=show,
        follow_redirects=True,
    )
    assert "已按方案组建 1 个材料评审评审组" in _text(resp)
    assert _count(db, ReviewGroup) == 1 and _count(db, ReviewAssignment) == 1
    assert as_user("office").get(show).status_code == 200


def test_only_the_groups_leader_writes_its_review_report_M_19_2(db, scene, as_user):
    data = {
        "application": str(scene.app.id),
        "group": str(scene.group.id),
        "summary": "材料评审报告：领导作用突出",
    }
    page = _text(as_user("rv2").post("/reviewreportview/add", data, follow_redirects=True))
    assert "组长" in page and _count(db, ReviewReport) == 0
    as_user("rv1").post("/reviewreportview/add", data, follow_redirects=True)
    db.session.expire_all()
    report = db.session.scalar(select(ReviewReport))
    assert report.author_id == scene.reviewers[0].id and report.stage == "material"


def test_the_group_page_shows_members_progress_to_the_office_and_only_own_sheets_to_members(
    db, scene, as_user
):
    path = f"/reviewgroupview/composition/{scene.group.id}"
    office = _text(as_user("office").get(path))
    assert office.count("/ 23") == 3 and "结束本组评审" in office
    member = _text(as_user("rv2").get(path))
    assert member.count("/ 23") == 1 and "结束本组评审" not in member
    outsider_group = group(db.session, scene.cycle, scene.reviewers[1:], name="另一组")
    db.session.commit()
    assert (
        as_user("rv1").get(f"/reviewgroupview/composition/{outsider_group.id}").status_code == 404
    )


def test_the_demo_has_groups_at_both_stages_with_submitted_draft_and_flagged_sheets(
    app, demo, as_user
):
    """The demo data set: closed groups with stage scores and an open group with drafts and a
    sheet far from the group's mean, flagged for the leader."""
    from app.extensions import db as _db
    from app.services import scoring_close
    from models import Scoresheet, StageScore

    with app.app_context():
        stages = set(_db.session.scalars(select(ReviewGroup.stage)))
        statuses = set(_db.session.scalars(select(Scoresheet.status)))
        assert stages == {"material", "onsite"} and statuses == {"draft", "submitted"}
        assert _db.session.scalar(select(func.count()).select_from(StageScore)) > 0
        open_group = _db.session.scalar(
            select(ReviewGroup).where(
                ReviewGroup.closed_at.is_(None), ReviewGroup.stage == "material"
            )
        )
        flagged = [
            r
            for a in open_group.assignments
            for r in scoring_close.application_results(open_group, a.application_id)
            if r.outlier
        ]
        assert flagged
        group_id = open_group.id
    page = _text(as_user("office").get(f"/reviewgroupview/composition/{group_id}"))
    assert "评审中" in page


def test_members_are_removed_through_the_api_only_before_they_entered_scores(app, db, api, as_user):
    from app.services import scoring
    from tests.clients import rest

    scene = build(app, db, members=4, year=2032)
    f.user(app, "office", "Office")
    db.session.commit()
    sheet = scene.sheet(db.session, 3)
    scoring.save(sheet.id, scene.actor(3), sheet.version, {"4.1.2": {"percent": 50}})
    ids = {
        m.reviewer_id: m.id
        for m in db.session.scalars(
            select(ReviewGroupMember).where(ReviewGroupMember.group_id == scene.group.id)
        )
    }
    office = rest(app, api, "office")
    resp = office.delete(f"/api/v1/review_group_member/{ids[scene.reviewers[3].id]}")
    assert resp.status_code == 422 and "不能移出" in resp.json["message"]
    resp = office.delete(f"/api/v1/review_group_member/{ids[scene.reviewers[2].id]}")
    assert resp.status_code == 200
    assert _count(db, ReviewGroupMember) == 3


def test_naming_a_new_leader_on_the_screen_makes_the_old_one_a_member(db, scene, as_user):
    new = next(m for m in scene.group.members if not m.is_leader)
    resp = as_user("office").post(
        f"/reviewgroupmemberview/edit/{new.id}", {"is_leader": "y"}, follow_redirects=True
    )
    assert resp.status_code == 200
    db.session.expire_all()
    leaders = [m.reviewer_id for m in scene.group.members if m.is_leader]
    assert leaders == [new.reviewer_id]


def test_the_api_refuses_a_report_on_an_application_outside_the_leaders_scope_M_25(db, scene, api):
    """The screen offers a leader only applications in scope; the API gets the same rule: a
    conflicted application (here the leader declared an interest afterwards) is refused."""
    leader = scene.reviewers[0]
    db.session.add(
        InterestDeclaration(
            reviewer_id=leader.id,
            organization_id=scene.app.organization_id,
            kind="consulting",
            source="declared",
        )
    )
    db.session.commit()
    body = {"application": scene.app.id, "group": scene.group.id, "summary": "材料评审报告"}
    resp = api("rv1").post("/api/v1/review_report/", json=body)
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert resp.json["rule"] == "M-25"
    assert _count(db, ReviewReport) == 0
