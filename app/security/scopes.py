"""Row scoping per user (M-25): reviewers see only their groups' applications, never a
conflicted one, and only their own scoresheets until the group's stage is closed."""

from flask import g, has_app_context
from sqlalchemy import Integer, any_, bindparam, event, false, select, union
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased

from app import app_state
from models import (
    Agency,
    Application,
    ApplicationDocument,
    AwardCycle,
    ConsultingEngagement,
    CriteriaCategory,
    CriteriaItem,
    CriteriaVersion,
    Individual,
    Industry,
    InterestDeclaration,
    Notification,
    Organization,
    Recommendation,
    Recommender,
    ReviewAssignment,
    Reviewer,
    ReviewerCertificate,
    ReviewerSanction,
    ReviewGroup,
    ReviewGroupMember,
    ReviewReport,
    ScoreLine,
    Scoresheet,
    agency_staff,
)

from .roles import (
    ADMIN,
    AGENCY,
    AUDITOR,
    BUSINESS_ROLES,
    COMMITTEE,
    OFFICE,
    RECOMMENDER,
    REVIEWER,
)

SEE_ALL = {ADMIN, OFFICE, COMMITTEE}


def _user():
    return getattr(g, "user", None)


def role_names(user=None) -> set[str]:
    user = user or _user()
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return {r.name for r in user.roles}


def sees_all(user=None) -> bool:
    return bool(role_names(user) & SEE_ALL)


def _id_of(kind: str, user, model):
    """A user's reviewer or recommender id: loaded with the signed-in user in the same query
    (`AwardSecurityManager.load_user`), else (a user not loaded by the login, e.g. in a CLI
    command) looked up."""
    loaded = getattr(user, "award_ids", None)
    if loaded is not None:
        return loaded[kind]
    from app.extensions import db

    # No autoflush: screens ask while a half-filled form's objects are pending.
    with db.session.no_autoflush:
        return db.session.scalar(select(model.id).where(model.user_id == user.id))


def reviewer_id_of(user) -> int | None:
    return _id_of("reviewer", user, Reviewer)


def my_group_ids(reviewer_id: int):
    return select(ReviewGroupMember.group_id).where(ReviewGroupMember.reviewer_id == reviewer_id)


def conflicted_application_ids(reviewer_id):
    """Applications whose applicant the reviewer declared, works for, or consulted for.

    `reviewer_id` is an id or a column of the enclosing query (`Scoresheet.reviewer_id`), to
    which the selects then correlate. The Python form of this rule is app.domain.conflicts;
    tests/app/test_conflict_rule_agrees.py holds the two equal (M-25).

    A union of four selects, each starting from the reviewer's own few records and reaching
    applications through an index, rather than a test of every application (issue 8)."""
    declared_org = (
        select(Application.id)
        .join(
            InterestDeclaration, InterestDeclaration.organization_id == Application.organization_id
        )
        .where(InterestDeclaration.reviewer_id == reviewer_id)
    )
    declared_person = (
        select(Application.id)
        .join(InterestDeclaration, InterestDeclaration.individual_id == Application.individual_id)
        .where(InterestDeclaration.reviewer_id == reviewer_id)
    )
    # An alias, so that `reviewer_id` may be a column of an enclosing query (even Reviewer.id).
    me = aliased(Reviewer)
    employer = (
        select(Application.id)
        .join(me, me.employer_id == Application.organization_id)
        .where(me.id == reviewer_id)
    )
    consulting = (
        select(Application.id)
        .join(
            ConsultingEngagement,
            ConsultingEngagement.organization_id == Application.organization_id,
        )
        .where(ConsultingEngagement.reviewer_id == reviewer_id)
    )
    return union(declared_org, declared_person, employer, consulting)


def reviewer_application_ids(reviewer_id: int):
    return select(ReviewAssignment.application_id).where(
        ReviewAssignment.group_id.in_(my_group_ids(reviewer_id)),
        ReviewAssignment.application_id.not_in(conflicted_application_ids(reviewer_id)),
    )


def visible_scoresheet_ids(reviewer_id: int):
    """Own sheets; the leader also sees the group's sheets once the group is closed.

    Two index-driven selects joined by UNION rather than one OR: PostgreSQL cannot estimate
    `reviewer_id = ? OR group_id IN (...)` and scanned all 920,000 score lines for a reviewer's
    few hundred (issue 8)."""
    conflicted = conflicted_application_ids(reviewer_id)
    own = select(Scoresheet.id).where(
        Scoresheet.reviewer_id == reviewer_id, Scoresheet.application_id.not_in(conflicted)
    )
    led_closed = (
        select(Scoresheet.id)
        .join(ReviewGroupMember, ReviewGroupMember.group_id == Scoresheet.group_id)
        .join(ReviewGroup, ReviewGroup.id == Scoresheet.group_id)
        .where(
            ReviewGroupMember.reviewer_id == reviewer_id,
            ReviewGroupMember.is_leader.is_(True),
            ReviewGroup.closed_at.is_not(None),
            Scoresheet.application_id.not_in(conflicted),
        )
    )
    return union(own, led_closed)


def recommender_id_of(user) -> int | None:
    return _id_of("recommender", user, Recommender)


def scope(model, query):
    """Filter `query` over `model` to the rows the current user may see."""
    user = _user()
    if model is Notification:
        return query.filter(Notification.user_id == (user.id if user else -1))
    if sees_all(user):
        return query
    roles = role_names(user)
    if AUDITOR in roles and not roles & BUSINESS_ROLES:
        # The audit administrator reads only the audit trail (its permissions), all of it.
        return query
    if REVIEWER in roles:
        rid = reviewer_id_of(user)
        if rid is None:
            return query.filter(false())
        return _reviewer_scope(model, query, rid)
    if RECOMMENDER in roles:
        return _recommender_scope(model, query, user)
    if AGENCY in roles:
        return _agency_scope(model, query, agency_id_of(user))
    return query.filter(false())


# --- the third-party agency (M-6, M-10; issue 18) ------------------------------------------


def agency_id_of(user) -> int | None:
    """The agency a signed-in Agency user works for (agency_staff), read once per request."""
    from app.extensions import db

    if user is None or getattr(user, "id", None) is None:
        return None
    cache = g.setdefault("_award_agency_of", {}) if has_app_context() else {}
    if user.id not in cache:
        with db.session.no_autoflush:
            cache[user.id] = db.session.scalar(
                select(agency_staff.c.agency_id).where(agency_staff.c.user_id == user.id)
            )
    return cache[user.id]


def agency_cycle_ids(agency_id: int | None):
    return select(AwardCycle.id).where(AwardCycle.agency_id == (agency_id or -1))


def agency_group_ids(agency_id: int | None):
    return select(ReviewGroup.id).where(ReviewGroup.cycle_id.in_(agency_cycle_ids(agency_id)))


# The reviewer pool and its records are the agency's to maintain, whichever cycle (M-10);
# reference data (criteria, industries) is not confidential.
_AGENCY_POOL = {
    CriteriaCategory,
    CriteriaItem,
    CriteriaVersion,
    Industry,
    Reviewer,
    ReviewerCertificate,
    ReviewerSanction,
    InterestDeclaration,
    ConsultingEngagement,
}


_AGENCY_CYCLE_ROWS = {
    Agency,
    AwardCycle,
    Application,
    ReviewGroup,
    ReviewGroupMember,
    ReviewAssignment,
    ReviewReport,
}


def _agency_scope(model, query, agency_id):
    """An agency sees the cycles it runs, their applications, groups, members, assignments and
    reports, and the whole reviewer pool; nothing else (no votes, eligibility or documents)."""
    if agency_id is None:
        return query.filter(false())
    if model in _AGENCY_POOL:
        return query
    if model is Agency:
        return query.filter(Agency.id == agency_id)
    if model is AwardCycle:
        return query.filter(AwardCycle.agency_id == agency_id)
    if model is Application:
        return query.filter(Application.cycle_id.in_(agency_cycle_ids(agency_id)))
    if model is ReviewGroup:
        return query.filter(ReviewGroup.cycle_id.in_(agency_cycle_ids(agency_id)))
    groups = agency_group_ids(agency_id)
    if model is ReviewGroupMember:
        return query.filter(ReviewGroupMember.group_id.in_(groups))
    if model is ReviewAssignment:
        return query.filter(ReviewAssignment.group_id.in_(groups))
    if model is ReviewReport:
        return query.filter(ReviewReport.group_id.in_(groups))
    return query.filter(false())


def _reviewer_ids(kind: str, rid: int) -> list:
    """The ids of one part of a reviewer's scope, read once per request.

    A list page filters its count and its rows by the same scope; with the ids in hand the
    database plans `id IN (1, 2, ...)` from its indexes, where a subquery's size had to be
    guessed (PostgreSQL guessed wrong and scanned whole tables; issue 8). Any flush in the
    request forgets them (`_forget_scope_ids`), so a write that changes what the reviewer may
    see is never judged against ids read before it."""
    from app.extensions import db

    cache = g.setdefault("_award_scope_sets", {})
    key = (kind, rid)
    if key not in cache:
        cache[key] = list(db.session.scalars(_REVIEWER_ID_SOURCES[kind], {"scope_rid": rid}))
    return cache[key]


# Each source built once, with the reviewer as a parameter: SQLAlchemy remembers a statement
# object's cache key, where a statement built per request (two four-way UNIONs for the sheets)
# had its key computed again on every list page (issue 20). Plain SQL, no application state.
_REVIEWER_ID_SOURCES = {
    kind: source(bindparam("scope_rid", type_=Integer))
    for kind, source in (
        ("applications", reviewer_application_ids),
        ("scoresheets", visible_scoresheet_ids),
        ("groups", my_group_ids),
    )
}


def _among(column, ids: list):
    """`column IN ids`. On PostgreSQL as `= ANY(array)`: one parameter, where an IN list of a
    reviewer's few hundred ids made the driver adapt a few hundred parameters per query."""
    from app.extensions import db

    if db.engine.dialect.name == "postgresql":
        return column == any_(bindparam("scope_ids", ids, type_=ARRAY(Integer), unique=True))
    # One expanding parameter: `in_(ids)` coerced each of a reviewer's few hundred ids into
    # its own literal on every call, twice a list page (issue 20).
    return column.in_(bindparam("scope_ids", ids, type_=Integer, expanding=True, unique=True))


SCOPE_LISTENER = "scope_ids"


def _forget_scope_ids(_session, _flush_context) -> None:
    if has_app_context() and app_state.listening(SCOPE_LISTENER):
        g.pop("_award_scope_sets", None)


def register(app) -> None:
    """A flush may change a reviewer's groups or declarations: the request's remembered id
    sets are dropped after each flush. Turned on by the app factory, for that app."""
    app_state.turn_on(app, SCOPE_LISTENER)
    if not event.contains(Session, "after_flush", _forget_scope_ids):
        event.listen(Session, "after_flush", _forget_scope_ids)


# Rows a reviewer sees, per model: (the column to match, which of the reviewer's id sets).
_REVIEWER_ROWS = {
    Application: (Application.id, "applications"),
    ApplicationDocument: (ApplicationDocument.application_id, "applications"),
    ReviewAssignment: (ReviewAssignment.application_id, "applications"),
    ReviewReport: (ReviewReport.application_id, "applications"),
    Scoresheet: (Scoresheet.id, "scoresheets"),
    ScoreLine: (ScoreLine.scoresheet_id, "scoresheets"),
    ReviewGroup: (ReviewGroup.id, "groups"),
    ReviewGroupMember: (ReviewGroupMember.group_id, "groups"),
    InterestDeclaration: (InterestDeclaration.reviewer_id, None),
    Reviewer: (Reviewer.id, None),
}


def _reviewer_scope(model, query, rid):
    if model not in _REVIEWER_ROWS:
        return query  # reference data (cycles, criteria, industries) is not confidential
    column, kind = _REVIEWER_ROWS[model]
    if kind is None:  # the reviewer's own records
        return query.filter(column == rid)
    return query.filter(_among(column, _reviewer_ids(kind, rid)))


def _recommender_scope(model, query, user):
    rec_id = recommender_id_of(user)
    if rec_id is None:
        return query.filter(false())
    if model is Recommendation:
        return query.filter(Recommendation.recommender_id == rec_id)
    mine = select(Recommendation.application_id).where(Recommendation.recommender_id == rec_id)
    if model is Application:
        return query.filter(Application.id.in_(mine))
    if model is ApplicationDocument:
        return query.filter(ApplicationDocument.application_id.in_(mine))
    if model is Organization:
        return query.filter(Organization.id.in_(recommender_organization_ids(rec_id)))
    if model is Individual:
        return query.filter(Individual.id.in_(recommender_individual_ids(rec_id)))
    return query


def _sectors_of(rec_id: int) -> list[str] | None:
    """The recommender's sector codes; None for one that covers every sector (the regulator)."""
    from app.extensions import db

    with db.session.no_autoflush:
        sectors = db.session.scalar(select(Recommender.sectors).where(Recommender.id == rec_id))
    codes = [s.strip() for s in (sectors or "").split(",") if s.strip()]
    return codes or None


def recommender_organization_ids(rec_id: int):
    """Organizations of the recommender's sectors, and those it recommended (M-9; issue 17:
    a recommender read every applicant's personal data)."""
    sectors = _sectors_of(rec_id)
    if sectors is None:
        return select(Organization.id)
    recommended = (
        select(Application.organization_id)
        .join(Recommendation, Recommendation.application_id == Application.id)
        .where(Recommendation.recommender_id == rec_id, Application.organization_id.is_not(None))
    )
    return union(
        select(Organization.id).where(Organization.industry_code.in_(sectors)), recommended
    )


def recommender_individual_ids(rec_id: int):
    """Individuals employed by an organization of the recommender's sectors, and those it
    recommended (M-9)."""
    sectors = _sectors_of(rec_id)
    if sectors is None:
        return select(Individual.id)
    employed = (
        select(Individual.id)
        .join(Organization, Organization.id == Individual.employer_id)
        .where(Organization.industry_code.in_(sectors))
    )
    recommended = (
        select(Application.individual_id)
        .join(Recommendation, Recommendation.application_id == Application.id)
        .where(Recommendation.recommender_id == rec_id, Application.individual_id.is_not(None))
    )
    return union(employed, recommended)


def check_references(item) -> None:
    """A reviewer may point a record only at rows inside their own scope (M-25).

    The screens offer only those rows in their dropdowns; this holds the API (and a hand-made
    form post) to the same rule: a ReviewReport on a conflicted application, or on another
    group, is refused. Other roles are checked by their rules (a Recommender's sector, M-9)."""
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy.orm import MANYTOONE

    from app.domain.errors import RuleViolation
    from app.extensions import db

    user = _user()
    if user is None or sees_all(user):
        return
    roles = role_names(user)
    if AGENCY in roles and REVIEWER not in roles:
        _check_agency_references(item, agency_id_of(user))
        return
    if REVIEWER not in roles:
        return
    rid = reviewer_id_of(user)
    for rel in sa_inspect(type(item)).relationships:
        if rel.direction is not MANYTOONE:
            continue
        target = getattr(item, rel.key)
        identity = sa_inspect(target).identity if target is not None else None
        if identity is None:  # nothing chosen, or a row not saved yet
            continue
        model = rel.mapper.class_
        key = rel.mapper.primary_key[0]
        query = db.session.query(key).filter(key == identity[0])
        scoped = query.filter(false()) if rid is None else _reviewer_scope(model, query, rid)
        if scoped is not query and scoped.first() is None:
            raise RuleViolation(f"所选「{target}」不在您的评审范围内", rule="M-25")


def _check_agency_references(item, agency_id) -> None:
    """M-6: an agency points a record only at rows of the cycles it runs (a group of another
    agency's cycle, an application of another cycle: refused)."""
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy.orm import MANYTOONE

    from app.domain.errors import RuleViolation
    from app.extensions import db

    for rel in sa_inspect(type(item)).relationships:
        if rel.direction is not MANYTOONE:
            continue
        target = getattr(item, rel.key)
        identity = sa_inspect(target).identity if target is not None else None
        if identity is None:
            continue
        model = rel.mapper.class_
        if model not in _AGENCY_CYCLE_ROWS:  # the pool, users, employers: not cycle-bound
            continue
        key = rel.mapper.primary_key[0]
        with db.session.no_autoflush:  # the new record is not in the session yet
            query = db.session.query(key).filter(key == identity[0])
            found = _agency_scope(model, query, agency_id).first()
        if found is None:
            raise RuleViolation(f"所选「{target}」不属于本机构承办的评定年度", rule="M-6")
