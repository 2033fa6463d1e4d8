"""The agencies that ran the demo cycles (M-6) with their contract periods, `agency1` bound to
the one running 2025, and the Committee's approvals of the criteria and procedures (M-7)."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.domain.enums import Stage
from models import Agency, AwardCycle, CriteriaVersion, agency_staff

from .context import DemoContext

AGENCY_USER = ("agency1", "新疆卓越质量管理咨询有限公司")
AGENCY_DETAILS = {
    "新疆卓越质量管理咨询有限公司": ("916540027383012345", "马晓东", "0999-8123456"),
    "伊犁恒正质量技术服务有限公司": ("916540026983054321", "吴海燕", "0999-8234567"),
}
CRITERIA_APPROVAL = (datetime(2017, 2, 10, 10, 0), "committee1", "伊食安质委纪〔2017〕1号")


def _contract(cycle: AwardCycle, today: date) -> tuple[date, date]:
    """From before the announcement to the year's end; a cycle still under way: a year on."""
    start = date(cycle.year, 2, 1)
    end = date(cycle.year, 12, 31)
    if Stage(cycle.stage).order < Stage.ANNOUNCED.order:
        end = max(end, today + timedelta(days=365))
    return start, end


def load_agencies(ctx: DemoContext) -> None:
    session = ctx.session
    version = session.get(CriteriaVersion, ctx.version.id)
    if version.approved_at is None:
        version.approved_at, version.approved_by, version.approval_ref = CRITERIA_APPROVAL
    agencies: dict[str, Agency] = {}
    for name, (code, contact, phone) in AGENCY_DETAILS.items():
        agencies[name] = ctx.add(
            Agency(name=name, credit_code=code, contact_name=contact, contact_phone=phone)
        )
    for cycle in session.scalars(select(AwardCycle).order_by(AwardCycle.year)):
        announced = cycle.announced_on or date(cycle.year, 2, 20)
        cycle.procedure_approved_at = datetime.combine(
            announced - timedelta(days=10), datetime.min.time()
        ).replace(hour=15)
        cycle.procedure_approved_by = "committee1"
        cycle.procedure_approval_ref = f"伊食安质委纪〔{cycle.year}〕2号"
        agency = agencies.get(cycle.agency_name or "")
        if agency is not None:
            cycle.agency_id = agency.id
            cycle.agency_contract_start, cycle.agency_contract_end = _contract(cycle, ctx.today)
    username, name = AGENCY_USER
    user = ctx.users.get(username)
    if user is not None:
        session.execute(agency_staff.insert().values(user_id=user.id, agency_id=agencies[name].id))
    session.flush()
