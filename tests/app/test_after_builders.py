"""Builders shared by the after-award tests: an award with its payment, users, form posts.

No tests here; the module name keeps it beside the tests it serves."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from models import Application, Award, AwardCycle, FollowUpReport, PrizePayment
from tests import factories as f

_n = itertools.count(1)
AWARD_MONEY = Decimal("200000.00")


def cycle_of(session, year: int) -> AwardCycle:
    return session.scalar(select(AwardCycle).where(AwardCycle.year == year)) or f.cycle(
        session, year=year, stage="announced"
    )


def award(
    session,
    year: int = 2023,
    *,
    awarded_on: date | None = None,
    individual: bool = False,
    paid: Decimal | None = AWARD_MONEY,
    applicant=None,
) -> Award:
    """An announced award in `year` (prize paid 25 days later unless `paid` is None)."""
    n = next(_n)
    cycle = cycle_of(session, year)
    prize = "nomination" if individual else "award"
    if applicant is None:
        applicant = f.individual(session) if individual else f.organization(session)
    application = Application(
        cycle_id=cycle.id,
        number=f"{year}-{'TMJ' if individual else 'ZLJ'}-{n:03d}",
        prize=prize,
        applicant_kind="individual" if individual else "organization",
        organization_id=None if individual else applicant.id,
        individual_id=applicant.id if individual else None,
        status="awarded",
    )
    session.add(application)
    session.flush()
    awarded_on = awarded_on or date(year, 11, 28)
    row = Award(
        application_id=application.id,
        cycle_id=cycle.id,
        prize=prize,
        certificate_no=f"伊政质{'提' if individual else '奖'}〔{year}〕{n:03d}号",
        awarded_on=awarded_on,
        amount=Decimal("30000.00") if individual else AWARD_MONEY,
    )
    session.add(row)
    session.flush()
    if paid is not None:
        session.add(
            PrizePayment(award_id=row.id, amount=paid, paid_on=awarded_on + timedelta(days=25))
        )
        session.flush()
    return row


def report(session, award_row: Award, year: int, **kw) -> FollowUpReport:
    values = dict(
        award_id=award_row.id,
        report_year=year,
        due_on=date(year + 1, 3, 1) - timedelta(days=1),
        status="due",
    )
    values.update(kw)
    row = FollowUpReport(**values)
    session.add(row)
    session.flush()
    return row


def users(app, db, *names_roles):
    for name, role in names_roles:
        f.user(app, name, role)
    db.session.commit()


def count(db, model, *where) -> int:
    stmt = select(func.count()).select_from(model)
    for condition in where:
        stmt = stmt.where(condition)
    return db.session.scalar(stmt)


def text(resp) -> str:
    return resp.get_data(as_text=True)
