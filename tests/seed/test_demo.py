"""The demo data set loads on SQLite and PostgreSQL, changes nothing when loaded twice, and
tells a story that obeys the rules it demonstrates."""

import secrets
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

import models
from app.domain.aggregation import outliers
from app.domain.dates import add_years
from app.domain.enums import (
    ApplicationStatus,
    BanReason,
    CheckStatus,
    FollowUpStatus,
    Prize,
    RevocationStatus,
    SanctionLevel,
    SheetStatus,
    Stage,
)
from app.domain.identifiers import domicile_status, validate_credit_code, validate_id_number
from app.services.audit import GENESIS, mac_of
from models import (
    Application,
    AuditEntry,
    Award,
    AwardCycle,
    Ban,
    CriteriaItem,
    CriteriaVersion,
    EligibilityReview,
    FollowUpReport,
    Individual,
    Industry,
    InterestDeclaration,
    Organization,
    Recommendation,
    Recommender,
    Recovery,
    Reviewer,
    ReviewerSanction,
    ReviewGroup,
    RevocationCase,
    Role,
    Scoresheet,
    StageMove,
    StageScore,
    User,
)
from seed import load_demo, load_reference
from tests.pg_probe import answers, pg_url

TODAY = date(2026, 11, 24)
S = ApplicationStatus


def _sqlite_engine():
    engine = create_engine("sqlite://", poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _foreign_keys_on(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    return engine


def _postgres_engine(url: str, schema: str):
    engine = create_engine(url)

    @event.listens_for(engine, "connect", insert=True)
    def _search_path(dbapi_connection, _record):
        # SET outside a transaction, or the pool's rollback would undo it.
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f'SET SESSION search_path TO "{schema}"')
        dbapi_connection.autocommit = autocommit

    return engine


def make_user_in(session: Session):
    """A stand-in for FAB's security manager: a user with one role, created if missing."""

    def make_user(username: str, role_name: str, full_name: str, email: str) -> User:
        role = session.scalar(select(Role).where(Role.name == role_name)) or Role(name=role_name)
        user = User(
            first_name=full_name[1:] or full_name,
            last_name=full_name[:1],
            username=username,
            email=email,
            active=True,
            roles=[role],
        )
        session.add(user)
        session.flush()
        return user

    return make_user


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def engine(request):
    """An empty database with every table: in-memory SQLite, or a fresh PostgreSQL schema
    (TEST_DATABASE_URL, else the local default) when a server answers."""
    if request.param == "sqlite":
        engine = _sqlite_engine()
        models.Model.metadata.create_all(engine)
        yield engine
        engine.dispose()
        return
    url = pg_url()
    if not answers(url):
        pytest.skip(f"PostgreSQL does not answer at {url}")
    schema = f"seedtest_{secrets.token_hex(6)}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = _postgres_engine(url, schema)
    try:
        models.Model.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:  # only the schema this fixture made
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def seeded(engine):
    """The demo loaded and committed once; returns its summary."""
    with Session(engine) as session:
        load_reference(session)
        summary = load_demo(session, make_user_in(session), TODAY)
        session.commit()
    return summary


@pytest.fixture
def db_session(engine, seeded):
    """A session on the seeded database; what a test flushes is rolled back."""
    with Session(engine) as session:
        yield session
        session.rollback()


def table_counts(session: Session) -> dict[str, int]:
    return {
        name: session.scalar(select(func.count()).select_from(table))
        for name, table in models.Model.metadata.tables.items()
    }


def cycle_apps(db_session: Session, year: int) -> list[Application]:
    return list(
        db_session.scalars(select(Application).join(AwardCycle).where(AwardCycle.year == year))
    )


def test_loading_the_demo_twice_adds_and_changes_nothing(db_session, seeded):
    before = table_counts(db_session)
    versions = {a.number: a.version for a in db_session.scalars(select(Application))}
    summary = load_demo(db_session, make_user_in(db_session), TODAY)
    db_session.flush()
    assert summary == seeded
    assert table_counts(db_session) == before
    assert {a.number: a.version for a in db_session.scalars(select(Application))} == versions
    assert seeded["organizations"] >= 10 and seeded["individuals"] == 6
    assert seeded["reviewers"] == 8 and seeded["recommenders"] == 5
    assert seeded["cycles"] == len(Stage) and seeded["audit_entries"] > 0


def test_reference_data_holds_20_industries_and_the_23_items_of_gbt_19580(db_session):
    """M-14, M-16: a second load adds nothing and never edits the version in place."""
    assert db_session.scalar(select(func.count()).select_from(Industry)) == 20
    version = db_session.scalar(
        select(CriteriaVersion).where(CriteriaVersion.code == "GB/T 19580-2012")
    )
    assert version.published_on == date(2012, 3, 9)
    assert [c.code for c in version.categories] == [f"4.{n}" for n in range(1, 8)]
    items = list(db_session.scalars(select(CriteriaItem).order_by(CriteriaItem.position)))
    assert len(items) == 23 and items[0].code == "4.1.2" and items[-1].code == "4.7.7"
    assert sum(i.points for i in items) == Decimal(1000) == version.total_points
    load_reference(db_session)
    db_session.flush()
    assert db_session.scalar(select(func.count()).select_from(CriteriaItem)) == 23


def test_the_demo_users_have_their_roles_and_links(db_session):
    roles = {u.username: {r.name for r in u.roles} for u in db_session.scalars(select(User))}
    assert roles["admin"] == {"Admin"} and roles["office"] == {"Office"}
    assert roles["committee1"] == {"Committee"} and roles["recommender1"] == {"Recommender"}
    for name in ("leader1", "reviewer1", "reviewer2", "reviewer3", "reviewer4"):
        assert roles[name] == {"Reviewer"}
        assert (
            db_session.scalar(select(Reviewer).join(User).where(User.username == name)) is not None
        )
    recommender = db_session.scalar(
        select(Recommender).join(User).where(User.username == "recommender1")
    )
    assert recommender.name == "伊宁市工业和信息化局" and recommender.sectors == "C,D"
    leader = db_session.scalar(select(Reviewer).join(User).where(User.username == "leader1"))
    assert any(
        m.is_leader and m.reviewer_id == leader.id
        for g in db_session.scalars(select(ReviewGroup))
        for m in g.members
    )


def test_there_is_exactly_one_cycle_at_every_stage_of_the_demo(db_session):
    """M-17: one cycle per stage; the open cycle's deadline lies ahead of today."""
    cycles = list(db_session.scalars(select(AwardCycle).order_by(AwardCycle.year)))
    stages = {c.year: Stage(c.stage) for c in cycles}
    assert sorted(stages.values(), key=lambda s: s.order) == list(Stage)
    assert stages[2021] is Stage.CLOSED
    assert stages[2024] is Stage.ANNOUNCED
    assert stages[2025] is Stage.MATERIAL_REVIEW
    assert stages[2026] is Stage.ELIGIBILITY
    assert stages[2027] is Stage.APPLICATIONS_OPEN
    assert stages[2028] is Stage.DRAFT
    assert [stages[y] for y in (2017, 2018, 2019, 2020, 2022, 2023)] == [
        Stage.USER_EVALUATION,
        Stage.ONSITE_REVIEW,
        Stage.COMPREHENSIVE,
        Stage.COMMITTEE_VOTE,
        Stage.PUBLIC_NOTICE,
        Stage.APPROVAL,
    ]
    open_cycle = db_session.scalar(select(AwardCycle).where(AwardCycle.year == 2027))
    assert open_cycle.opens_on <= TODAY < open_cycle.deadline
    for cycle in cycles:
        demonstration = cycle.year in (2017, 2018, 2019, 2020, 2022, 2023)
        assert ("（演示：" in cycle.name) is demonstration, cycle.name
        if demonstration:
            assert f"（演示：{Stage(cycle.stage).label}阶段）" in cycle.name
        assert cycle.criteria_version.code == "GB/T 19580-2012"
        assert (cycle.award_quota, cycle.nomination_quota) == (2, 2)
        assert cycle.award_amount == Decimal("200000.00")
        assert cycle.nomination_amount == Decimal("30000.00")


def test_the_2026_cycle_shows_every_outcome_of_the_eligibility_review(db_session):
    """M-19.1: eligible, returned incomplete, ineligible, falsified (banned to year end), waiting."""
    apps = cycle_apps(db_session, 2026)
    statuses = {S(a.status) for a in apps}
    assert statuses >= {
        S.ELIGIBLE,
        S.RETURNED_INCOMPLETE,
        S.RETURNED_INELIGIBLE,
        S.RETURNED_FALSIFIED,
        S.SUBMITTED,
    }
    incomplete = next(a for a in apps if a.status == S.RETURNED_INCOMPLETE)
    review = db_session.scalar(
        select(EligibilityReview).where(EligibilityReview.application_id == incomplete.id)
    )
    assert review.missing_items and incomplete.supplement_deadline == review.supplement_deadline
    falsified = next(a for a in apps if a.status == S.RETURNED_FALSIFIED)
    ban = db_session.scalar(select(Ban).where(Ban.application_id == falsified.id))
    assert ban.reason == BanReason.FALSIFIED and ban.ends_on == date(2026, 12, 31)
    assert ban.organization_id == falsified.organization_id
    unsigned = [r for r in db_session.scalars(select(Recommendation)) if not r.is_signed]
    assert len(unsigned) == 1 and unsigned[0].application.status == S.SUBMITTED
    assert {a.number for a in apps} >= {"2026-ZLJ-001", "2026-TMJ-001"}


def test_stored_checklists_agree_with_the_outcomes(db_session):
    """RULES.md §3: every condition is listed; eligible ones pass all, ineligible ones fail one."""
    for review in db_session.scalars(select(EligibilityReview)):
        statuses = {CheckStatus(item["status"]) for item in review.checklist}
        if review.outcome == S.ELIGIBLE:
            assert statuses == {CheckStatus.PASS}, review.application.number
        if review.outcome == S.RETURNED_INELIGIBLE:
            assert CheckStatus.FAIL in statuses, review.application.number


def test_every_credit_code_and_id_number_is_valid(db_session):
    domiciles = set()
    for org in db_session.scalars(select(Organization)):
        assert validate_credit_code(org.credit_code) == org.credit_code
        domiciles.add(domicile_status(org.credit_code, org.domicile_evidence)[0])
    assert domiciles == {CheckStatus.PASS, CheckStatus.JUDGEMENT, CheckStatus.FAIL}
    for person in db_session.scalars(select(Individual)):
        assert validate_id_number(person.id_number, TODAY).division == "654002"
    for reviewer in db_session.scalars(select(Reviewer)):
        validate_id_number(reviewer.id_number, TODAY)


def test_each_scoresheet_total_is_the_sum_of_its_23_lines(db_session):
    """M-19.2: points = item points x percent / 100; submitted sheets score every item."""
    sheets = list(db_session.scalars(select(Scoresheet)))
    assert {SheetStatus(s.status) for s in sheets} == {SheetStatus.SUBMITTED, SheetStatus.DRAFT}
    for sheet in sheets:
        assert len(sheet.lines) == 23
        assert sheet.total == sum((line.points or Decimal(0) for line in sheet.lines), Decimal(0))
        for line in sheet.lines:
            if line.percent is None:
                assert line.points is None and sheet.status == SheetStatus.DRAFT
            else:
                assert line.percent % 5 == 0
                assert line.points == line.item.points * line.percent / 100
        if sheet.status == SheetStatus.SUBMITTED:
            assert sheet.submitted_at is not None


def test_one_open_2025_scoresheet_is_far_from_its_group_mean(db_session):
    """M-19.2 calibration aid: exactly one submitted sheet deviates more than 15 %."""
    totals = defaultdict(dict)
    for sheet in db_session.scalars(
        select(Scoresheet).join(Application).join(AwardCycle).where(AwardCycle.year == 2025)
    ):
        if sheet.status == SheetStatus.SUBMITTED:
            totals[sheet.application_id][sheet.reviewer_id] = sheet.total
    flagged = [r for group in totals.values() for r in outliers(group)]
    assert len(flagged) == 1


def test_review_groups_hold_only_qualified_unconflicted_reviewers(db_session):
    """M-10, M-25: at least 3 members and one leader; no unqualified or conflicted reviewer."""
    disqualified = set(
        db_session.scalars(
            select(ReviewerSanction.reviewer_id).where(
                ReviewerSanction.level == SanctionLevel.DISQUALIFICATION
            )
        )
    )
    assert disqualified
    interests = {
        (i.reviewer_id, i.organization_id) for i in db_session.scalars(select(InterestDeclaration))
    }
    for group in db_session.scalars(select(ReviewGroup)):
        assert len(group.members) >= 3 and sum(m.is_leader for m in group.members) == 1
        for member in group.members:
            assert member.reviewer.degree != "below_bachelor"
            assert member.reviewer_id not in disqualified
            for assignment in group.assignments:
                assert (member.reviewer_id, assignment.application.organization_id) not in interests


def test_winners_rank_first_on_site_and_stay_within_the_quotas(db_session):
    """M-4, M-19.5: awards per cycle within quota; 2024 leaves an award vacant below 750."""
    for year in (2021, 2024):
        cycle = db_session.scalar(select(AwardCycle).where(AwardCycle.year == year))
        onsite = {
            s.application_id: s.total
            for s in db_session.scalars(select(StageScore).where(StageScore.stage == "onsite"))
        }
        awards = list(db_session.scalars(select(Award).where(Award.cycle_id == cycle.id)))
        for prize in Prize:
            won = [a.application_id for a in awards if a.prize == prize]
            assert len(won) <= 2
            others = [
                a.id
                for a in cycle_apps(db_session, year)
                if a.prize == prize and a.id not in won and a.id in onsite
            ]
            assert all(onsite[w] > onsite[o] for w in won for o in others)
        assert all(a.certificate_no and a.payments for a in awards)
    jinggong_2024 = db_session.scalar(
        select(Application).where(Application.number == "2024-ZLJ-002")
    )
    assert onsite[jinggong_2024.id] < Decimal("750") and jinggong_2024.status == S.NOT_AWARDED


def test_a_revoked_winner_is_banned_for_five_years(db_session):
    """M-26, M-28: an approved, published case, recoveries, and a ban to the day before the 5th anniversary."""
    award = db_session.scalar(select(Award).where(Award.revoked.is_(True)))
    case = db_session.scalar(select(RevocationCase).where(RevocationCase.award_id == award.id))
    assert case.status == RevocationStatus.APPROVED and case.published
    assert award.revoked_on == case.approved_on
    ban = db_session.scalar(select(Ban).where(Ban.revocation_case_id == case.id))
    assert ban.reason == BanReason.REVOKED
    assert ban.organization_id == award.application.organization_id
    assert ban.starts_on == award.revoked_on
    assert ban.ends_on == add_years(award.revoked_on, 5) - timedelta(days=1)
    recoveries = list(
        db_session.scalars(select(Recovery).where(Recovery.revocation_case_id == case.id))
    )
    assert {r.item for r in recoveries} == {"牌匾", "证书", "奖金"}


def test_follow_up_reports_include_an_overdue_one_and_an_accepted_one(db_session):
    """M-27: due by the end of February of the following year."""
    reports = list(db_session.scalars(select(FollowUpReport)))
    overdue = [r for r in reports if r.status == FollowUpStatus.DUE and r.due_on < TODAY]
    assert overdue and all(r.received_on is None for r in overdue)
    assert any(r.status == FollowUpStatus.ACCEPTED and r.received_on <= r.due_on for r in reports)
    assert all(r.due_on == date(r.report_year + 1, 3, 1) - timedelta(days=1) for r in reports)


def test_each_cycle_went_through_its_stages_in_order_and_each_move_is_logged(db_session):
    """M-17, M-3: one move per stage up to the cycle's own, on increasing days, each logged."""
    logged = {
        (e.cycle_id, e.details["from"], e.details["to"])
        for e in db_session.scalars(select(AuditEntry).where(AuditEntry.action == "advance_stage"))
    }
    for cycle in db_session.scalars(select(AwardCycle)):
        moves = sorted(cycle_moves(db_session, cycle), key=lambda m: m.id)
        reached = list(Stage)[: Stage(cycle.stage).order + 1]
        assert [(m.from_stage, m.to_stage) for m in moves] == list(
            zip(reached, reached[1:], strict=False)
        ), cycle.name
        assert [m.moved_at for m in moves] == sorted(m.moved_at for m in moves), cycle.name
        assert all((cycle.id, m.from_stage, m.to_stage) in logged for m in moves)


def cycle_moves(db_session, cycle):
    return db_session.scalars(select(StageMove).where(StageMove.cycle_id == cycle.id))


def test_the_demo_audit_log_is_one_unbroken_hash_chain_in_date_order(db_session):
    """M-3: the entries the demo writes chain exactly as app.services.audit records them."""
    entries = list(db_session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert len(entries) > 100
    prev = GENESIS
    for e in entries:
        assert (e.prev_hash, e.hash) == (prev, mac_of(e)), e.id
        prev = e.hash
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    assert {"rank_cycle", "shortlist", "committee_vote", "publish_notice"} <= {
        e.action for e in entries
    }
