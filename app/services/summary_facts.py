"""What a cycle's summary workbook shows, loaded from the database in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.enums import ApplicationStatus, Prize, ReviewStage
from app.domain.ranking import Ranking
from app.domain.scoring import round_display
from app.extensions import db
from models import (
    Application,
    Award,
    AwardCycle,
    CommitteeVote,
    CriteriaCategory,
    CriteriaItem,
    EligibilityReview,
    FollowUpReport,
    GovernmentApproval,
    Individual,
    Industry,
    PublicNotice,
    Recommendation,
    Recovery,
    RevocationCase,
    StageScore,
)

from .ranking import cycle_ranking

# Item points are exact (15 points at 35% is 5.25): the two-decimal format keeps them exact,
# where the one-decimal "score" format would show 5.3 beside an exact total.
POINTS = "money"
EXCLUDED = {ApplicationStatus.DISQUALIFIED.value, ApplicationStatus.WITHDRAWN.value}


@dataclass
class CycleFacts:
    """Everything the sheets show, loaded with a fixed number of queries."""

    cycle: AwardCycle
    categories: list[CriteriaCategory]
    items: list[CriteriaItem]
    applications: list[Application]
    industries: dict[str, str]
    scores: dict[tuple[int, str], StageScore]
    votes: dict[int, CommitteeVote]
    reviews: dict[int, EligibilityReview]
    recommenders: dict[int, str]
    awards: list[Award]
    recoveries: dict[int, list[Recovery]]
    reports: dict[int, list[FollowUpReport]]
    notice: PublicNotice | None
    approval: GovernmentApproval | None
    rankings: dict[Prize, Ranking] = field(default_factory=dict)

    def category_score(self, application_id: int, code: str | None) -> Decimal | None:
        row = self.scores.get((application_id, ReviewStage.ONSITE.value))
        value = (row.categories or {}).get(code) if row is not None and code else None
        return Decimal(str(value)) if value is not None else None


def load_facts(cycle: AwardCycle) -> CycleFacts:
    s = db.session
    app_ids = select(Application.id).where(Application.cycle_id == cycle.id)
    applications = list(
        s.scalars(
            select(Application)
            .where(Application.cycle_id == cycle.id)
            .options(
                selectinload(Application.organization),
                selectinload(Application.individual).selectinload(Individual.employer),
            )
            .order_by(Application.number)
        )
    )
    awards = list(
        s.scalars(
            select(Award)
            .where(Award.cycle_id == cycle.id)
            .options(selectinload(Award.payments), selectinload(Award.application))
            .order_by(Award.prize, Award.certificate_no)
        )
    )
    award_ids = [a.id for a in awards]
    reviews: dict[int, EligibilityReview] = {}
    for review in s.scalars(
        select(EligibilityReview)
        .where(EligibilityReview.application_id.in_(app_ids))
        .order_by(EligibilityReview.reviewed_at, EligibilityReview.id)
    ):
        reviews[review.application_id] = review  # the latest wins
    recoveries: dict[int, list[Recovery]] = defaultdict(list)
    for recovery, award_id in s.execute(
        select(Recovery, RevocationCase.award_id)
        .join(RevocationCase, Recovery.revocation_case_id == RevocationCase.id)
        .where(RevocationCase.award_id.in_(award_ids))
        .order_by(Recovery.id)
    ):
        recoveries[award_id].append(recovery)
    reports: dict[int, list[FollowUpReport]] = defaultdict(list)
    for report in s.scalars(
        select(FollowUpReport)
        .where(FollowUpReport.award_id.in_(award_ids))
        .order_by(FollowUpReport.report_year)
    ):
        reports[report.award_id].append(report)
    facts = CycleFacts(
        cycle=cycle,
        categories=list(
            s.scalars(
                select(CriteriaCategory)
                .where(CriteriaCategory.version_id == cycle.criteria_version_id)
                .order_by(CriteriaCategory.position, CriteriaCategory.code)
            )
        ),
        items=list(
            s.scalars(
                select(CriteriaItem)
                .where(CriteriaItem.version_id == cycle.criteria_version_id)
                .join(CriteriaCategory, CriteriaItem.category_id == CriteriaCategory.id)
                .order_by(CriteriaCategory.position, CriteriaItem.position, CriteriaItem.code)
            )
        ),
        applications=applications,
        industries={
            code: name for code, name in s.execute(select(Industry.code, Industry.name_zh))
        },
        scores={
            (row.application_id, row.stage): row
            for row in s.scalars(select(StageScore).where(StageScore.application_id.in_(app_ids)))
        },
        votes={
            v.application_id: v
            for v in s.scalars(
                select(CommitteeVote).where(CommitteeVote.application_id.in_(app_ids))
            )
        },
        reviews=reviews,
        recommenders={
            r.application_id: r.recommender.name
            for r in s.scalars(
                select(Recommendation)
                .where(Recommendation.application_id.in_(app_ids))
                .options(selectinload(Recommendation.recommender))
            )
        },
        awards=awards,
        recoveries=recoveries,
        reports=reports,
        notice=s.scalar(select(PublicNotice).where(PublicNotice.cycle_id == cycle.id)),
        approval=s.scalar(
            select(GovernmentApproval).where(GovernmentApproval.cycle_id == cycle.id)
        ),
    )
    facts.rankings = rank(facts)
    return facts


def rank(facts: CycleFacts) -> dict[Prize, Ranking]:
    """M-19.5: the ranking the comprehensive-evaluation screen shows, from the same service."""
    return cycle_ranking(facts.cycle).rankings


def shown(value: Decimal | None) -> Decimal | None:
    """RULES.md M-19.2: totals are rounded half up to 1 decimal for display and export only."""
    return round_display(value) if value is not None else None


def label_of(enum_cls, value) -> str:
    try:
        return enum_cls(value).label
    except ValueError:
        return value or ""


def points_text(value: Decimal) -> str:
    return str(int(value)) if value == int(value) else str(value)


def industry_of(facts: CycleFacts, app: Application) -> str:
    code = app.industry_code
    return f"{code} {facts.industries.get(code, '')}".strip() if code else ""
