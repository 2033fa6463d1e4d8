"""M-26, M-28: a revocation case, verified by the Office, reviewed by the Committee, approved by the city."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from app.domain.enums import RevocationGround, RevocationStatus
from app.domain.errors import RuleViolation
from app.domain.money import to_money

# The five-year ban that follows an approved revocation (M-28) is `bans.ban_for_revocation`.

Action = Literal["verify", "review", "approve", "dismiss"]

OFFICE, COMMITTEE, ADMIN = "Office", "Committee", "Admin"
ROLE_ZH = {OFFICE: "市质评办", COMMITTEE: "委员会", ADMIN: "系统管理员"}
ACTION_ZH = {
    "verify": "核实",
    "review": "审议",
    "approve": "录入市政府批准撤销",
    "dismiss": "作出不予撤销决定",
}


class RevocationIncomplete(RuleViolation):
    rule = "M-26"
    default_message = "撤销案件缺少撤销事由或证据"


class RevocationStepRefused(RuleViolation):
    rule = "M-26"
    default_message = "撤销程序须按市质评办核实、委员会审议、市政府批准的顺序办理"


@dataclass(frozen=True)
class _Step:
    from_status: RevocationStatus
    to_status: RevocationStatus
    roles: frozenset[str]


# Each forward step, keyed by the status it starts from; a dismissal at a step is made by
# whoever would have taken that step (the city's refusal is recorded like its approval).
_FORWARD = {
    "verify": _Step(RevocationStatus.OPEN, RevocationStatus.VERIFIED, frozenset({OFFICE})),
    "review": _Step(RevocationStatus.VERIFIED, RevocationStatus.REVIEWED, frozenset({COMMITTEE})),
    "approve": _Step(
        RevocationStatus.REVIEWED, RevocationStatus.APPROVED, frozenset({OFFICE, ADMIN})
    ),
}
_DISMISS_ROLES = {step.from_status: step.roles for step in _FORWARD.values()}
_NEXT_ACTION = {step.from_status: action for action, step in _FORWARD.items()}


def ensure_case_complete(ground: RevocationGround | None, evidence: str | None) -> None:
    """A case names one of the grounds of M-26 (1)-(5) and the evidence for it."""
    missing = []
    if ground is None:
        missing.append("撤销事由")
    if not (evidence or "").strip():
        missing.append("证据材料")
    if missing:
        raise RevocationIncomplete(f"撤销案件缺少{'和'.join(missing)}")


def _roles_zh(roles: frozenset[str]) -> str:
    return "或".join(f"{ROLE_ZH[r]}（{r}）" for r in sorted(roles, key=list(ROLE_ZH).index))


def _ensure_role(action: Action, roles: frozenset[str], role: str) -> None:
    if role not in roles:
        raise RevocationStepRefused(
            f"「{ACTION_ZH[action]}」须由{_roles_zh(roles)}办理，当前角色为 {role}"
        )


def advance_case(
    status: RevocationStatus, action: Action, role: str, city_document_no: str | None = None
) -> RevocationStatus:
    """The case's status after `role` takes `action`; refuses a step out of order or by the wrong role.

    'approve' records the city government's approval and needs its document number.
    """
    if action not in ACTION_ZH:
        raise RevocationStepRefused(f"未知的撤销程序操作：{action}")
    if status in (RevocationStatus.APPROVED, RevocationStatus.DISMISSED):
        raise RevocationStepRefused(f"撤销案件已办结（{status.label}），不能再{ACTION_ZH[action]}")
    if action == "dismiss":
        _ensure_role(action, _DISMISS_ROLES[status], role)
        return RevocationStatus.DISMISSED
    step = _FORWARD[action]
    if status is not step.from_status:
        expected = _NEXT_ACTION[status]
        raise RevocationStepRefused(
            f"案件当前状态为「{status.label}」，不能「{ACTION_ZH[action]}」；"
            f"下一步应由{_roles_zh(_FORWARD[expected].roles)}「{ACTION_ZH[expected]}」"
        )
    _ensure_role(action, step.roles, role)
    if action == "approve" and not (city_document_no or "").strip():
        raise RevocationIncomplete("录入市政府批准撤销须填写市政府批准文号")
    return step.to_status


def recovery_items(prize_money: Decimal) -> list[tuple[str, Decimal | None]]:
    """What is recovered from a revoked winner (M-26): the plaque, the certificate, the money paid."""
    return [("牌匾", None), ("证书", None), ("奖金", to_money(prize_money))]
