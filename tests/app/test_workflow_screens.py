"""The workflow on the screens, the REST API and the command line (M-17, M-19.2 to M-19.8, M-4)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.enums import ApplicationStatus as S
from app.domain.enums import ReviewStage, Stage
from app.extensions import db as _db
from app.services import ranking
from models import Application, AwardCycle, CommitteeVote, PublicNotice, StageMove
from tests import factories as f
from tests.app.test_workflow_builders import (
    Entry,
    application,
    new_cycle,
    review,
    set_stage,
    statuses,
)


def _text(resp) -> str:
    return resp.get_data(as_text=True)


def _users(app):
    f.user(app, "office", "Office")
    f.user(app, "committee1", "Committee")
    _db.session.commit()


def _finalists(year, stage=Stage.COMPREHENSIVE, **kw):
    entries = [
        Entry("a1", "award", "812.34", "851.25"),
        Entry("a2", "award", "780", "820"),
        Entry("a3", "award", "760", "790"),
        Entry("n1", "nomination", "700", "760", individual=True),
    ]
    cycle = new_cycle(year, stage=Stage.COMPREHENSIVE.value, **kw)
    for e in entries:
        application(cycle, e, S.FINALIST)
    review(cycle, ReviewStage.MATERIAL, {e.app.id: (e.material, "250") for e in entries})
    review(cycle, ReviewStage.ONSITE, {e.app.id: (e.onsite, e.results) for e in entries})
    set_stage(cycle, stage)
    return cycle, entries


# --- screens ------------------------------------------------------------------------------
def test_the_stage_page_lists_what_is_missing_and_moves_one_stage_m17(app, db, browser):
    _users(app)
    cycle = new_cycle(2060, stage="applications_open", deadline=date(2999, 12, 31))
    _db.session.commit()
    b = browser("office")
    page = b.get(f"/awardcycleview/stage/{cycle.id}")
    assert page.status_code == 200
    assert "申报截止日期尚未过" in _text(page) and "资格审查" in _text(page)

    cycle.opens_on, cycle.deadline = date(2020, 1, 1), date(2020, 3, 31)
    _db.session.commit()
    path = f"/awardcycleview/action/advance_stage/{cycle.id}"
    form = {"from_stage": "applications_open", "note": "截止受理"}
    token_page = f"/awardcycleview/stage/{cycle.id}"
    resp = b.post(path, form, token_from=token_page, follow_redirects=True)
    assert "已推进到「资格审查」阶段" in _text(resp)
    # The second clerk's form still says 申报受理: refused, nothing moves twice.
    resp = b.post(path, form, token_from=token_page, follow_redirects=True)
    assert "已由他人推进到「资格审查」" in _text(resp)
    _db.session.expire_all()
    assert _db.session.get(AwardCycle, cycle.id).stage == "eligibility"
    assert _db.session.scalar(select(func.count(StageMove.id))) == 1


def test_the_committee_sees_the_stage_page_but_cannot_move_it_m17(app, db, browser):
    _users(app)
    cycle = new_cycle(2061, stage="applications_open")
    _db.session.commit()
    b = browser("committee1")
    page = b.get(f"/awardcycleview/stage/{cycle.id}")
    assert page.status_code == 200 and "推进到「" not in _text(page)
    resp = b.post(
        f"/awardcycleview/action/advance_stage/{cycle.id}",
        {"from_stage": "applications_open"},
        token_from="/userinfoeditview/form",
    )
    assert resp.status_code == 403


def test_the_ranking_page_shows_scores_ties_and_reports_and_stores_the_proposal_m19_5(
    app, db, browser
):
    _users(app)
    cycle, entries = _finalists(2062)
    b = browser("office")
    page = _text(b.get(f"/awardcycleview/ranking/{cycle.id}"))
    assert "851.3" in page and "812.3" in page  # 1 decimal for display
    assert "材料评审报告" in page and "现场评审报告" in page
    assert (
        "政府质量提名奖" in page and "空缺 1 个" in page
    )  # one nomination candidate for two seats
    resp = b.post(
        f"/awardcycleview/action/rank/{cycle.id}",
        {"confirm": "1", "note": "综合评价会议"},
        token_from=f"/awardcycleview/ranking/{cycle.id}",
        follow_redirects=True,
    )
    assert "综合评价排名已保存，拟表彰 3 个" in _text(resp)
    assert statuses(entries) == {
        "a1": "proposed",
        "a2": "proposed",
        "a3": "not_awarded",
        "n1": "proposed",
    }


def test_the_office_picks_the_on_site_list_from_the_material_ranking_m19_2(app, db, browser):
    _users(app)
    cycle = new_cycle(2063, stage="material_review", shortlist_size=1)
    entries = [Entry("a1", "award", "800"), Entry("a2", "award", "700")]
    for e in entries:
        application(cycle, e, S.ELIGIBLE)
    review(cycle, ReviewStage.MATERIAL, {e.app.id: (e.material, "250") for e in entries})
    _db.session.commit()
    b = browser("office")
    page = _text(b.get(f"/awardcycleview/material_ranking/{cycle.id}"))
    assert "取前 1 名" in page and "800.0" in page
    resp = b.post(
        f"/awardcycleview/action/shortlist/{cycle.id}",
        {"confirm": "1", "application_id": [entries[0].app.id]},
        token_from=f"/awardcycleview/material_ranking/{cycle.id}",
        follow_redirects=True,
    )
    assert "1 份申报入围" in _text(resp)
    assert statuses(entries) == {"a1": "shortlisted", "a2": "not_shortlisted"}


def test_disqualify_and_reinstate_from_the_application_list_m3(app, db, browser):
    _users(app)
    cycle, entries = _finalists(2064)
    ranking.store_ranking(cycle.id)
    b = browser("office")
    first = entries[0].app.id
    form_page = _text(b.get(f"/applicationview/disqualification?mode=disqualify&ids={first}"))
    assert "弄虚作假" in form_page and entries[0].app.number in form_page
    data = {
        "action": "disqualify",
        "rowid": [first],
        "confirm": "1",
        "ground": "failed_sampling",
        "evidence": "2064年州级监督抽查不合格",
    }
    resp = b.post("/applicationview/action_post", data, token_from="/applicationview/list/")
    assert resp.status_code == 302
    assert statuses(entries)["a1"] == "disqualified" and statuses(entries)["a3"] == "proposed"
    refused = b.post(
        "/applicationview/action_post",
        {"action": "reinstate", "rowid": [first], "confirm": "1", "reason": ""},
        token_from="/applicationview/list/",
        follow_redirects=True,
    )
    assert "恢复资格须填写理由" in _text(refused)
    b.post(
        "/applicationview/action_post",
        {"action": "reinstate", "rowid": [first], "confirm": "1", "reason": "抽查结论已撤销"},
        token_from="/applicationview/list/",
    )
    assert statuses(entries)["a1"] == "proposed"
    ranking_page = _text(b.get(f"/awardcycleview/ranking/{cycle.id}"))
    assert "_flt_0_application_id" in ranking_page


def test_a_refused_disqualification_comes_back_as_typed_m3(app, db, browser):
    """M-3, M-19.1: a disqualification without its ground, or a reinstatement without its
    reason, is refused on the form itself: the rule's message beside the field, the evidence
    as typed, the application unchanged."""
    _users(app)
    cycle, entries = _finalists(2066)
    ranking.store_ranking(cycle.id)
    b = browser("office")
    first = entries[0].app.id
    evidence = "2066年州级监督抽查不合格 <见附件>"
    resp = b.post(
        "/applicationview/action_post",
        {
            "action": "disqualify",
            "rowid": [first],
            "confirm": "1",
            "ground": "",
            "evidence": evidence,
        },
        token_from="/applicationview/list/",
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="ground-error"' in page and "has-error" in page
    assert "2066年州级监督抽查不合格 &lt;见附件&gt;</textarea>" in page
    assert statuses(entries)["a1"] == "proposed"
    b.post(
        "/applicationview/action_post",
        {
            "action": "disqualify",
            "rowid": [first],
            "confirm": "1",
            "ground": "failed_sampling",
            "evidence": evidence,
        },
        token_from="/applicationview/list/",
    )
    assert statuses(entries)["a1"] == "disqualified"
    resp = b.post(
        "/applicationview/action_post",
        {"action": "reinstate", "rowid": [first], "confirm": "1", "reason": "  "},
        token_from="/applicationview/list/",
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'id="reason-error"' in page
    assert "恢复资格须填写理由" in page
    assert statuses(entries)["a1"] == "disqualified"


def test_the_committee_records_a_vote_and_the_result_is_computed_m19_6(app, db, browser):
    _users(app)
    cycle = new_cycle(2065, stage="committee_vote")
    e = Entry("a1", "award", "800")
    application(cycle, e, S.PROPOSED)
    _db.session.commit()
    b = browser("committee1")
    form = {
        "application": e.app.id,
        "held_on": "2065-09-01",
        "members": 15,
        "present": 13,
        "votes_for": 7,
        "votes_against": 5,
        "abstentions": 1,
    }
    b.post("/committeevoteview/add", form, token_from="/committeevoteview/add")
    vote = _db.session.scalar(select(CommitteeVote))
    assert vote is not None and vote.passed and vote.recorded_by == "committee1"
    resp = b.post(
        f"/committeevoteview/edit/{vote.id}",
        {**form, "votes_for": 16, "version_check": vote.version},
        token_from=f"/committeevoteview/edit/{vote.id}",
        follow_redirects=True,
    )
    assert "M-19.6" in _text(resp)
    _db.session.expire_all()
    assert _db.session.get(CommitteeVote, vote.id).votes_for == 7


def test_publishing_the_notice_shows_it_on_the_public_page_m19_6(app, db, browser):
    _users(app)
    cycle = new_cycle(2066, stage="public_notice")
    e = Entry("a1", "award", "800")
    application(cycle, e, S.PROPOSED)
    today = date.today()
    notice = PublicNotice(
        cycle_id=cycle.id,
        title="2066年度拟表彰对象公示",
        starts_on=today,
        ends_on=date.fromordinal(today.toordinal() + 6),
        how_to_object="实名反映",
    )
    _db.session.add(notice)
    _db.session.commit()
    b = browser("office")
    b.post(
        f"/publicnoticeview/action/publish_notice/{notice.id}",
        {},
        token_from=f"/publicnoticeview/show/{notice.id}",
    )
    _db.session.expire_all()
    assert _db.session.get(PublicNotice, notice.id).published_at is not None
    assert "2066年度拟表彰对象公示" in _text(app.test_client().get("/public/"))


def test_the_budget_page_shows_budget_fee_prizes_and_what_remains_m5(app, db, browser):
    _users(app)
    cycle = new_cycle(2067, stage="announced")
    _db.session.commit()
    page = _text(browser("office").get(f"/awardcycleview/budget/{cycle.id}"))
    assert "600,000.00 元" in page and "80,000.00 元" in page and "520,000.00 元" in page


# --- REST API -------------------------------------------------------------------------------
def test_the_api_advances_ranks_and_refuses_with_the_rule_m17_m19_5(app, db, api):
    _users(app)
    cycle, entries = _finalists(2068)
    client = api("office")
    resp = client.get(f"/api/v1/award_cycle/{cycle.id}/ranking")
    assert resp.status_code == 200
    award = resp.json["prizes"]["award"]
    assert [line["onsite_display"] for line in award["lines"]] == ["851.3", "820.0", "790.0"]
    resp = client.post(
        f"/api/v1/award_cycle/{cycle.id}/advance", json={"from_stage": "comprehensive"}
    )
    assert resp.status_code == 422 and resp.json["rule"] == "M-17/M-19"
    resp = client.post(f"/api/v1/award_cycle/{cycle.id}/rank", json={"note": "API"})
    assert resp.status_code == 200
    assert resp.json["prizes"]["award"]["lines"][0]["status"] == "proposed"
    resp = client.post(
        f"/api/v1/award_cycle/{cycle.id}/advance", json={"from_stage": "comprehensive"}
    )
    assert resp.status_code == 200 and resp.json["stage"] == "committee_vote"
    resp = client.post(f"/api/v1/award_cycle/{cycle.id}/awards", json={})
    assert resp.status_code == 422 and resp.json["rule"] == "M-17"
    resp = client.post(
        f"/api/v1/application/{entries[0].app.id}/disqualify", json={"ground": "penalty"}
    )
    assert resp.status_code == 422 and "证据" in resp.json["message"]
    resp = client.post(
        f"/api/v1/application/{entries[0].app.id}/disqualify",
        json={"ground": "penalty", "evidence": "行政处罚决定书"},
    )
    assert resp.status_code == 200 and resp.json["status"] == "disqualified"
    assert (
        api("committee1").post(f"/api/v1/award_cycle/{cycle.id}/rank", json={}).status_code == 403
    )


def test_the_api_refuses_a_vote_with_more_votes_than_present_m19_6(app, db, api):
    _users(app)
    cycle = new_cycle(2069, stage="committee_vote")
    e = Entry("a1", "award", "800")
    application(cycle, e, S.PROPOSED)
    _db.session.commit()
    resp = api("committee1").post(
        "/api/v1/committee_vote/",
        json={
            "application": e.app.id,
            "held_on": "2069-09-01",
            "members": 9,
            "present": 9,
            "votes_for": 10,
            "votes_against": 0,
            "abstentions": 0,
        },
    )
    assert resp.status_code == 422 and resp.json["rule"] == "M-19.6"
    assert _db.session.scalar(select(func.count(CommitteeVote.id))) == 0


# --- command line -------------------------------------------------------------------------------
def test_award_rank_prints_the_ranking_with_proposed_winners_m19_5(app, db):
    _cycle, _entries = _finalists(2070, min_onsite_score=Decimal("800"))
    _db.session.remove()
    out = app.test_cli_runner().invoke(args=["award", "rank", "2070"])
    assert out.exit_code == 0, out.output
    assert "【政府质量奖】名额 2 个" in out.output and "851.3" in out.output
    assert "低于最低分" in out.output and "空缺" in out.output


def test_award_check_quotas_exits_1_on_a_breach_m4(app, db):
    _cycle, entries = _finalists(2071)
    ids = [e.app.id for e in entries]
    _db.session.remove()
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["award", "check-quotas", "2071"])
    assert ok.exit_code == 0 and "政府质量奖：名额 2，已用 0，空缺 2" in ok.output
    for app_id in ids:
        _db.session.get(Application, app_id).status = S.PROPOSED.value
    _db.session.commit()
    _db.session.remove()
    bad = runner.invoke(args=["award", "check-quotas", "2071"])
    assert bad.exit_code == 1
    assert "政府质量奖：名额 2，已用 3，空缺 0，超出 1 个" in bad.output
    missing = runner.invoke(args=["award", "rank", "1999"])
    assert missing.exit_code != 0 and "没有 1999 年度" in missing.output


def test_every_demo_cycle_shows_its_workflow_pages_and_passes_the_quota_check_m4(
    app, demo, browser
):
    """The demo has a cycle at every stage; none of the pages or commands fails on any."""
    with app.app_context():
        cycles = [(c.id, c.year) for c in _db.session.scalars(select(AwardCycle))]
    b = browser("office")
    runner = app.test_cli_runner()
    for cycle_id, year in cycles:
        for page in ("show", "stage", "material_ranking", "ranking", "budget"):
            resp = b.get(f"/awardcycleview/{page}/{cycle_id}")
            assert resp.status_code == 200, (year, page)
            if page == "show":
                assert "综合评价排名" in _text(resp) and "本届审计日志" in _text(resp)
        ranked = runner.invoke(args=["award", "rank", str(year)])
        assert ranked.exit_code == 0 and "综合评价排名" in ranked.output, ranked.output
        checked = runner.invoke(args=["award", "check-quotas", str(year)])
        assert checked.exit_code == 0, checked.output


def test_the_audit_log_filters_by_cycle_and_by_application_m3(app, db, browser):
    _users(app)
    cycle, entries = _finalists(2072)
    other, _ = _finalists(2073)
    ranking.store_ranking(cycle.id)
    ranking.store_ranking(other.id)
    b = browser("office")
    page = _text(b.get(f"/auditentryview/list/?_flt_0_cycle_id={cycle.id}"))
    assert "2072年度" in page and "2073年度" not in page
    page = _text(b.get(f"/auditentryview/list/?_flt_0_application_id={entries[0].app.id}"))
    assert entries[0].app.number in page and entries[1].app.number not in page


def test_the_api_publishes_the_notice_and_resolves_an_objection_m19_6(app, db, api):
    from models import Objection

    _users(app)
    cycle = new_cycle(2074, stage="public_notice")
    e = Entry("a1", "award", "800")
    application(cycle, e, S.PROPOSED)
    today = date.today()
    notice = PublicNotice(
        cycle_id=cycle.id,
        title="公示",
        starts_on=today,
        ends_on=date.fromordinal(today.toordinal() + 6),
        how_to_object="实名",
    )
    _db.session.add(notice)
    _db.session.commit()
    client = api("office")
    assert client.post(f"/api/v1/public_notice/{notice.id}/publish").status_code == 200
    again = client.post(f"/api/v1/public_notice/{notice.id}/publish")
    assert again.status_code == 422 and again.json["rule"] == "M-19.6"
    objection = Objection(
        notice_id=notice.id,
        objector_name="赵",
        objector_contact="139",
        content="异议",
        received_on=today,
        status="open",
    )
    _db.session.add(objection)
    _db.session.commit()
    resp = client.post(f"/api/v1/objection/{objection.id}/resolve", json={})
    assert resp.status_code == 422 and "处理结果" in resp.json["message"]
    resp = client.post(f"/api/v1/objection/{objection.id}/resolve", json={"resolution": "已核实"})
    assert resp.status_code == 200 and resp.json["status"] == "resolved"


def test_malformed_input_is_refused_never_a_500(app, db, api, browser):
    _users(app)
    cycle, entries = _finalists(2075)
    client = api("office")
    resp = client.post(f"/api/v1/award_cycle/{cycle.id}/advance", json={"from_stage": "nonsense"})
    assert resp.status_code == 422 and "不是有效的评定阶段" in resp.json["message"]
    resp = client.post(f"/api/v1/award_cycle/{cycle.id}/awards", json={"awarded_on": "soon"})
    assert resp.status_code == 422
    assert client.post("/api/v1/award_cycle/999999/advance", json={}).status_code == 404
    b = browser("office")
    resp = b.post(
        f"/awardcycleview/action/decide_tie/{cycle.id}",
        {"confirm": "1", "application_id": ["x"], "reason": "r"},
        token_from=f"/awardcycleview/ranking/{cycle.id}",
        follow_redirects=True,
    )
    assert resp.status_code == 200 and "所选记录编号无效" in _text(resp)


def test_the_workflow_endpoints_are_in_the_openapi_document(app, db, api):
    f.user(app, "admin", "Admin")
    _db.session.commit()
    spec = api("admin").get("/api/v1/_openapi")
    assert spec.status_code == 200
    paths = spec.json["paths"]
    for path in (
        "/api/v1/award_cycle/{pk}/advance",
        "/api/v1/award_cycle/{pk}/rank",
        "/api/v1/award_cycle/{pk}/ranking",
        "/api/v1/award_cycle/{pk}/awards",
        "/api/v1/application/{pk}/disqualify",
        "/api/v1/application/{pk}/reinstate",
        "/api/v1/public_notice/{pk}/publish",
        "/api/v1/objection/{pk}/resolve",
    ):
        assert path in paths, path
