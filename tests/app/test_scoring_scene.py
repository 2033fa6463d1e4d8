"""Builders shared by the review and scoring tests: a cycle at a review stage, qualified
reviewers with logins, eligible applications, and a group formed through the services."""

import itertools
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.services import review_groups, scoring
from models import (
    Application,
    AwardCycle,
    CriteriaItem,
    ReviewAssignment,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
    Scoresheet,
)
from tests import factories as f

_seq = itertools.count(1)


def reviewer(app, session, *, industries="C", username=None, **kw) -> Reviewer:
    n = next(_seq)
    user = f.user(app, username, "Reviewer") if username else None
    values = dict(
        code=f"T{n:03d}",
        name=f"评审员{n}",
        user_id=user.id if user else None,
        degree="master",
        quality_work_since=date(2005, 1, 1),
        excellence_reviews_done=5,
        law_training_on=date(2024, 1, 1),
        integrity_pledge_on=date(2024, 1, 1),
        industries=industries,
    )
    values.update(kw)
    r = Reviewer(**values)
    session.add(r)
    session.flush()
    return r


def application(session, cycle, *, status="eligible", org=None, **org_kw) -> Application:
    org = org or f.organization(session, **org_kw)
    n = next(_seq)
    a = Application(
        cycle_id=cycle.id,
        number=f"{cycle.year}-ZLJ-{n:03d}",
        prize="award",
        applicant_kind="organization",
        organization_id=org.id,
        status=status,
    )
    session.add(a)
    session.flush()
    return a


def group(session, cycle, members, *, stage="material", name=None) -> ReviewGroup:
    """A group whose first member leads; members added without the services' checks."""
    g = ReviewGroup(cycle_id=cycle.id, stage=stage, name=name or f"测试评审组{next(_seq)}")
    session.add(g)
    session.flush()
    for i, r in enumerate(members):
        session.add(ReviewGroupMember(group_id=g.id, reviewer_id=r.id, is_leader=i == 0))
    session.flush()
    session.refresh(g)
    return g


def assign(session, g, a) -> ReviewAssignment:
    """Assign through the service (composition and conflict checks, blank sheets)."""
    item = ReviewAssignment(group=g, application=a, stage=g.stage)
    review_groups.check_assignment(item, "office")
    review_groups.apply_assignment(item, "office")
    session.add(item)
    session.commit()
    return item


@dataclass
class Scene:
    cycle: AwardCycle
    reviewers: list[Reviewer]
    app: Application
    group: ReviewGroup
    usernames: list[str] = field(default_factory=list)

    def sheet(self, session, i: int, *, application=None) -> Scoresheet:
        return session.scalar(
            select(Scoresheet).where(
                Scoresheet.reviewer_id == self.reviewers[i].id,
                Scoresheet.application_id == (application or self.app).id,
                Scoresheet.is_consensus.is_(False),
            )
        )

    def actor(self, i: int) -> scoring.Actor:
        return scoring.Actor(self.usernames[i], self.reviewers[i].id)


def build(app, db, *, members=3, cycle_stage="material_review", aggregation="mean", year=2030):
    """Reviewers rv1..rvN (logins), a cycle at `cycle_stage`, one eligible application in
    industry C assigned to a group of all of them (the first leads)."""
    s = db.session
    cycle = f.cycle(s, year=year, stage=cycle_stage, aggregation=aggregation)
    usernames = [f"rv{i + 1}" for i in range(members)]
    people = [reviewer(app, s, username=u) for u in usernames]
    a = application(s, cycle)
    g = group(s, cycle, people)
    s.commit()
    assign(s, g, a)
    return Scene(cycle, people, a, g, usernames)


def item_codes(session, cycle) -> list[str]:
    return list(
        session.scalars(
            select(CriteriaItem.code)
            .where(CriteriaItem.version_id == cycle.criteria_version_id)
            .order_by(CriteriaItem.position)
        )
    )


def all_at(session, cycle, percent) -> dict:
    return {code: {"percent": percent} for code in item_codes(session, cycle)}


def test_the_scene_gives_every_member_a_blank_sheet_of_23_lines(app, db):
    scene = build(app, db)
    for i in range(3):
        sheet = scene.sheet(db.session, i)
        assert sheet.status == "draft" and len(sheet.lines) == 23
        assert all(line.percent is None for line in sheet.lines)
