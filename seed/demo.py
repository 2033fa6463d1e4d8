"""The demo data set: users, Yining applicants, reviewers and one cycle per stage (idempotent)."""

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.audit_capture import paused
from models import (
    Application,
    AuditEntry,
    Award,
    AwardCycle,
    Ban,
    CommitteeVote,
    CriteriaVersion,
    EligibilityReview,
    FollowUpReport,
    Individual,
    Objection,
    Organization,
    PublicNotice,
    Recommender,
    Reviewer,
    ReviewGroup,
    RevocationCase,
    SatisfactionEvaluation,
    ScoreLine,
    Scoresheet,
    StageScore,
    User,
)

from .context import DemoContext
from .demo_agency import load_agencies
from .demo_applicants import load_applicant_accounts
from .demo_audit import write_trail
from .demo_awards import EVENTS, load_awards
from .demo_cycles import APPLICATIONS, load_cycle
from .demo_experts import load_recommenders, load_reviewers
from .demo_organizations import load_organizations
from .demo_progress import load_progress, record_ranking
from .demo_progress_data import STAGE_OF as IN_PROGRESS
from .demo_records import load_records_and_individuals
from .demo_scores import load_review
from .reference import GBT19580_2012, load_reference

MakeUser = Callable[[str, str, str, str], Any]
MARKER_YEAR = 2021  # an edition every load makes: when it exists, the demo has been loaded
EMAIL_DOMAIN = "award.yining.example"

# username, role, full name (CONTRACT.md: demo users)
USERS = [
    ("admin", "Admin", "系统管理员"),
    ("office", "Office", "王丽"),
    ("leader1", "Reviewer", "张卫国"),
    ("reviewer1", "Reviewer", "刘芳"),
    ("reviewer2", "Reviewer", "古丽娜尔·艾山"),
    ("reviewer3", "Reviewer", "周明"),
    ("reviewer4", "Reviewer", "陈静"),
    ("committee1", "Committee", "李明远"),
    ("recommender1", "Recommender", "黄建军"),
    ("agency1", "Agency", "马晓东"),  # the third-party agency running 2025 (M-6)
    ("sysadmin", "SysAdmin", "赵系统"),  # accounts and roles only (三权分立)
    ("auditor1", "Auditor", "孙审计"),  # reads the audit log, changes nothing
    ("applicant1", "Applicant", "赵鑫"),  # 伊犁鑫达建筑安装工程有限公司 (issue 18)
    ("applicant2", "Applicant", "王志刚"),  # an individual (issue 18)
]

COUNTED = {
    "users": User,
    "organizations": Organization,
    "individuals": Individual,
    "recommenders": Recommender,
    "reviewers": Reviewer,
    "cycles": AwardCycle,
    "applications": Application,
    "eligibility_reviews": EligibilityReview,
    "review_groups": ReviewGroup,
    "scoresheets": Scoresheet,
    "score_lines": ScoreLine,
    "stage_scores": StageScore,
    "awards": Award,
    "follow_up_reports": FollowUpReport,
    "revocation_cases": RevocationCase,
    "bans": Ban,
    "satisfaction_evaluations": SatisfactionEvaluation,
    "committee_votes": CommitteeVote,
    "public_notices": PublicNotice,
    "objections": Objection,
    "audit_entries": AuditEntry,
}


def _user(session: Session, username: str):
    return session.scalar(select(User).where(User.username == username))


def load_users(session: Session, make_user: MakeUser) -> dict[str, Any]:
    """The demo users, made by `make_user(username, role, full name, email)` when missing."""
    users = {}
    for username, role, full_name in USERS:
        user = _user(session, username)
        if user is None:
            make_user(username, role, full_name, f"{username}@{EMAIL_DOMAIN}")
            user = _user(session, username)
            if user is None:
                raise RuntimeError(f"无法创建演示用户 {username}（角色 {role}）")
        users[username] = user
    return users


def summary(session: Session) -> dict[str, int]:
    """Row counts of the main tables."""
    return {
        name: session.scalar(select(func.count()).select_from(model))
        for name, model in COUNTED.items()
    }


def load_demo(session: Session, make_user: MakeUser, today: date) -> dict[str, int]:
    """Load the demo data set once; a second call changes nothing and returns the same summary.

    Rows are flushed, not committed: the caller commits (or rolls back) the whole set.
    """
    # The demo writes its own trail of decisions (seed/demo_audit.py), not one entry per row.
    with paused(session):
        load_reference(session)
        users = load_users(session, make_user)
        if session.scalar(select(AwardCycle.id).where(AwardCycle.year == MARKER_YEAR)) is None:
            version = session.scalar(
                select(CriteriaVersion).where(CriteriaVersion.code == GBT19580_2012)
            )
            ctx = DemoContext(session, today, version, users=users)
            load_organizations(ctx)
            load_records_and_individuals(ctx)
            load_recommenders(ctx)
            load_reviewers(ctx)
            for year in sorted(APPLICATIONS):  # oldest first: later eligibility sees earlier bans
                load_cycle(ctx, year)
                if year in IN_PROGRESS:  # a demonstration stopped at its stage, or the next edition
                    load_progress(ctx, year)
                    continue
                load_review(ctx, year)
                if year in EVENTS:
                    record_ranking(ctx, year)
                    load_awards(ctx, year)
            load_agencies(ctx)  # M-6 agencies and contracts, M-7 approvals
            load_applicant_accounts(ctx)
            write_trail(session, ctx.trail)
            session.flush()
    return summary(session)
