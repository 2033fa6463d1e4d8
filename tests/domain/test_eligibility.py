"""Eligibility checklists: conditions M-11 and M-12, exclusions M-13, M-18 and bans."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain.bans import Ban, ban_for_falsification, ban_for_revocation
from app.domain.eligibility import (
    Certificate,
    CheckItem,
    Checklist,
    Incident,
    IndividualFacts,
    Judgement,
    OrganizationFacts,
    Penalty,
    PrizeNotForApplicant,
    SamplingResult,
    check_individual,
    check_organization,
    check_prize_fits_applicant,
)
from app.domain.enums import (
    ApplicantKind,
    ApplicationStatus,
    AuthorityLevel,
    BanReason,
    CheckStatus,
    IncidentKind,
    Prize,
    Severity,
)
from app.domain.errors import InvalidInput
from app.domain.identifiers import make_credit_code, make_id_number

DEADLINE = date(2024, 3, 15)
THREE_YEARS_BEFORE = date(2021, 3, 15)
ONE_DAY = timedelta(days=1)
ISO_9001 = Certificate("ISO 9001", "00121Q0001", date(2022, 1, 1), date(2025, 1, 1), True)
ORG_JUDGED = ("M-11.3", "M-11.6", "M-13.1", "M-13.5")
PERSON_JUDGED = ("M-12.2", "M-12.3", "M-12.4", "M-12.5", "M-12.6", "M-13.5")


def judged_ok(*rules: str) -> dict[str, Judgement]:
    return {rule: Judgement(rule, CheckStatus.PASS, "经核查符合") for rule in rules}


def organization(**changes) -> OrganizationFacts:
    facts = OrganizationFacts(
        name="伊宁市示范食品有限公司",
        credit_code=make_credit_code("91654002MA78X2K1P"),
        operating_since=date(2015, 6, 1),
        certificates=[ISO_9001],
        has_registered_trademark=True,
    )
    return replace(facts, **changes)


def person(**changes) -> IndividualFacts:
    facts = IndividualFacts(
        name="张三",
        id_number=make_id_number("65400219800101001"),
        quality_work_since=date(2010, 1, 1),
        works_in_yining=True,
    )
    return replace(facts, **changes)


def org_check(facts: OrganizationFacts, **kwargs) -> Checklist:
    kwargs.setdefault("judgements", judged_ok(*ORG_JUDGED))
    return check_organization(facts, DEADLINE, **kwargs)


def person_check(facts: IndividualFacts, **kwargs) -> Checklist:
    kwargs.setdefault("judgements", judged_ok(*PERSON_JUDGED))
    return check_individual(facts, DEADLINE, **kwargs)


def line(checklist: Checklist, rule: str, title_part: str = "") -> CheckItem:
    [found] = [i for i in checklist.items if i.rule == rule and title_part in i.title]
    return found


def status(checklist: Checklist, rule: str, title_part: str = "") -> CheckStatus:
    return line(checklist, rule, title_part).status


def major(kind: IncidentKind, on: date, responsible: bool = True) -> Incident:
    return Incident(kind, Severity.MAJOR, on, responsible, "批次产品质量事故")


# The award and who may apply (M-2)


def test_an_individual_cannot_apply_for_the_award_m_2():
    with pytest.raises(PrizeNotForApplicant) as raised:
        check_prize_fits_applicant(Prize.AWARD, ApplicantKind.INDIVIDUAL)
    assert raised.value.rule == "M-2"
    assert "政府质量提名奖" in raised.value.message


@pytest.mark.parametrize(
    ("prize", "kind"),
    [
        (Prize.AWARD, ApplicantKind.ORGANIZATION),
        (Prize.NOMINATION, ApplicantKind.ORGANIZATION),
        (Prize.NOMINATION, ApplicantKind.INDIVIDUAL),
    ],
)
def test_other_prize_and_applicant_combinations_are_allowed_m_2(prize, kind):
    check_prize_fits_applicant(prize, kind)


# The whole organization checklist


def test_an_organization_meeting_every_condition_is_eligible():
    checklist = org_check(organization())
    assert checklist.passed
    assert checklist.outcome_hint is ApplicationStatus.ELIGIBLE
    assert not checklist.failed_items and not checklist.pending_judgement


def test_the_checklist_lists_every_condition_with_evidence_never_only_a_yes_or_no():
    checklist = org_check(organization())
    rules = [item.rule for item in checklist.items]
    expected = ["M-11.1a", "M-11.1b", "M-11.2", "M-11.3", "M-11.4", "M-11.5", "M-11.6"]
    expected += ["M-13.1", "M-13.2", "M-13.3", "M-13.4", "M-13.5", "M-18", "M-19.1/M-28"]
    assert rules == expected
    assert all(item.title and item.evidence for item in checklist.items)


def test_judgement_conditions_wait_for_the_office_when_not_ticked():
    checklist = check_organization(organization(), DEADLINE)
    assert [i.rule for i in checklist.pending_judgement] == list(ORG_JUDGED)
    assert all(i.evidence == "待市质评办判定" for i in checklist.pending_judgement)
    assert checklist.outcome_hint is None
    assert not checklist.passed


def test_a_judgement_the_office_fails_makes_the_organization_ineligible_m_11_6():
    judgements = judged_ok("M-11.3", "M-13.1", "M-13.5")
    judgements["M-11.6"] = Judgement("M-11.6", CheckStatus.FAIL, "2023 年列入经营异常名录")
    checklist = org_check(organization(), judgements=judgements)
    assert line(checklist, "M-11.6").evidence == "市质评办判定：2023 年列入经营异常名录"
    assert checklist.failed_items == [line(checklist, "M-11.6")]
    assert checklist.outcome_hint is ApplicationStatus.RETURNED_INELIGIBLE


def test_a_failure_outweighs_pending_judgements_in_the_outcome_hint():
    checklist = check_organization(organization(has_registered_trademark=False), DEADLINE)
    assert checklist.pending_judgement
    assert checklist.outcome_hint is ApplicationStatus.RETURNED_INELIGIBLE


def test_a_decided_judgement_needs_a_note_m_3():
    with pytest.raises(InvalidInput, match="须填写判定理由"):
        Judgement("M-11.3", CheckStatus.PASS, " ")
    Judgement("M-11.3", CheckStatus.JUDGEMENT, "")


def test_a_judgement_filed_under_another_rule_is_refused():
    with pytest.raises(InvalidInput, match="不一致"):
        org_check(
            organization(), judgements={"M-11.3": Judgement("M-11.6", CheckStatus.PASS, "好")}
        )


def test_a_judgement_cannot_override_a_computed_failure():
    judgements = judged_ok(*ORG_JUDGED, "M-11.4")
    checklist = org_check(organization(has_registered_trademark=False), judgements=judgements)
    assert status(checklist, "M-11.4") is CheckStatus.FAIL


# M-11.1 domicile and years of operation


def test_an_organization_registered_in_yining_city_meets_the_domicile_condition_m_11_1():
    item = line(org_check(organization()), "M-11.1a", "住所")
    assert item.status is CheckStatus.PASS
    assert "654002" in item.evidence


def test_an_organization_registered_by_the_prefecture_needs_judgement_m_11_1():
    facts = organization(credit_code=make_credit_code("91654000MA78X2K1P"))
    assert status(org_check(facts), "M-11.1a", "住所") is CheckStatus.JUDGEMENT


def test_the_office_can_settle_a_prefecture_registration_by_judgement_m_11_1():
    facts = organization(credit_code=make_credit_code("91654000MA78X2K1P"))
    judgements = judged_ok(*ORG_JUDGED)
    judgements["M-11.1a"] = Judgement("M-11.1a", CheckStatus.PASS, "注册地址在伊宁市")
    item = line(org_check(facts, judgements=judgements), "M-11.1a", "住所")
    assert item.status is CheckStatus.PASS
    assert "654000" in item.evidence and "注册地址在伊宁市" in item.evidence


def test_an_organization_registered_elsewhere_fails_the_domicile_condition_m_11_1():
    facts = organization(credit_code=make_credit_code("91650100MA78X2K1P"))
    assert status(org_check(facts), "M-11.1a", "住所") is CheckStatus.FAIL


def test_recorded_domicile_evidence_passes_an_outside_registration_m_11_1():
    facts = organization(
        credit_code=make_credit_code("91650100MA78X2K1P"),
        domicile_evidence="住所：伊宁市新华西路 8 号（2023 年迁入）",
    )
    assert status(org_check(facts), "M-11.1a", "住所") is CheckStatus.PASS


def test_an_invalid_credit_code_fails_the_domicile_line_with_the_reason_m_11_1():
    facts = organization(credit_code="91654002MA78X2K1P0")
    item = line(org_check(facts), "M-11.1a", "住所")
    assert item.status is CheckStatus.FAIL
    assert "校验位错误" in item.evidence


def test_operating_exactly_three_years_to_the_deadline_passes_m_11_1():
    item = line(org_check(organization(operating_since=THREE_YEARS_BEFORE)), "M-11.1b", "经营")
    assert item.status is CheckStatus.PASS
    assert "2021-03-15" in item.evidence


def test_operating_three_years_minus_one_day_fails_m_11_1():
    facts = organization(operating_since=THREE_YEARS_BEFORE + ONE_DAY)
    assert status(org_check(facts), "M-11.1b", "经营") is CheckStatus.FAIL


def test_operating_since_a_leap_day_counts_to_february_28_m_11_1():
    leap_deadline = date(2024, 2, 29)
    facts = organization(operating_since=date(2021, 2, 28))
    checklist = check_organization(facts, leap_deadline, judged_ok(*ORG_JUDGED))
    assert status(checklist, "M-11.1b", "经营") is CheckStatus.PASS
    facts = organization(operating_since=date(2021, 3, 1))
    checklist = check_organization(facts, leap_deadline, judged_ok(*ORG_JUDGED))
    assert status(checklist, "M-11.1b", "经营") is CheckStatus.FAIL


def test_an_unknown_start_of_operation_fails_m_11_1():
    item = line(org_check(organization(operating_since=None)), "M-11.1b", "经营")
    assert item.status is CheckStatus.FAIL
    assert "未填报" in item.evidence


# M-11.2 certification


def test_a_certificate_valid_on_the_deadline_passes_m_11_2():
    item = line(org_check(organization()), "M-11.2")
    assert item.status is CheckStatus.PASS
    assert "00121Q0001" in item.evidence


def test_a_certificate_expiring_on_the_deadline_still_passes_m_11_2():
    cert = replace(ISO_9001, valid_to=DEADLINE)
    assert status(org_check(organization(certificates=[cert])), "M-11.2") is CheckStatus.PASS


def test_a_certificate_that_expired_the_day_before_the_deadline_fails_m_11_2():
    cert = replace(ISO_9001, valid_to=DEADLINE - ONE_DAY)
    item = line(org_check(organization(certificates=[cert])), "M-11.2")
    assert item.status is CheckStatus.FAIL
    assert "2024-03-14" in item.evidence


def test_a_certificate_not_yet_in_effect_on_the_deadline_fails_m_11_2():
    cert = replace(ISO_9001, valid_from=DEADLINE + ONE_DAY)
    assert status(org_check(organization(certificates=[cert])), "M-11.2") is CheckStatus.FAIL


def test_a_product_certificate_is_not_a_management_system_certification_m_11_2():
    ccc = Certificate("CCC", "2020010101", date(2020, 1, 1), date(2030, 1, 1), False)
    item = line(org_check(organization(certificates=[ccc])), "M-11.2")
    assert item.status is CheckStatus.FAIL
    assert "未登记管理体系认证证书" in item.evidence


def test_one_valid_certificate_among_expired_ones_passes_m_11_2():
    old = replace(ISO_9001, number="OLD", valid_to=date(2021, 12, 31))
    facts = organization(certificates=[old, ISO_9001])
    assert status(org_check(facts), "M-11.2") is CheckStatus.PASS


# M-11.4 trademark


def test_a_special_industry_is_exempt_from_the_trademark_condition_m_11_4():
    facts = organization(has_registered_trademark=False, trademark_exempt=True)
    item = line(org_check(facts), "M-11.4")
    assert item.status is CheckStatus.PASS
    assert "特殊行业" in item.evidence


def test_no_registered_trademark_fails_m_11_4():
    facts = organization(has_registered_trademark=False)
    assert status(org_check(facts), "M-11.4") is CheckStatus.FAIL


# M-11.5 and M-13.3 accidents, complaints and sampling


def test_a_major_responsible_accident_exactly_three_years_before_is_inside_m_11_5():
    facts = organization(incidents=[major(IncidentKind.QUALITY_ACCIDENT, THREE_YEARS_BEFORE)])
    checklist = org_check(facts)
    item = line(checklist, "M-11.5")
    assert item.status is CheckStatus.FAIL
    assert item.evidence.startswith("2021-03-15 重大质量事故：批次产品质量事故")
    assert item.evidence.endswith("（在截止日前3年内）")
    assert status(checklist, "M-13.3") is CheckStatus.FAIL


def test_a_major_accident_three_years_and_one_day_before_is_outside_m_11_5():
    on = THREE_YEARS_BEFORE - ONE_DAY
    facts = organization(incidents=[major(IncidentKind.SAFETY_ACCIDENT, on)])
    checklist = org_check(facts)
    assert status(checklist, "M-11.5") is CheckStatus.PASS
    assert status(checklist, "M-13.3") is CheckStatus.PASS


def test_an_accident_after_the_deadline_is_outside_the_window():
    facts = organization(incidents=[major(IncidentKind.QUALITY_ACCIDENT, DEADLINE + ONE_DAY)])
    assert org_check(facts).passed


@pytest.mark.parametrize(
    "kind", [IncidentKind.ENVIRONMENT_ACCIDENT, IncidentKind.SAFETY_ACCIDENT], ids=str
)
def test_major_environmental_and_safety_accidents_fail_m_11_5(kind):
    facts = organization(incidents=[major(kind, date(2023, 5, 1))])
    assert status(org_check(facts), "M-11.5") is CheckStatus.FAIL


def test_a_major_accident_without_responsibility_passes_m_11_5_but_excludes_under_m_13_3():
    facts = organization(
        incidents=[major(IncidentKind.QUALITY_ACCIDENT, date(2023, 5, 1), responsible=False)]
    )
    checklist = org_check(facts)
    assert status(checklist, "M-11.5") is CheckStatus.PASS
    assert status(checklist, "M-13.3") is CheckStatus.FAIL


def test_a_major_equipment_accident_excludes_under_m_13_3_only():
    facts = organization(incidents=[major(IncidentKind.EQUIPMENT_ACCIDENT, date(2023, 5, 1))])
    checklist = org_check(facts)
    assert status(checklist, "M-11.5") is CheckStatus.PASS
    assert status(checklist, "M-13.3") is CheckStatus.FAIL


def test_a_minor_accident_does_not_count_m_11_5_m_13_3():
    minor = Incident(IncidentKind.QUALITY_ACCIDENT, Severity.MINOR, date(2023, 5, 1), True)
    assert org_check(organization(incidents=[minor])).passed


def test_a_major_quality_complaint_excludes_m_13_3():
    complaint = major(IncidentKind.QUALITY_COMPLAINT, date(2022, 8, 8))
    checklist = org_check(organization(incidents=[complaint]))
    assert status(checklist, "M-11.5") is CheckStatus.PASS
    item = line(checklist, "M-13.3")
    assert item.status is CheckStatus.FAIL
    assert "2022-08-08 重大质量投诉" in item.evidence


def test_a_serious_problem_in_supervision_sampling_fails_m_11_5_and_m_13_3():
    sampling = SamplingResult(AuthorityLevel.PREFECTURE, date(2023, 6, 1), False, True, "冷鲜肉")
    checklist = org_check(organization(samplings=[sampling]))
    item = line(checklist, "M-11.5")
    assert item.status is CheckStatus.FAIL
    assert item.evidence == "2023-06-01 州级监督抽查严重质量问题：冷鲜肉（在截止日前3年内）"
    assert status(checklist, "M-13.3") is CheckStatus.FAIL


def test_a_failed_but_not_serious_sampling_excludes_under_m_13_3_only():
    sampling = SamplingResult(AuthorityLevel.CITY, date(2023, 6, 1), False, False, "面粉")
    checklist = org_check(organization(samplings=[sampling]))
    assert status(checklist, "M-11.5") is CheckStatus.PASS
    assert status(checklist, "M-13.3") is CheckStatus.FAIL


def test_a_passed_sampling_counts_for_nothing():
    sampling = SamplingResult(AuthorityLevel.NATIONAL, date(2023, 6, 1), True, False, "面粉")
    assert org_check(organization(samplings=[sampling])).passed


def test_a_failed_sampling_older_than_three_years_does_not_count_m_13_3():
    old = SamplingResult(AuthorityLevel.REGION, THREE_YEARS_BEFORE - ONE_DAY, False, True, "乳品")
    assert org_check(organization(samplings=[old])).passed


# M-13.2 compulsory licence


def test_a_product_under_compulsory_management_without_a_licence_excludes_m_13_2():
    facts = organization(compulsory_licence_required=True, compulsory_licence_held=False)
    assert status(org_check(facts), "M-13.2") is CheckStatus.FAIL


def test_a_product_under_compulsory_management_with_its_licence_passes_m_13_2():
    facts = organization(compulsory_licence_required=True, compulsory_licence_held=True)
    assert status(org_check(facts), "M-13.2") is CheckStatus.PASS


# M-13.4 penalties


def test_a_penalty_for_a_major_quality_accident_in_the_last_three_years_excludes_m_13_4():
    penalty = Penalty(THREE_YEARS_BEFORE, "伊宁市市场监督管理局", True, "罚款 20 万元")
    item = line(org_check(organization(penalties=[penalty])), "M-13.4")
    assert item.status is CheckStatus.FAIL
    assert "2021-03-15 伊宁市市场监督管理局行政处罚：罚款 20 万元" in item.evidence


def test_a_penalty_three_years_and_one_day_before_does_not_count_m_13_4():
    penalty = Penalty(THREE_YEARS_BEFORE - ONE_DAY, "伊宁市市场监督管理局", True, "罚款")
    assert status(org_check(organization(penalties=[penalty])), "M-13.4") is CheckStatus.PASS


def test_a_penalty_unrelated_to_a_major_quality_accident_does_not_count_m_13_4():
    penalty = Penalty(date(2023, 1, 1), "伊宁市税务局", False, "逾期申报")
    assert status(org_check(organization(penalties=[penalty])), "M-13.4") is CheckStatus.PASS


# M-18 and bans (M-19.1, M-28)


def test_an_application_without_a_signed_recommendation_fails_m_18():
    checklist = org_check(organization(), has_signed_recommendation=False)
    assert status(checklist, "M-18") is CheckStatus.FAIL


def test_a_revoked_organization_is_excluded_while_banned_m_28():
    facts = organization(bans=[ban_for_revocation(date(2022, 1, 10))])
    item = line(org_check(facts), "M-19.1/M-28")
    assert item.status is CheckStatus.FAIL
    assert "禁止申报至 2027-01-09" in item.evidence and "M-28" in item.evidence


def test_a_ban_that_ends_the_day_before_the_deadline_allows_applying_m_28():
    ban = Ban(BanReason.REVOKED, date(2019, 3, 15), DEADLINE - ONE_DAY)
    assert org_check(organization(bans=[ban])).passed


def test_a_falsification_found_in_the_deadline_year_bars_the_application_m_19_1():
    facts = organization(bans=[ban_for_falsification(date(2024, 1, 5))])
    item = line(org_check(facts), "M-19.1/M-28")
    assert item.status is CheckStatus.FAIL
    assert "M-19.1" in item.evidence


# Individuals (M-12, M-13)


def test_an_individual_meeting_every_condition_is_eligible():
    checklist = person_check(person())
    assert checklist.passed
    assert [item.rule for item in checklist.items] == [
        "M-12.1",
        *PERSON_JUDGED[:-1],
        "M-13.3",
        "M-13.4",
        "M-13.5",
        "M-18",
        "M-19.1/M-28",
    ]


def test_an_individual_awaits_judgement_on_m_12_2_to_m_12_6():
    checklist = check_individual(person(), DEADLINE)
    assert [i.rule for i in checklist.pending_judgement] == list(PERSON_JUDGED)


def test_exactly_five_years_of_quality_work_passes_m_12_1():
    facts = person(quality_work_since=date(2019, 3, 15))
    assert status(person_check(facts), "M-12.1") is CheckStatus.PASS


def test_five_years_minus_one_day_of_quality_work_fails_m_12_1():
    facts = person(quality_work_since=date(2019, 3, 16))
    assert status(person_check(facts), "M-12.1") is CheckStatus.FAIL


def test_quality_work_outside_yining_does_not_count_m_12_1():
    item = line(person_check(person(works_in_yining=False)), "M-12.1")
    assert item.status is CheckStatus.FAIL
    assert "本市" in item.evidence


def test_an_unknown_start_of_quality_work_fails_m_12_1():
    assert status(person_check(person(quality_work_since=None)), "M-12.1") is CheckStatus.FAIL


def test_an_administrative_sanction_in_the_last_three_years_excludes_an_individual_m_13_4():
    sanction = Penalty(date(2022, 9, 1), "伊宁市纪委监委", False, "警告处分")
    item = line(person_check(person(sanctions=[sanction])), "M-13.4")
    assert item.status is CheckStatus.FAIL
    assert "行政处分" in item.evidence and "2022-09-01" in item.evidence


def test_an_older_sanction_does_not_exclude_an_individual_m_13_4():
    sanction = Penalty(THREE_YEARS_BEFORE - ONE_DAY, "伊宁市纪委监委", False, "警告处分")
    assert person_check(person(sanctions=[sanction])).passed


def test_a_major_quality_complaint_excludes_an_individual_m_13_3():
    facts = person(incidents=[major(IncidentKind.QUALITY_COMPLAINT, date(2023, 1, 1))])
    assert status(person_check(facts), "M-13.3") is CheckStatus.FAIL


def test_a_banned_individual_is_excluded_m_28():
    facts = person(bans=[ban_for_revocation(date(2020, 3, 16))])
    assert status(person_check(facts), "M-19.1/M-28") is CheckStatus.FAIL


def test_an_individual_needs_a_signed_recommendation_m_18():
    checklist = person_check(person(), has_signed_recommendation=False)
    assert status(checklist, "M-18") is CheckStatus.FAIL
