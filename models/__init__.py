"""SQLAlchemy models, one module per aggregate; all share FAB's `Model.metadata`."""

from flask_appbuilder.security.sqla.models import Role, User  # noqa: F401 - relationship("User")

from .applicants import (
    Ban,
    Certificate,
    Incident,
    Individual,
    Organization,
    Penalty,
    SamplingResult,
    Trademark,
)
from .applications import (
    Application,
    ApplicationDocument,
    Disqualification,
    EligibilityJudgement,
    EligibilityReview,
)
from .audit import AuditEntry
from .awards import Award, FollowUpReport, PrizePayment, Recovery, RevocationCase
from .base import Model
from .cycles import AwardCycle, CycleAmendment, GovernmentApproval
from .documents import IssuedDocument
from .evaluation import (
    CommitteeVote,
    NoticeHoliday,
    Objection,
    PublicNotice,
    SatisfactionEvaluation,
    StageMove,
)
from .notifications import Notification, UserPreference
from .recommenders import Recommendation, Recommender
from .reference import CriteriaCategory, CriteriaItem, CriteriaVersion, Industry
from .reviewers import (
    ConsultingEngagement,
    InterestDeclaration,
    ReviewAssignment,
    Reviewer,
    ReviewerCertificate,
    ReviewerSanction,
    ReviewGroup,
    ReviewGroupMember,
)
from .scoring import ReviewReport, ScoreChange, ScoreLine, Scoresheet, StageScore
from .security import PasswordHistory, SecurityEvent, UserSecurity

__all__ = [
    "Application",
    "ApplicationDocument",
    "AuditEntry",
    "Award",
    "AwardCycle",
    "Ban",
    "Certificate",
    "CommitteeVote",
    "ConsultingEngagement",
    "CriteriaCategory",
    "CycleAmendment",
    "CriteriaItem",
    "CriteriaVersion",
    "Disqualification",
    "EligibilityJudgement",
    "EligibilityReview",
    "FollowUpReport",
    "GovernmentApproval",
    "Incident",
    "Individual",
    "IssuedDocument",
    "Industry",
    "InterestDeclaration",
    "Model",
    "NoticeHoliday",
    "Notification",
    "Objection",
    "Organization",
    "Penalty",
    "PasswordHistory",
    "PrizePayment",
    "PublicNotice",
    "Recommendation",
    "Recommender",
    "Recovery",
    "ReviewAssignment",
    "ReviewGroup",
    "ReviewGroupMember",
    "ReviewReport",
    "Reviewer",
    "ReviewerCertificate",
    "ReviewerSanction",
    "RevocationCase",
    "SamplingResult",
    "SatisfactionEvaluation",
    "SecurityEvent",
    "ScoreChange",
    "ScoreLine",
    "Scoresheet",
    "StageMove",
    "StageScore",
    "Trademark",
    "UserPreference",
    "UserSecurity",
]
