"""The review group's page (M-10, M-19.2, M-19.4, M-25, M-6): read-only, in the same number of
statements whatever the group's size. The group with its members, reviewers and applications,
the ties of interest, every sheet of the group with its lines and the stage scores are each
read once for the whole page, never once per member or application."""

from dataclasses import dataclass

from app.domain.enums import ReviewStage, SheetStatus
from app.domain.groups import industry_label
from app.domain.reviewers import qualification
from app.extensions import db
from app.security.roles import AGENCY
from app.security.scopes import reviewer_id_of, role_names, sees_all
from app.services import conflict_counting, scoresheets, scoring_close, selectors
from app.services import reviewing as svc
from models import Reviewer, ReviewGroup


@dataclass(frozen=True)
class Viewer:
    """Who looks at the page: the Office sees everything; a member sees their own sheets; the
    agency follows progress (who has submitted), never the scores (M-6)."""

    reviewer_id: int | None
    office: bool
    agency: bool

    @classmethod
    def of(cls, user) -> "Viewer":
        office = sees_all(user)
        return cls(reviewer_id_of(user), office, not office and AGENCY in role_names(user))


@dataclass(frozen=True)
class MemberRow:
    """A member and their M-10 conditions, as the members' table shows them."""

    member: object
    items: list
    qualified: bool

    @property
    def failing(self) -> list:
        return [i for i in self.items if i.status.value != "pass"]


def group_page(group: ReviewGroup, viewer: Viewer, can_close: bool, can_reopen: bool = False):
    """What the group page shows: the Office and the leader see progress, and once the group is
    closed each member's scores with outliers flagged; a member sees only their own sheets;
    an application a reviewer is tied to is never shown to them (M-25)."""
    rid, office, agency = viewer.reviewer_id, viewer.office, viewer.agency
    counting = conflict_counting.group_counting(group)  # loads members and applications
    leader = any(m.is_leader and m.reviewer_id == rid for m in group.members)
    closed = group.closed_at is not None
    criteria = scoresheets.criteria_of(group.cycle.criteria_version_id)
    today = svc.today()
    members = []
    for m in sorted(group.members, key=lambda m: (not m.is_leader, m.reviewer.code)):
        items = qualification(svc.reviewer_facts(m.reviewer), today)
        qualified = m.reviewer.active and all(i.status.value == "pass" for i in items)
        members.append(MemberRow(m, items, qualified))
    tainted = [
        t
        for t in conflict_counting.tainted_scores(group, counting)
        if not conflict_counting.recountable(t)
    ]
    looker, interests = None, []
    if not office and rid is not None:
        looker = db.session.get(Reviewer, rid)
        interests = svc.recorded_interests([looker]) if looker is not None else []
    sheets, consensus = selectors.group_sheets(group.id)
    scores = selectors.stage_scores([a.application_id for a in group.assignments], group.stage)
    applications = []
    for a in sorted(group.assignments, key=lambda a: a.application.number):
        app = a.application
        if looker is not None and svc.conflicts_of(looker, app, interests):
            continue  # M-25: never shown to a reviewer tied to it
        results = scoring_close.application_results(
            group, app.id, criteria, counting, sheets.get(app.id, [])
        )
        experts = [
            m.reviewer.name
            for m in group.members
            if app.industry_code and svc.reviewer_facts(m.reviewer).is_expert_for(app.industry_code)
        ]
        rows = [
            {
                "sheet": r.sheet,
                "mine": r.sheet.reviewer_id == rid,
                "submitted": r.sheet.status == SheetStatus.SUBMITTED.value,
                "scored": sum(1 for v in r.scores.items.values() if v is not None),
                "total": r.scores.total,
                "categories": r.scores.categories,
                "outlier": r.outlier,
                "counted": r.counted,
                "reason": r.reason,
            }
            for r in results
            if office or leader or agency or r.sheet.reviewer_id == rid
        ]
        applications.append(
            {
                "app": app,
                "industry": industry_label(app.industry_code or "—"),
                "experts": experts,
                "rows": rows,
                "score": scores.get(app.id),
                "consensus": consensus.get(app.id),
            }
        )
    return {
        "group": group,
        "stage_label": ReviewStage(group.stage).label,
        "members": members,
        "applications": applications,
        "categories": [(c.code, c.name_zh) for c in criteria.spec.categories],
        "show_scores": closed and (office or leader),
        "show_progress": office or leader or agency,
        "leader": leader,
        "office": office,
        "closed": closed,
        "method": group.cycle.aggregation,
        "threshold": group.cycle.outlier_threshold,
        "can_close": not closed and can_close,
        # M-25.2, M-25.3: a closed group whose stage score still counts a tied sheet and
        # cannot be recomputed; the Office reopens it to add a replacement.
        "can_reopen": closed and can_reopen,
        "needs_reopen": [t.counting.application.key for t in tainted] if closed and office else [],
        # M-25.2, M-25.3: whose sheets do not count, and what the group still needs.
        "exclusions": [
            {
                "reason": "；".join(e.reason() for e in c.excluded),
                "short_by": 0 if closed else c.short_by,
                "number": c.application.key,
            }
            for c in sorted(counting.by_application.values(), key=lambda c: c.application.key)
            if c.excluded
        ]
        if office or leader
        else [],
    }
