"""The Committee's approvals (M-7): a criteria version and a cycle's procedure are used only
once the approval is recorded (who, when, reference); and the cycle's agency and its contract
period (M-6) checked when a cycle is saved."""

from app.domain import approvals as rules
from app.domain.enums import Stage
from app.domain.errors import RecordNotFound
from app.extensions import db
from app.services import audit
from app.services.transactions import atomic, expect_version
from models import Agency, AwardCycle, CriteriaVersion
from models.base import utcnow


def _version_of(cycle: AwardCycle) -> CriteriaVersion | None:
    if cycle.criteria_version is not None:
        return cycle.criteria_version
    if cycle.criteria_version_id:
        return db.session.get(CriteriaVersion, cycle.criteria_version_id)
    return None


def ensure_approved_to_open(cycle: AwardCycle) -> None:
    """M-7: the criteria version bound to the cycle and its procedure are both approved."""
    version = _version_of(cycle)
    rules.ensure_approved_to_open(
        version.code if version else "（未选择）",
        version is not None and version.approved_at is not None,
        cycle.procedure_approved_at is not None,
    )


def check_cycle(cycle: AwardCycle) -> None:
    """A saved cycle: its contract period runs forward (M-6); past the draft stage only an
    approved criteria version may be bound to it (M-7)."""
    rules.ensure_contract_dates(cycle.agency_contract_start, cycle.agency_contract_end)
    if cycle.stage and Stage(cycle.stage) is not Stage.DRAFT:
        version = _version_of(cycle)
        if version is not None and version.approved_at is None:
            raise rules.NotApprovedByCommittee(
                f"评价准则版本 {version.code} 尚未经委员会批准，不能用于已发布的{cycle.name}",
                fields={"criteria_version": "须为经委员会批准的版本"},
            )


def apply_cycle(cycle: AwardCycle, adding: bool) -> None:
    """The cycle's agency name follows the chosen agency (M-6: the cycle records the agency)."""
    agency = cycle.agency or (db.session.get(Agency, cycle.agency_id) if cycle.agency_id else None)
    if agency is not None:
        cycle.agency_name = agency.name


@atomic
def approve_criteria(version_id, reference: str, *, username: str | None = None) -> CriteriaVersion:
    """M-7: the Committee approves a criteria version (who, when, reference)."""
    version = db.session.get(CriteriaVersion, version_id)
    if version is None:
        raise RecordNotFound(f"评价准则版本 {version_id} 不存在")
    ref = rules.ensure_reference(reference)
    rules.ensure_not_yet_approved(version.approved_at is not None, f"评价准则版本 {version.code}")
    username = username or audit.current_username()
    version.approved_at, version.approved_by, version.approval_ref = utcnow(), username, ref
    db.session.flush()
    audit.record(
        "criteria_approved",
        version,
        f"评价准则版本 {version.code} 经委员会批准（{ref}）",
        reason=ref,
        username=username,
    )
    return version


@atomic
def approve_procedure(
    cycle_id, reference: str, *, expected_version=None, username: str | None = None
) -> AwardCycle:
    """M-7: the Committee approves the cycle's procedure (stages, dates, review rules)."""
    cycle = db.session.get(AwardCycle, cycle_id)
    if cycle is None:
        raise RecordNotFound(f"评定年度 {cycle_id} 不存在")
    expect_version(cycle, expected_version)
    ref = rules.ensure_reference(reference)
    rules.ensure_not_yet_approved(
        cycle.procedure_approved_at is not None, f"{cycle.name}的评审程序"
    )
    username = username or audit.current_username()
    cycle.procedure_approved_at, cycle.procedure_approved_by = utcnow(), username
    cycle.procedure_approval_ref = ref
    db.session.flush()
    audit.record(
        "procedure_approved",
        cycle,
        f"{cycle.name}的评审程序经委员会批准（{ref}）",
        reason=ref,
        cycle_id=cycle.id,
        username=username,
    )
    return cycle
