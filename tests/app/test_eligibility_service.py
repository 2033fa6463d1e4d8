"""The eligibility review service (M-19.1): checklists from the records, judgements, outcomes,
supplements, falsification bans and the Committee's confirmation. Boundary dates of the rules
themselves are tested in tests/domain; these tests check the wiring to the records."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.domain.bans import ApplicantBanned
from app.domain.enums import CheckStatus
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.stages import ActionNotAllowedInStage
from app.services import eligibility as elig
from app.services import eligibility_confirmation as confirmation
from app.services import eligibility_outcomes as outcomes
from app.services.eligibility_facts import judgement_rules
from app.services.intake import apply_application, validate_application
from models import (
    Application,
    AuditEntry,
    Ban,
    Certificate,
    EligibilityJudgement,
    EligibilityReview,
    Incident,
    Penalty,
    Recommendation,
    Recommender,
    Trademark,
)
from tests import factories as f

YEAR = 2030
DEADLINE = date(YEAR, 12, 31)
ORG_JUDGEMENTS = ["M-11.3", "M-11.6", "M-13.1", "M-13.5"]
PERSON_JUDGEMENTS = ["M-12.2", "M-12.3", "M-12.4", "M-12.5", "M-12.6", "M-13.5"]


# --- builders shared with the screen and API tests ------------------------------------------


def ready_organization(session, **kw):
    """An organization whose records pass every computed condition of M-11 and M-13."""
    org = f.organization(session, **kw)
    session.add_all(
        [
            Certificate(
                organization_id=org.id,
                standard="ISO 9001:2015",
                number=f"CQC-{org.id:05d}",
                valid_from=date(2020, 1, 1),
                valid_to=date(2040, 12, 31),
            ),
            Trademark(
                organization_id=org.id,
                name="伊河",
                registration_no=f"TM{org.id:06d}",
                registered_on=date(2015, 5, 1),
            ),
        ]
    )
    session.flush()
    return org


def recommender(session, sectors="C", user_id=None, name=None):
    rec = Recommender(
        name=name or f"伊宁市工业和信息化局{sectors or '全行业'}", sectors=sectors, user_id=user_id
    )
    session.add(rec)
    session.flush()
    return rec


def application(session, cycle, org=None, person=None, signed=True, status="submitted", **kw):
    """An application with a recommendation (signed unless `signed=False`, none if None)."""
    prize = kw.pop("prize", "award" if org is not None else "nomination")
    app = Application(
        cycle_id=cycle.id,
        number=kw.pop(
            "number",
            f"{cycle.year}-T-{session.scalar(select(func.count()).select_from(Application)) + 1:03d}",
        ),
        prize=prize,
        applicant_kind="organization" if org is not None else "individual",
        organization_id=org.id if org is not None else None,
        individual_id=person.id if person is not None else None,
        status=status,
        paper_copies=2,
        **kw,
    )
    session.add(app)
    session.flush()
    if signed is not None:
        rec = session.scalar(select(Recommender).limit(1)) or recommender(session, sectors="")
        session.add(
            Recommendation(
                application_id=app.id,
                recommender_id=rec.id,
                opinion="同意推荐",
                signatory="张主任" if signed else None,
                signed_on=date(cycle.year, 3, 1) if signed else None,
            )
        )
        session.flush()
    session.refresh(app)
    return app


def judge_all(session, app, rules, status=CheckStatus.PASS):
    for rule in rules:
        session.add(
            EligibilityJudgement(
                application_id=app.id, rule=rule, status=status.value, note="经核查符合"
            )
        )
    session.flush()


def lines(review) -> dict[str, str]:
    """rule -> status (each line has its own rule ID: M-11.1a domicile, M-11.1b operation)."""
    out: dict[str, str] = {}
    for line in review.checklist:
        out[line["rule"]] = (
            out[line["rule"]] + "," + line["status"] if line["rule"] in out else line["status"]
        )
    return out


@pytest.fixture
def cycle(db):
    return f.cycle(db.session, year=YEAR)


# --- the checklist is computed from the records ---------------------------------------------


def test_a_review_stores_every_line_with_status_and_evidence_and_changes_no_standing(db, cycle):
    """M-19.1: the result is a checklist, never a bare yes or no."""
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    review = elig.run_review(app.id, username="office")
    assert review.outcome is None and review.reviewed_by == "office"
    rules = [line["rule"] for line in review.checklist]
    for rule in ["M-11.1a", "M-11.1b", "M-11.2", "M-11.3", "M-11.4", "M-11.5", "M-11.6", "M-13.1"]:
        assert rule in rules
    for rule in ["M-13.2", "M-13.3", "M-13.4", "M-13.5", "M-18", "M-19.1/M-28"]:
        assert rule in rules
    assert all({"rule", "title", "status", "evidence"} <= set(line) for line in review.checklist)
    assert lines(review)["M-11.3"] == "judgement"
    assert "ISO 9001:2015" in next(x for x in review.checklist if x["rule"] == "M-11.2")["evidence"]
    assert db.session.get(Application, app.id).status == "submitted"


def test_records_in_the_window_fail_their_lines_with_the_record_as_evidence(db, cycle):
    """M-11.2 certificate expired on the deadline, M-11.4 trademark registered after it,
    M-13.3 a major accident and M-13.4 a major-quality penalty within 3 years (M-11.5)."""
    org = f.organization(db.session)
    db.session.add_all(
        [
            Certificate(
                organization_id=org.id,
                standard="ISO 9001:2015",
                number="OLD-1",
                valid_from=date(2024, 1, 1),
                valid_to=date(YEAR, 12, 30),
            ),
            Trademark(
                organization_id=org.id,
                name="新标",
                registration_no="T1",
                registered_on=date(YEAR + 1, 1, 5),
            ),
            Incident(
                organization_id=org.id,
                kind="quality_accident",
                severity="major",
                occurred_on=date(YEAR - 1, 6, 1),
                responsible=True,
                description="批次产品质量事故",
            ),
            Penalty(
                organization_id=org.id,
                decided_on=date(YEAR - 2, 1, 1),
                authority="伊宁市市场监督管理局",
                major_quality=True,
                description="重大质量事故处罚",
            ),
        ]
    )
    app = application(db.session, cycle, org=org)
    db.session.commit()
    got = lines(elig.run_review(app.id))
    assert got["M-11.2"] == got["M-11.4"] == got["M-11.5"] == "fail"
    assert got["M-13.3"] == got["M-13.4"] == "fail"
    review = elig.history(app.id)[0]
    evidence = {x["rule"]: x["evidence"] for x in review.checklist}
    assert "批次产品质量事故" in evidence["M-13.3"]
    assert "均不在有效期内" in evidence["M-11.2"]


def test_an_individual_gets_the_m12_checklist_and_a_sanction_fails_m13_4(db, cycle):
    person = f.individual(db.session, quality_work_since=date(YEAR - 5, 12, 31))
    db.session.add(
        Penalty(
            individual_id=person.id,
            decided_on=date(YEAR, 2, 1),
            authority="伊宁市纪委监委",
            description="行政记过处分",
        )
    )
    app = application(db.session, cycle, person=person)
    db.session.commit()
    got = lines(elig.run_review(app.id))
    assert got["M-12.1"] == "pass"
    assert all(got[r] == "judgement" for r in PERSON_JUDGEMENTS)
    assert got["M-13.4"] == "fail"
    assert "M-11.2" not in got


def test_an_unsigned_recommendation_fails_m18_and_the_application_cannot_be_eligible(db, cycle):
    """M-18: a recommendation without signatory and date does not count: the review does not
    start (issue 18) and the application cannot be found eligible."""
    app = application(db.session, cycle, org=ready_organization(db.session), signed=False)
    judge_all(db.session, app, ORG_JUDGEMENTS)
    db.session.commit()
    with pytest.raises(RuleViolation) as not_started:
        elig.run_review(app.id)
    assert not_started.value.rule == "M-18" and "尚未签署" in str(not_started.value)
    with pytest.raises(outcomes.NotAllConditionsMet) as refused:
        outcomes.record_outcome(app.id, "eligible", today=date(YEAR, 6, 1))
    assert "M-18" in str(refused.value) and refused.value.rule == "M-19.1"
    db.session.expire_all()
    assert db.session.get(Application, app.id).status == "submitted"


def test_an_application_without_any_recommendation_fails_m18(db, cycle):
    """M-18: without a recommendation the eligibility review does not start (issue 18)."""
    app = application(db.session, cycle, org=ready_organization(db.session), signed=None)
    db.session.commit()
    with pytest.raises(RuleViolation) as not_started:
        elig.run_review(app.id)
    assert not_started.value.rule == "M-18" and "尚无推荐" in str(not_started.value)


def test_a_ban_recorded_for_the_applicant_fails_the_ban_line(db, cycle):
    """M-28: a revoked winner is barred for 5 years; the line names the end date."""
    org = ready_organization(db.session)
    db.session.add(
        Ban(
            organization_id=org.id,
            reason="revoked",
            starts_on=date(YEAR - 2, 5, 1),
            ends_on=date(YEAR + 3, 4, 30),
        )
    )
    app = application(db.session, cycle, org=org)
    db.session.commit()
    review = elig.run_review(app.id)
    ban_line = next(x for x in review.checklist if x["rule"] == "M-19.1/M-28")
    assert ban_line["status"] == "fail" and f"{YEAR + 3}-04-30" in ban_line["evidence"]


# --- judgements ticked by the Office -------------------------------------------------------


def test_the_office_ticks_the_judgement_lines_and_then_the_application_may_be_eligible(db, cycle):
    """RULES.md §3: M-11.3, M-11.6, M-13.1, M-13.5 are ticked by the Office with a note."""
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    with pytest.raises(outcomes.NotAllConditionsMet) as refused:
        outcomes.record_outcome(app.id, "eligible", today=date(YEAR, 6, 1))
    assert "需人工判定" in str(refused.value)
    assert judgement_rules(app) == ORG_JUDGEMENTS
    for rule in ORG_JUDGEMENTS:
        review = elig.record_judgement(
            app.id, rule, "pass", f"{rule} 经核查符合", username="office"
        )
    assert {line["status"] for line in review.checklist} == {"pass"}
    judged = next(x for x in review.checklist if x["rule"] == "M-11.6")
    assert judged["evidence"].startswith("市质评办判定：M-11.6 经核查符合")
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "eligibility_judgement")
    )
    assert len(list(entries)) == 4
    outcome = outcomes.record_outcome(app.id, "eligible", today=date(YEAR, 6, 1), username="office")
    assert outcome.outcome == "eligible" and outcome.reviewed_by == "office"
    assert db.session.get(Application, app.id).status == "eligible"


def test_a_judgement_needs_a_note_and_must_be_for_a_line_that_needs_judgement(db, cycle):
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    with pytest.raises(InvalidInput, match="判定理由"):
        elig.record_judgement(app.id, "M-11.3", "pass", "  ")
    with pytest.raises(InvalidInput, match="不是该申报需人工判定的条件"):
        elig.record_judgement(app.id, "M-11.2", "pass", "证书有效")
    assert db.session.scalar(select(func.count()).select_from(EligibilityJudgement)) == 0


def test_a_judged_fail_makes_the_line_fail(db, cycle):
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    review = elig.record_judgement(app.id, "M-13.1", "fail", "属淘汰类产能")
    assert lines(review)["M-13.1"] == "fail"


# --- outcomes -------------------------------------------------------------------------------


def _audit(db, action):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_returned_incomplete_takes_missing_items_and_a_default_supplement_deadline(db, cycle):
    """M-19.1: incomplete applications are returned with what is missing and a deadline."""
    cycle.supplement_days = 15
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    with pytest.raises(InvalidInput, match="缺少"):
        outcomes.record_outcome(app.id, "returned_incomplete", today=date(YEAR, 4, 1))
    review = outcomes.record_outcome(
        app.id,
        "returned_incomplete",
        missing_items="自评报告第5部分；ISO 9001 证书复印件",
        today=date(YEAR, 4, 1),
        username="office",
    )
    assert review.supplement_deadline == date(YEAR, 4, 16)
    app = db.session.get(Application, app.id)
    assert app.status == "returned_incomplete" and app.supplement_deadline == date(YEAR, 4, 16)
    entry = _audit(db, "eligibility_outcome")[0]
    assert entry.username == "office" and "补正期限至" in entry.summary
    assert entry.reason.startswith("自评报告")


def test_a_supplement_in_time_sends_the_application_back_for_a_new_review(db, cycle):
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    outcomes.record_outcome(
        app.id,
        "returned_incomplete",
        missing_items="财务报表",
        supplement_deadline="2030-04-20",
        today=date(YEAR, 4, 1),
    )
    outcomes.record_supplement(app.id, "已补交财务报表", today=date(YEAR, 4, 20), username="office")
    app = db.session.get(Application, app.id)
    assert app.status == "submitted" and app.supplement_deadline is None
    assert _audit(db, "eligibility_supplement")[0].reason == "已补交财务报表"


def test_a_supplement_after_its_deadline_is_refused_and_nothing_changes(db, cycle):
    """M-19.1: the supplement must arrive before the deadline."""
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    outcomes.record_outcome(
        app.id,
        "returned_incomplete",
        missing_items="财务报表",
        supplement_deadline=date(YEAR, 4, 20),
        today=date(YEAR, 4, 1),
    )
    with pytest.raises(outcomes.SupplementTooLate) as late:
        outcomes.record_supplement(app.id, "补交", today=date(YEAR, 4, 21))
    assert late.value.rule == "M-19.1" and "2030年4月20日" in str(late.value)
    db.session.expire_all()
    assert db.session.get(Application, app.id).status == "returned_incomplete"


def test_a_supplement_is_refused_for_an_application_that_was_not_returned_incomplete(db, cycle):
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    with pytest.raises(elig.WrongStanding):
        outcomes.record_supplement(app.id, today=date(YEAR, 4, 1))


def test_returned_ineligible_takes_the_failed_lines_as_reasons_when_none_are_given(db, cycle):
    org = f.organization(db.session)  # no certificate, no trademark
    app = application(db.session, cycle, org=org)
    db.session.commit()
    review = outcomes.record_outcome(app.id, "returned_ineligible", today=date(YEAR, 5, 1))
    assert "M-11.2" in review.reasons and "M-11.4" in review.reasons
    assert db.session.get(Application, app.id).office_note == review.reasons


def test_returned_ineligible_without_any_reason_is_refused(db, cycle):
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    with pytest.raises(InvalidInput, match="须写明理由"):
        outcomes.record_outcome(app.id, "returned_ineligible", today=date(YEAR, 5, 1))


def test_falsified_bars_the_applicant_from_that_cycle_but_not_the_next_one_opened_in_december(
    db, cycle
):
    """M-19.1: a falsified application bars the applicant from the same cycle (当年不得补报);
    the next year's cycle, open before the calendar year ends, accepts it."""
    org = ready_organization(db.session)
    app = application(db.session, cycle, org=org)
    next_cycle = f.cycle(
        db.session, year=YEAR + 1, opens_on=date(YEAR, 12, 1), deadline=date(YEAR + 1, 3, 31)
    )
    db.session.commit()
    with pytest.raises(InvalidInput, match="须写明理由"):
        outcomes.record_outcome(app.id, "returned_falsified", today=date(YEAR, 3, 10))
    outcomes.record_outcome(
        app.id,
        "returned_falsified",
        reasons="ISO 证书系伪造",
        today=date(YEAR, 3, 10),
        username="office",
    )
    ban = db.session.scalar(select(Ban))
    assert (ban.reason, ban.starts_on, ban.ends_on) == ("falsified", date(YEAR, 3, 10), DEADLINE)
    assert ban.organization_id == org.id and ban.application_id == app.id
    assert f"{YEAR}年度评定不得补报" in _audit(db, "eligibility_outcome")[0].summary

    again = Application(cycle_id=cycle.id, prize="award", organization_id=org.id)
    with pytest.raises(ApplicantBanned) as refused:
        validate_application(again, adding=True, today=date(YEAR, 12, 31))
    assert refused.value.rule == "M-19.1" and f"{YEAR}年度评定不得补报" in str(refused.value)
    fresh = Application(cycle_id=next_cycle.id, prize="award", organization_id=org.id)
    validate_application(fresh, adding=True, today=date(YEAR, 12, 2))
    apply_application(fresh, adding=True)
    assert fresh.number == f"{YEAR + 1}-ZLJ-001"


def test_a_falsified_finding_is_final(db, cycle):
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    outcomes.record_outcome(app.id, "returned_falsified", reasons="伪造", today=date(YEAR, 3, 10))
    with pytest.raises(elig.WrongStanding):
        outcomes.record_outcome(
            app.id, "returned_ineligible", reasons="改判", today=date(YEAR, 3, 11)
        )


def test_an_unknown_outcome_or_a_stale_version_is_refused(db, cycle):
    app = application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    with pytest.raises(InvalidInput, match="结论 approved 无效"):
        outcomes.record_outcome(app.id, "approved")
    with pytest.raises(elig.StaleApplication):
        outcomes.record_outcome(
            app.id, "returned_ineligible", reasons="x", expected_version=app.version + 1
        )


def test_the_review_is_refused_outside_the_intake_stages(db, cycle):
    """M-17: no eligibility decisions once the cycle has moved on to the material review."""
    app = application(db.session, cycle, org=ready_organization(db.session))
    cycle.stage = "material_review"
    db.session.commit()
    with pytest.raises(ActionNotAllowedInStage):
        elig.run_review(app.id)
    with pytest.raises(ActionNotAllowedInStage):
        outcomes.record_outcome(app.id, "returned_ineligible", reasons="x")
    run = elig.run_reviews([app.id])
    assert not run.reviews and "材料评审" in run.summary()
    assert db.session.scalar(select(func.count()).select_from(EligibilityReview)) == 0


# --- the Committee's confirmation -------------------------------------------------------------


def test_the_committee_cannot_confirm_while_applications_await_a_conclusion(db, cycle):
    """M-19.1: the eligible list is confirmed once every application has its outcome."""
    cycle.stage = "eligibility"
    first = application(db.session, cycle, org=ready_organization(db.session))
    application(db.session, cycle, org=ready_organization(db.session))
    db.session.commit()
    with pytest.raises(confirmation.ReviewsStillOpen) as refused:
        confirmation.confirm_eligible(cycle.id, today=date(YEAR, 6, 1))
    assert "尚有 2 份" in str(refused.value) and refused.value.rule == "M-19.1"
    outcomes.record_outcome(
        first.id,
        "returned_incomplete",
        missing_items="附件",
        supplement_deadline=date(YEAR, 6, 10),
        today=date(YEAR, 6, 1),
    )
    with pytest.raises(confirmation.ReviewsStillOpen) as refused:
        confirmation.confirm_eligible(cycle.id, today=date(YEAR, 6, 1))
    assert "尚有 1 份已提交" in str(refused.value) and "1 份退回补正" in str(refused.value)
    assert db.session.get(type(cycle), cycle.id).eligibility_confirmed_at is None


def test_the_confirmation_records_who_when_and_the_tally_and_a_later_change_voids_it(db, cycle):
    cycle.stage = "eligibility"
    good = application(db.session, cycle, org=ready_organization(db.session))
    judge_all(db.session, good, ORG_JUDGEMENTS)
    bad = application(db.session, cycle, org=f.organization(db.session))
    db.session.commit()
    outcomes.record_outcome(good.id, "eligible", today=date(YEAR, 6, 1))
    outcomes.record_outcome(bad.id, "returned_ineligible", today=date(YEAR, 6, 1))
    at = datetime(YEAR, 6, 25, 7, 0)
    confirmed = confirmation.confirm_eligible(cycle.id, now=at, username="committee1")
    assert confirmed.eligibility_confirmed_at == at
    assert confirmed.eligibility_confirmed_by == "committee1"
    assert "资格审查通过 1 份" in confirmed.eligibility_confirmation_note
    entry = _audit(db, "eligibility_confirmed")[0]
    assert entry.details["eligible"] == [good.number] and entry.username == "committee1"

    outcomes.record_outcome(bad.id, "returned_falsified", reasons="伪造", today=date(YEAR, 6, 26))
    assert db.session.get(type(cycle), cycle.id).eligibility_confirmed_at is None
    assert _audit(db, "eligibility_confirmation_voided")


def test_the_confirmation_is_refused_outside_the_eligibility_stage(db, cycle):
    with pytest.raises(ActionNotAllowedInStage) as refused:
        confirmation.confirm_eligible(cycle.id)
    assert "资格审查" in str(refused.value)


def test_every_refusal_names_its_rule(db, cycle):
    app = application(db.session, cycle, org=ready_organization(db.session), signed=False)
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        outcomes.record_outcome(app.id, "eligible")
    assert f"（{refused.value.rule}）" in str(refused.value)


def test_a_version_that_is_not_a_number_is_refused_by_name_not_a_500():
    """A crafted `version` on an eligibility step was int()-ed and crashed; now it is refused
    naming the field, and a stale one still answers with the current version (409)."""
    from types import SimpleNamespace

    from app.domain.errors import InvalidInput
    from app.services.eligibility import StaleApplication, ensure_version

    row = SimpleNamespace(version=3)
    with pytest.raises(InvalidInput) as refused:
        ensure_version(row, "abc")
    assert refused.value.fields == {"version": "应为整数版本号"}
    with pytest.raises(StaleApplication) as stale:
        ensure_version(row, "2")
    assert stale.value.version == 3
    ensure_version(row, "3")
    ensure_version(row, "")
