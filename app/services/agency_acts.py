"""What the third-party agency's staff may change (M-6, M-10): groups, members and assignments
of the cycles their agency runs, and only while its contract for the cycle is in force."""

from datetime import date

from flask import g

from app.domain.approvals import ensure_within_contract
from app.domain.errors import RuleViolation
from app.extensions import db
from app.security.roles import AGENCY
from app.security.scopes import agency_id_of, role_names, sees_all
from models import AwardCycle, ReviewAssignment, ReviewGroup, ReviewGroupMember


class NotTheCyclesAgency(RuleViolation):
    rule = "M-6"
    default_message = "本届评审不由您所在的第三方机构承办"


def acting_agency_id() -> int | None:
    """The agency a signed-in Agency user acts for (-1: bound to none); None for others."""
    user = getattr(g, "user", None)
    if user is None or sees_all(user) or AGENCY not in role_names(user):
        return None
    return agency_id_of(user) or -1


def _cycle_of(item) -> AwardCycle | None:
    if isinstance(item, ReviewGroup):
        return item.cycle or (db.session.get(AwardCycle, item.cycle_id) if item.cycle_id else None)
    if isinstance(item, ReviewGroupMember | ReviewAssignment):
        group = item.group or (
            db.session.get(ReviewGroup, item.group_id) if item.group_id else None
        )
        return _cycle_of(group) if group is not None else None
    return None


def check_agency_act(item, today: date | None = None) -> None:
    """M-6: an agency user changes a group, member or assignment only of a cycle its agency
    runs, within the contract period (RULES.md decision, README). Others pass."""
    agency_id = acting_agency_id()
    if agency_id is None:
        return
    # A check before the change: reading the cycle and its agency must not flush a new
    # member or assignment half-made (SQLAlchemy warned that it would not add it).
    with db.session.no_autoflush:
        cycle = _cycle_of(item)
        if cycle is None:
            return  # the record's own validator names the missing cycle or group
        agency_name = cycle.agency.name if cycle.agency else "第三方机构"
    if cycle.agency_id != agency_id:
        raise NotTheCyclesAgency(f"{cycle.name}的评审不由您所在的第三方机构承办，不能变更")
    ensure_within_contract(
        agency_name, cycle.agency_contract_start, cycle.agency_contract_end, today or date.today()
    )
