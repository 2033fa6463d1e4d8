"""Reviewers (M-10, M-25): the records as the pure rules read them, conflicts of interest,
qualification reports, sanctions and declarations of interest. Review groups, members,
assignments and reports are app.services.review_groups; the automatic proposal of groups for
a stage is app.services.review_proposal."""

import functools
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, inspect, literal, null, select, union_all

from app.domain.conflicts import SOURCE_LABELS, Interest, conflicts_between, ensure_no_conflict
from app.domain.enums import Degree, InterestKind, ReviewStage, SanctionLevel
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.groups import INDUSTRY_SECTIONS, AssignedApplication, GroupMember, GroupSpec
from app.domain.reviewers import (
    ReviewerCertificate as CertFacts,
)
from app.domain.reviewers import (
    ReviewerFacts,
    Sanction,
    is_disqualified,
    qualification,
    years_of_quality_work,
)
from app.extensions import db
from app.services import audit
from models import (
    Application,
    ConsultingEngagement,
    InterestDeclaration,
    ReviewAssignment,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
)


def today() -> date:
    return date.today()


def quiet(check):
    """Checks run on a form's unsaved row: no autoflush may write it half-validated."""

    @functools.wraps(check)
    def run(*args, **kwargs):
        with db.session.no_autoflush:
            return check(*args, **kwargs)

    return run


# --- records as the pure rules read them ---------------------------------------------------


def applicant_key(app: Application) -> str:
    return f"org:{app.organization_id}" if app.organization_id else f"ind:{app.individual_id}"


def reviewer_facts(r: Reviewer) -> ReviewerFacts:
    return facts_from(
        r,
        certificates=[CertFacts(c.name, c.number, c.valid_to) for c in r.certificates],
        sanctions=[Sanction(SanctionLevel(s.level), s.decided_on, s.reason) for s in r.sanctions],
    )


def facts_from(r, *, certificates: list, sanctions: list[Sanction]) -> ReviewerFacts:
    """A reviewer as the pure rules read it, from its own columns (a `Reviewer` or a query row
    with the same names) and its certificates and sanctions."""
    return ReviewerFacts(
        key=r.code,
        name=r.name,
        degree=Degree(r.degree),
        quality_work_since=r.quality_work_since,
        excellence_reviews_done=r.excellence_reviews_done or 0,
        law_training_on=r.law_training_on,
        integrity_pledge_on=r.integrity_pledge_on,
        industries=frozenset(s.strip() for s in r.industries.split(",") if s.strip()),
        certificates=certificates,
        sanctions=sanctions,
        employer_key=f"org:{r.employer_id}" if r.employer_id else None,
    )


def assigned(app: Application) -> AssignedApplication:
    return AssignedApplication(
        app.number, applicant_key(app), app.applicant_name, app.industry_code or ""
    )


def recorded_interests(reviewers) -> list[Interest]:
    """Declared and Office-recorded interests, and consulting found in the records (M-25)."""
    return interests_of({r.id: r.code for r in reviewers})


def _interests_statement():
    """Declared and Office-recorded interests, then consulting, of the reviewers bound as
    `ids` (an expanding parameter): built once, not per call."""
    ids = bindparam("ids", expanding=True)
    declared = select(
        literal(0).label("derived"),
        InterestDeclaration.id,
        InterestDeclaration.reviewer_id,
        InterestDeclaration.organization_id,
        InterestDeclaration.individual_id,
        InterestDeclaration.kind,
        InterestDeclaration.source,
        InterestDeclaration.note,
        InterestDeclaration.created_at,
    ).where(InterestDeclaration.reviewer_id.in_(ids))
    consulting = select(
        literal(1),
        ConsultingEngagement.id,
        ConsultingEngagement.reviewer_id,
        ConsultingEngagement.organization_id,
        null(),
        literal(InterestKind.CONSULTING.value),
        literal("derived"),
        ConsultingEngagement.note,
        ConsultingEngagement.created_at,
    ).where(ConsultingEngagement.reviewer_id.in_(ids))
    return union_all(declared, consulting).order_by("derived", "id")


_INTERESTS = _interests_statement()


def interests_of(codes: dict[int, str]) -> list[Interest]:
    """The recorded ties of the reviewers `codes` (id -> code), in one query: their declared
    and Office-recorded interests, then the consulting found in the records (M-25)."""
    if not codes:
        return []
    rows = db.session.execute(_INTERESTS, {"ids": list(codes)})
    found = []
    for derived, _id, reviewer_id, org_id, ind_id, kind, source, note, created_at in rows:
        # When the tie entered the records (the row's creation), whatever date it names.
        recorded_on = created_at.date() if created_at else None
        if derived:
            interest = Interest(
                codes[reviewer_id],
                f"org:{org_id}",
                InterestKind.CONSULTING,
                "derived",
                note or "咨询服务记录",
                recorded_on,
            )
        else:
            interest = Interest(
                codes[reviewer_id],
                f"org:{org_id}" if org_id else f"ind:{ind_id}",
                InterestKind(kind),
                source if source in SOURCE_LABELS else "declared",
                note or "",
                recorded_on,
            )
        found.append(interest)
    return found


def conflicts_of(reviewer: Reviewer, app: Application, interests=None) -> list[Interest]:
    """The reviewer's ties to the applicant (M-25); `interests`, the reviewer's recorded
    interests when the caller has read them already (a page checking many applications)."""
    if interests is None:
        interests = recorded_interests([reviewer])
    return conflicts_between(reviewer_facts(reviewer), applicant_key(app), interests)


def ensure_unconflicted(reviewer: Reviewer, app: Application) -> None:
    """M-25: refuse a reviewer tied to the applicant, naming the tie."""
    ensure_no_conflict(
        reviewer_facts(reviewer),
        applicant_key(app),
        app.applicant_name,
        recorded_interests([reviewer]),
    )


def group_spec(group: ReviewGroup, members=None) -> GroupSpec:
    members = group.members if members is None else members
    return GroupSpec(
        group.name,
        ReviewStage(group.stage),
        [GroupMember(reviewer_facts(m.reviewer), bool(m.is_leader)) for m in members],
    )


# --- reviewer pool ------------------------------------------------------------------------


@dataclass
class QualificationReport:
    reviewer: Reviewer
    on: date
    items: list
    years: int
    interests: list[tuple[str, str, str, str]]  # (applicant, kind, source, note)
    open_conflicts: list[str] = field(default_factory=list)

    @property
    def qualified(self) -> bool:
        return self.reviewer.active and all(i.status.value == "pass" for i in self.items)


def _applicant_name(key: str) -> str:
    from models import Individual, Organization

    kind, _, pk = key.partition(":")
    row = db.session.get(Organization if kind == "org" else Individual, int(pk))
    return str(row) if row else key


def qualification_report(reviewer: Reviewer, on: date | None = None) -> QualificationReport:
    """Every condition of M-10.1 to M-10.4 and M-25 with pass or fail and the evidence."""
    on = on or today()
    facts = reviewer_facts(reviewer)
    interests = recorded_interests([reviewer])
    if facts.employer_key:
        interests.append(
            Interest(
                facts.key, facts.employer_key, InterestKind.EMPLOYMENT, "derived", "评审员任职单位"
            )
        )
    rows = [
        (_applicant_name(i.applicant_key), i.kind.label, SOURCE_LABELS[i.source], i.note)
        for i in interests
    ]
    report = QualificationReport(
        reviewer, on, qualification(facts, on), years_of_quality_work(facts, on), rows
    )
    report.open_conflicts = [
        f"{group.name}：{app}" for group, app in conflicted_assignments(reviewer)
    ]
    return report


def conflicted_assignments(reviewer: Reviewer) -> list[tuple[ReviewGroup, Application]]:
    """Open groups of the reviewer holding an application they are now tied to (M-25)."""
    rows = db.session.execute(
        select(ReviewGroup, Application)
        .join(ReviewGroupMember, ReviewGroupMember.group_id == ReviewGroup.id)
        .join(ReviewAssignment, ReviewAssignment.group_id == ReviewGroup.id)
        .join(Application, Application.id == ReviewAssignment.application_id)
        .where(ReviewGroupMember.reviewer_id == reviewer.id, ReviewGroup.closed_at.is_(None))
    ).all()
    return [(g, a) for g, a in rows if conflicts_of(reviewer, a)]


@quiet
def check_reviewer(reviewer: Reviewer, adding: bool) -> None:
    codes = [c.strip().upper() for c in (reviewer.industries or "").split(",") if c.strip()]
    bad = [c for c in codes if c[:1] not in INDUSTRY_SECTIONS]
    if bad:
        raise InvalidInput(f"行业门类代码 {'、'.join(bad)} 不属于 GB/T 4754-2017")
    reviewer.industries = ",".join(codes)
    if not adding and reviewer.active and is_disqualified(reviewer_facts(reviewer)):
        raise RuleViolation(f"评审员 {reviewer.name} 已被撤销评审员资格，不能重新启用", rule="M-25")


@quiet
def _sanctioned(sanction) -> Reviewer:
    reviewer = sanction.reviewer or (
        db.session.get(Reviewer, sanction.reviewer_id) if sanction.reviewer_id else None
    )
    if reviewer is None:
        raise InvalidInput("请选择评审员")
    return reviewer


def check_sanction(sanction, adding: bool) -> None:
    """M-25: a sanction names the breach and the reason; a disqualification is never softened.
    Only reads; `apply_sanction` makes the change."""
    _sanctioned(sanction)
    if not (sanction.reason or "").strip() or not (sanction.breach or "").strip():
        raise InvalidInput("须填写违反的规定和处理理由（M-25）")
    if sanction.decided_on and sanction.decided_on > today():
        raise InvalidInput("处理决定日期不能晚于今天")
    SanctionLevel(sanction.level)
    old_levels = inspect(sanction).attrs.level.history.deleted
    if not adding and SanctionLevel.DISQUALIFICATION.value in old_levels:
        raise RuleViolation("撤销评审员资格的处理决定不能改为较轻的处理", rule="M-25")


def apply_sanction(sanction, adding: bool, username: str | None) -> None:
    """The checked sanction: who decided it; a disqualification ends the reviewer's login;
    the decision's audit entry with its reason."""
    reviewer = _sanctioned(sanction)
    level = SanctionLevel(sanction.level)
    sanction.decided_by = sanction.decided_by or username
    db.session.add(sanction)  # checked: the audit entry's flush may write it
    if level is SanctionLevel.DISQUALIFICATION:
        reviewer.active = False
        if reviewer.user is not None:
            reviewer.user.active = False  # can no longer log in to score
    audit.record(
        "sanction_reviewer",
        reviewer,
        f"评审员 {reviewer.name}：{level.label}（{sanction.breach}）",
        reason=sanction.reason,
        details={"level": level.value, "decided_on": str(sanction.decided_on)},
        username=username,
    )


def record_sanction(sanction, adding: bool, username: str | None) -> None:
    """M-25: criticism, warning or disqualification; disqualification ends the reviewer's login
    (check, then change; the caller commits)."""
    check_sanction(sanction, adding)
    apply_sanction(sanction, adding, username)


@quiet
def check_declaration(
    decl: InterestDeclaration, adding: bool, reviewer_id: int | None, office: bool
) -> None:
    """A reviewer declares for themselves ('declared'); the Office may add one ('office')."""
    if adding:
        if office:
            decl.source = "office"
        else:
            if reviewer_id is None:
                raise InvalidInput("当前用户没有对应的评审员档案，不能申报利害关系")
            decl.reviewer = db.session.get(Reviewer, reviewer_id)
            decl.reviewer_id = reviewer_id
            decl.source = "declared"
        decl.declared_on = decl.declared_on or today()
    org = decl.organization_id or (decl.organization.id if decl.organization else None)
    ind = decl.individual_id or (decl.individual.id if decl.individual else None)
    if bool(org) == bool(ind):
        raise InvalidInput("须且只能选择一个有利害关系的组织或个人")
    if decl.reviewer is None and decl.reviewer_id is None:
        raise InvalidInput("请选择评审员")
