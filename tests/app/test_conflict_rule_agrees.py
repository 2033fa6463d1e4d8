"""One M-25 rule in two homes held equal: the SQL that scopes a reviewer's rows
(`app.security.scopes.conflicted_application_ids`) and the Python the services apply
(`app.domain.conflicts` through `app.services.reviewing`, and `app.domain.counting` at group
close) find the same reviewer-application ties, over generated reviewers, employers,
declarations (organization or person, any kind) and consulting engagements (M-25.2, M-25.3)."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, true

from app.domain.counting import counting_for
from app.domain.enums import InterestKind
from app.security.scopes import conflicted_application_ids
from app.services import reviewing
from models import Application, ConsultingEngagement, InterestDeclaration, Reviewer
from tests import factories as f

ORGS, PEOPLE, REVIEWERS = 3, 2, 3
_years = itertools.count(2100)

employers = st.lists(
    st.one_of(st.none(), st.integers(0, ORGS - 1)), min_size=REVIEWERS, max_size=REVIEWERS
)
applicants = st.one_of(
    st.tuples(st.just("org"), st.integers(0, ORGS - 1)),
    st.tuples(st.just("ind"), st.integers(0, PEOPLE - 1)),
)
declarations = st.lists(
    st.tuples(st.integers(0, REVIEWERS - 1), applicants, st.sampled_from(list(InterestKind))),
    max_size=4,
)
engagements = st.lists(
    st.tuples(st.integers(0, REVIEWERS - 1), st.integers(0, ORGS - 1)), max_size=3
)
# Which organizations and people applied (an applicant with no application is a tie to nothing).
applied = st.tuples(
    st.sets(st.integers(0, ORGS - 1), min_size=1), st.sets(st.integers(0, PEOPLE - 1))
)


def _world(session, employer_of, decls, engs, applied_by):
    cycle = f.cycle(session, year=next(_years))
    orgs = [f.organization(session) for _ in range(ORGS)]
    people = [f.individual(session) for _ in range(PEOPLE)]
    reviewers = []
    for i, employer in enumerate(employer_of):
        r = Reviewer(
            code=f"P{cycle.year}{i}",
            name=f"性质评审员{i}",
            degree="master",
            employer_id=orgs[employer].id if employer is not None else None,
            industries="C",
        )
        session.add(r)
        reviewers.append(r)
    session.flush()
    org_ids, person_ids = applied_by
    apps = [
        Application(
            cycle_id=cycle.id,
            number=f"{cycle.year}-ZLJ-O{i}",
            prize="award",
            applicant_kind="organization",
            organization_id=orgs[i].id,
            status="eligible",
        )
        for i in sorted(org_ids)
    ] + [
        Application(
            cycle_id=cycle.id,
            number=f"{cycle.year}-ZLJ-P{i}",
            prize="nomination",
            applicant_kind="individual",
            individual_id=people[i].id,
            status="eligible",
        )
        for i in sorted(person_ids)
    ]
    session.add_all(apps)
    for r, (kind, idx), what in decls:
        session.add(
            InterestDeclaration(
                reviewer_id=reviewers[r].id,
                organization_id=orgs[idx].id if kind == "org" else None,
                individual_id=people[idx].id if kind == "ind" else None,
                kind=what.value,
                source="office",
            )
        )
    for r, idx in engs:
        session.add(ConsultingEngagement(reviewer_id=reviewers[r].id, organization_id=orgs[idx].id))
    session.flush()
    return reviewers, apps


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(employer_of=employers, decls=declarations, engs=engagements, applied_by=applied)
def test_the_scope_sql_and_the_python_rule_find_the_same_conflicts_M_25(
    db, employer_of, decls, engs, applied_by
):
    session = db.session
    try:
        reviewers, apps = _world(session, employer_of, decls, engs, applied_by)
        app_ids = [a.id for a in apps]
        by_sql = {
            (r.id, a_id)
            for r in reviewers
            for a_id in session.scalars(
                select(Application.id).where(
                    Application.id.in_(app_ids),
                    Application.id.in_(conflicted_application_ids(r.id)),
                )
            )
        }
        # The same SQL correlated on a column (the to-do list's and reminders' form).
        correlated = set(
            session.execute(
                select(Reviewer.id, Application.id)
                .join(Application, true())  # every pair; the rule picks the tied ones
                .where(
                    Reviewer.id.in_([r.id for r in reviewers]),
                    Application.id.in_(app_ids),
                    Application.id.in_(conflicted_application_ids(Reviewer.id)),
                )
            ).all()
        )
        by_python = {(r.id, a.id) for r in reviewers for a in apps if reviewing.conflicts_of(r, a)}
        interests = reviewing.recorded_interests(reviewers)
        facts = {r.code: r.id for r in reviewers}
        by_counting = {
            (facts[e.reviewer_key], a.id)
            for a in apps
            for e in counting_for(
                [reviewing.reviewer_facts(r) for r in reviewers], reviewing.assigned(a), interests
            ).excluded
        }
        assert by_sql == by_python == correlated == by_counting
    finally:
        session.rollback()


def test_a_declared_tie_is_found_by_both_homes(db):
    """A fixed example beside the generated ones: the declaration, the employer, consulting."""
    session = db.session
    try:
        reviewers, apps = _world(
            session,
            [0, None, None],
            [(1, ("ind", 0), InterestKind.RELATIVE)],
            [(2, 2)],
            ({0, 1, 2}, {0}),
        )
        tied = {
            (r.code[-1], a.number[-2:])
            for r in reviewers
            for a in apps
            if reviewing.conflicts_of(r, a)
        }
        assert tied == {("0", "O0"), ("1", "P0"), ("2", "O2")}
        sql = {
            (r.code[-1], a.number[-2:])
            for r in reviewers
            for a in session.scalars(
                select(Application).where(Application.id.in_(conflicted_application_ids(r.id)))
            )
        }
        assert sql == tied
    finally:
        session.rollback()
