"""The Committee's approvals (M-7) and the agency's contract period (M-6), as pure rules."""

from datetime import date

from .errors import InvalidInput, RuleViolation


class NotApprovedByCommittee(RuleViolation):
    rule = "M-7"
    default_message = "评价标准和评审程序须经委员会批准后方可使用"


class AlreadyApproved(RuleViolation):
    rule = "M-7"
    default_message = "已记录委员会的批准，不能重复记录"


class OutsideAgencyContract(RuleViolation):
    rule = "M-6"
    default_message = "第三方机构只能在委托合同期限内组织本届评审"


def ensure_reference(reference: str) -> str:
    """M-7: an approval names its reference (会议纪要文号)."""
    ref = (reference or "").strip()
    if not ref:
        raise InvalidInput(
            "请填写委员会批准的依据（如会议纪要文号）（M-7）",
            fields={"reference": "请填写会议纪要文号等批准依据"},
        )
    if len(ref) > 200:
        raise InvalidInput("批准依据不能超过 200 字", fields={"reference": "不能超过 200 字"})
    return ref


def ensure_not_yet_approved(approved: bool, what: str) -> None:
    if approved:
        raise AlreadyApproved(f"{what}已记录委员会的批准，不能重复记录")


def ensure_approved_to_open(criteria_code: str, criteria_approved: bool, procedure_approved: bool):
    """M-7: a cycle leaves the draft (is announced and opens) only with an approved criteria
    version and an approved procedure."""
    missing = []
    if not criteria_approved:
        missing.append(f"评价准则版本 {criteria_code} 尚未经委员会批准")
    if not procedure_approved:
        missing.append("本届评审程序尚未经委员会批准")
    if missing:
        raise NotApprovedByCommittee("；".join(missing) + "，不能发布和开始受理申报")


def ensure_contract_dates(start: date | None, end: date | None) -> None:
    """M-6: the contract period runs forward."""
    if start and end and end < start:
        raise InvalidInput(
            "第三方机构委托合同的结束日期不能早于开始日期（M-6）",
            fields={"agency_contract_end": "不能早于开始日期"},
        )


def ensure_within_contract(
    agency_name: str, start: date | None, end: date | None, on: date
) -> None:
    """M-6 (decision): the agency's staff form groups and assignments of a cycle only while
    its contract for that cycle is in force; without recorded dates, never."""
    if start is None or end is None:
        raise OutsideAgencyContract(
            f"本届未登记{agency_name}的委托合同期限，第三方机构不能组建评审组或分配评审"
        )
    if not start <= on <= end:
        raise OutsideAgencyContract(
            f"{agency_name}的委托合同期限为 {start.isoformat()} 至 {end.isoformat()}，"
            f"{on.isoformat()} 不在期限内，不能组建评审组或分配评审"
        )
