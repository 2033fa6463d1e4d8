"""Small builders for test records; every value valid unless a test overrides it."""

import itertools
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from app.domain.identifiers import make_credit_code, make_id_number
from models import AwardCycle, CriteriaVersion, Individual, Organization

_seq = itertools.count(1)


def credit_code(division: str = "654002") -> str:
    n = next(_seq)
    return make_credit_code(f"91{division}{n:09d}")


def id_number(birth: str = "19800101") -> str:
    n = next(_seq) % 1000
    return make_id_number(f"654002{birth}{n:03d}")


def organization(session, **kw) -> Organization:
    values = dict(
        name=f"伊宁市测试企业{next(_seq)}有限公司",
        credit_code=credit_code(),
        industry_code="C",
        operating_since=date(2010, 1, 1),
        district="伊宁市",
    )
    values.update(kw)
    org = Organization(**values)
    session.add(org)
    session.flush()
    return org


def individual(session, **kw) -> Individual:
    values = dict(
        name=f"测试人员{next(_seq)}", id_number=id_number(), quality_work_since=date(2010, 1, 1)
    )
    values.update(kw)
    person = Individual(**values)
    session.add(person)
    session.flush()
    return person


def cycle(session, year: int = 2030, **kw) -> AwardCycle:
    version = session.scalar(select(CriteriaVersion).limit(1))
    values = dict(
        year=year,
        name=f"{year}年度伊宁市政府质量奖",
        stage="applications_open",
        opens_on=date(year, 1, 1),
        deadline=date(year, 12, 31),
        criteria_version_id=version.id,
        budget=Decimal("600000.00"),
        # M-7: the Committee approved the procedure (a test of M-7 passes None).
        procedure_approved_at=datetime(year - 1, 12, 1, 10, 0),
        procedure_approved_by="committee1",
        procedure_approval_ref=f"伊食安质委纪〔{year - 1}〕9号",
    )
    values.update(kw)
    c = AwardCycle(**values)
    session.add(c)
    session.flush()
    return c


def user(app, username: str, role: str, password: str = "demo12345"):
    sm = app.appbuilder.sm
    found = sm.find_user(username=username)
    if found:
        return found
    with sm.demo_accounts():  # test users keep demo12345, like the demo data set
        return sm.add_user(
            username,
            username[:1],
            username[1:] or username,
            f"{username}@example.cn",
            sm.find_role(role),
            password=password,
        )


def mark_submitted(session, sheets) -> None:
    """Sheets marked submitted around the use case, their lines as they stand, with the
    category sums the submit use case would store (M-19.2; the database refuses a submitted
    sheet without them)."""
    from app.services.scoresheets import scores_of

    for sheet in sheets:
        sheet.category_sums = scores_of(sheet).as_submitted()
        sheet.status = "submitted"
