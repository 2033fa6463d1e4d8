"""M-26: revocation verified by the Office, reviewed by the Committee, approved by the city."""

from decimal import Decimal

import pytest

from app.domain.enums import RevocationGround, RevocationStatus
from app.domain.revocation import (
    RevocationIncomplete,
    RevocationStepRefused,
    advance_case,
    ensure_case_complete,
    recovery_items,
)

S = RevocationStatus


def test_a_case_goes_open_verified_reviewed_approved_m26():
    status = advance_case(S.OPEN, "verify", "Office")
    assert status is S.VERIFIED
    status = advance_case(status, "review", "Committee")
    assert status is S.REVIEWED
    assert advance_case(status, "approve", "Office", city_document_no="伊市政发〔2025〕12号") is (
        S.APPROVED
    )


def test_the_admin_may_record_the_city_approval():
    assert advance_case(S.REVIEWED, "approve", "Admin", "伊市政发〔2025〕12号") is S.APPROVED


def test_the_city_approval_needs_its_document_number():
    with pytest.raises(RevocationIncomplete, match="批准文号"):
        advance_case(S.REVIEWED, "approve", "Office", "  ")


def test_the_committee_cannot_review_before_the_office_verifies_m26():
    with pytest.raises(RevocationStepRefused) as e:
        advance_case(S.OPEN, "review", "Committee")
    assert e.value.message == (
        "案件当前状态为「待核实」，不能「审议」；下一步应由市质评办（Office）「核实」"
    )
    assert e.value.rule == "M-26"


def test_approval_before_the_committee_review_is_refused_m26():
    with pytest.raises(RevocationStepRefused, match="委员会（Committee）「审议」"):
        advance_case(S.VERIFIED, "approve", "Office", "伊市政发〔2025〕12号")


def test_only_the_office_verifies_m26():
    with pytest.raises(RevocationStepRefused) as e:
        advance_case(S.OPEN, "verify", "Committee")
    assert e.value.message == "「核实」须由市质评办（Office）办理，当前角色为 Committee"


def test_only_the_committee_reviews_m26():
    for role in ("Office", "Admin"):
        with pytest.raises(RevocationStepRefused, match="委员会（Committee）"):
            advance_case(S.VERIFIED, "review", role)


def test_the_committee_cannot_record_the_city_approval():
    with pytest.raises(RevocationStepRefused, match="市质评办（Office）或系统管理员（Admin）"):
        advance_case(S.REVIEWED, "approve", "Committee", "伊市政发〔2025〕12号")


@pytest.mark.parametrize(
    "status,role",
    [(S.OPEN, "Office"), (S.VERIFIED, "Committee"), (S.REVIEWED, "Office"), (S.REVIEWED, "Admin")],
)
def test_a_case_may_be_dismissed_at_any_step_by_whoever_takes_that_step(status, role):
    assert advance_case(status, "dismiss", role) is S.DISMISSED


def test_the_office_cannot_dismiss_a_case_awaiting_the_committee():
    with pytest.raises(RevocationStepRefused, match="作出不予撤销决定"):
        advance_case(S.VERIFIED, "dismiss", "Office")


@pytest.mark.parametrize("status", [S.APPROVED, S.DISMISSED])
@pytest.mark.parametrize("action", ["verify", "review", "approve", "dismiss"])
def test_a_closed_case_takes_no_further_step(status, action):
    with pytest.raises(RevocationStepRefused, match="已办结"):
        advance_case(status, action, "Admin", "伊市政发〔2025〕12号")


def test_an_unknown_action_is_refused():
    with pytest.raises(RevocationStepRefused):
        advance_case(S.OPEN, "revoke", "Office")  # type: ignore[arg-type]


def test_a_case_needs_a_ground_and_evidence_m26():
    ensure_case_complete(RevocationGround.LOSS, "2025年度财务报表")
    with pytest.raises(RevocationIncomplete, match="缺少撤销事由和证据材料"):
        ensure_case_complete(None, " ")
    with pytest.raises(RevocationIncomplete, match="缺少证据材料"):
        ensure_case_complete(RevocationGround.ACCIDENT, None)


def test_the_plaque_certificate_and_prize_money_are_recovered_m26():
    assert recovery_items(Decimal("200000")) == [
        ("牌匾", None),
        ("证书", None),
        ("奖金", Decimal("200000.00")),
    ]
