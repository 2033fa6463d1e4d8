"""The online form's rules (issue 18): the completeness checklist (M-18, M-11), what an
applicant may edit (M-18, M-19.1), the lapse of a late supplement (M-19.1), and what it sees
of its standing before the result is public (M-19.6, M-24)."""

from datetime import date

import pytest

from app.domain import applicant_portal as rules
from app.domain.enums import ApplicationStatus as S
from app.domain.enums import Prize


def _facts(**kw):
    values = dict(
        organization=True,
        prize=Prize.AWARD,
        basic={f: "x" for f, _l in rules.ORG_BASIC},
        evidence_kinds={k for k, _l, _r in rules.ORG_EVIDENCE},
        self_assessment={k: "text" for k, _l in rules.SELF_ASSESSMENT_PARTS},
        deeds="",
        recommender_chosen=True,
        incidents_declared=True,
        truth_pledged=True,
    )
    values.update(kw)
    return rules.FormFacts(**values)


def test_a_complete_organization_form_has_nothing_missing_m18():
    assert rules.missing(rules.checklist(_facts())) == []
    rules.ensure_complete(rules.checklist(_facts()))


def test_the_checklist_names_each_missing_piece_with_its_rule_m11_m18():
    facts = _facts(evidence_kinds={"registration"}, self_assessment={}, recommender_chosen=False)
    missing = rules.missing(rules.checklist(facts))
    rules_named = {line.rule for line in missing}
    assert {"M-11.2", "M-11.4", "M-11.3", "M-18"} <= rules_named
    assert any("结果" in line.title for line in missing)
    with pytest.raises(rules.ApplicationIncomplete) as refused:
        rules.ensure_complete(rules.checklist(facts))
    assert "M-11.4" in str(refused.value) and refused.value.rule == "M-18"


def test_an_individual_writes_deeds_instead_of_the_seven_parts_m18():
    facts = _facts(
        organization=False,
        prize=Prize.NOMINATION,
        basic={f: "x" for f, _l in rules.PERSON_BASIC},
        evidence_kinds={k for k, _l, _r in rules.PERSON_EVIDENCE},
        self_assessment={},
        deeds="",
    )
    missing = rules.missing(rules.checklist(facts))
    assert [line.title for line in missing] == ["先进事迹材料"]
    written = rules.FormFacts(**{**facts.__dict__, "deeds": "事迹"})
    assert rules.missing(rules.checklist(written)) == []


def test_a_draft_is_editable_a_submitted_application_is_read_only_m18():
    assert rules.editable_sections(S.DRAFT, None) == set(rules.SECTIONS)
    assert rules.editable_sections(S.SUBMITTED, None) == set()
    with pytest.raises(rules.ApplicationLocked):
        rules.ensure_section_editable(S.SUBMITTED, None, "basic")


def test_a_returned_application_is_editable_only_where_the_office_asked_m19_1():
    rules.ensure_section_editable(S.RETURNED_INCOMPLETE, ["evidence"], "evidence")
    with pytest.raises(rules.SectionNotReturned) as refused:
        rules.ensure_section_editable(S.RETURNED_INCOMPLETE, ["evidence"], "basic")
    assert refused.value.rule == "M-19.1" and "佐证材料" in str(refused.value)
    assert rules.editable_sections(S.RETURNED_INCOMPLETE, None) == set(rules.SECTIONS)


def test_a_supplement_not_made_by_its_deadline_lapses_m19_1():
    deadline = date(2026, 6, 30)
    assert not rules.supplement_lapsed(S.RETURNED_INCOMPLETE, deadline, date(2026, 6, 30))
    assert rules.supplement_lapsed(S.RETURNED_INCOMPLETE, deadline, date(2026, 7, 1))
    assert not rules.supplement_lapsed(S.SUBMITTED, deadline, date(2026, 7, 1))


def test_an_applicant_sees_no_ranking_or_proposal_before_the_result_is_public_m24():
    for status in (S.SHORTLISTED, S.NOT_SHORTLISTED, S.FINALIST, S.PROPOSED):
        assert rules.status_for_applicant(status, result_public=False) == "评审中"
    assert rules.status_for_applicant(S.AWARDED, result_public=True) == "获奖"
    assert rules.status_for_applicant(S.RETURNED_INCOMPLETE, False) == "退回补正"
