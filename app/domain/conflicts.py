"""Conflicts of interest between reviewers and applicants (M-25(2)-(4))."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.domain.enums import InterestKind
from app.domain.errors import RuleViolation
from app.domain.reviewers import ReviewerFacts

InterestSource = Literal["declared", "office", "derived"]
SOURCE_LABELS: dict[str, str] = {
    "declared": "评审员申报",
    "office": "市质评办登记",
    "derived": "系统推定",
}


class ConflictOfInterest(RuleViolation):
    rule = "M-25"
    default_message = "评审员与申报单位存在利害关系，不得评审"

    def __init__(
        self,
        message: str | None = None,
        *,
        reviewer_key: str = "",
        applicant_key: str = "",
        kinds: tuple[InterestKind, ...] = (),
    ):
        self.reviewer_key = reviewer_key
        self.applicant_key = applicant_key
        self.kinds = kinds
        super().__init__(message)


@dataclass(frozen=True)
class Interest:
    """A tie between a reviewer and an applicant that bars the reviewer from it."""

    reviewer_key: str
    applicant_key: str
    kind: InterestKind
    source: InterestSource = "declared"
    note: str = ""
    recorded_on: date | None = None  # when the tie was recorded (a derived one: unknown)

    @property
    def rule(self) -> str:
        return rule_of(self.kind)


# M-25(2) an interest in the applicant; (3) consulting for it; (4) gifts from it.
KIND_RULES: dict[InterestKind, str] = {
    InterestKind.CONSULTING: "M-25.3",
    InterestKind.GIFT: "M-25.4",
}


def rule_of(kind: InterestKind) -> str:
    """The sub-rule of M-25 a kind of tie breaks."""
    return KIND_RULES.get(kind, "M-25.2")


def derive_conflicts(
    reviewer: ReviewerFacts, applicant_key: str, consulted_for: Iterable[str] = ()
) -> list[Interest]:
    """Conflicts the records imply: the reviewer works for, or consulted for, the applicant."""
    found = []
    if reviewer.employer_key is not None and reviewer.employer_key == applicant_key:
        found.append(
            Interest(
                reviewer.key, applicant_key, InterestKind.EMPLOYMENT, "derived", "评审员任职单位"
            )
        )
    if applicant_key in set(consulted_for):
        found.append(
            Interest(
                reviewer.key, applicant_key, InterestKind.CONSULTING, "derived", "曾为其提供咨询"
            )
        )
    return found


def conflicts_for(
    reviewer_key: str,
    applicant_key: str,
    declared: Iterable[Interest],
    derived: Iterable[Interest] = (),
) -> list[Interest]:
    """The interests, of any source, tying this reviewer to this applicant."""
    return [
        i
        for i in [*declared, *derived]
        if i.reviewer_key == reviewer_key and i.applicant_key == applicant_key
    ]


def conflicts_between(
    reviewer: ReviewerFacts,
    applicant_key: str,
    interests: Iterable[Interest] = (),
    consulted_for: Iterable[str] = (),
) -> list[Interest]:
    """Recorded interests (declared or added by the Office) plus those derived from the records."""
    derived = derive_conflicts(reviewer, applicant_key, consulted_for)
    return conflicts_for(reviewer.key, applicant_key, interests, derived)


def kinds_of(found: Iterable[Interest]) -> tuple[InterestKind, ...]:
    """Distinct kinds in the order of `InterestKind`, for a stable message."""
    present = {i.kind for i in found}
    return tuple(k for k in InterestKind if k in present)


def conflict_message(reviewer_name: str, applicant_name: str, found: Iterable[Interest]) -> str:
    kinds = "、".join(k.label for k in kinds_of(found))
    return f"评审员 {reviewer_name} 与 申报单位 {applicant_name} 存在利害关系（{kinds}），不得评审"


def ensure_no_conflict(
    reviewer: ReviewerFacts,
    applicant_key: str,
    applicant_name: str,
    interests: Iterable[Interest] = (),
    consulted_for: Iterable[str] = (),
) -> None:
    """M-25(2)-(4): refuse a reviewer tied to the applicant, naming both and the kind of tie."""
    found = conflicts_between(reviewer, applicant_key, interests, consulted_for)
    if found:
        raise ConflictOfInterest(
            conflict_message(reviewer.name, applicant_name, found),
            reviewer_key=reviewer.key,
            applicant_key=applicant_key,
            kinds=kinds_of(found),
        )
