"""The recommendation online and the paper copies (M-18): the chosen recommending body signs its
opinion or declines with a reason, once; the two paper copies (一式两份) are received; the
eligibility review starts only when both are there."""

from dataclasses import dataclass
from datetime import date

from .errors import RuleViolation

PAPER_COPIES = 2  # M-18: 一式两份


class RecommendationAlreadyDecided(RuleViolation):
    rule = "M-18"
    default_message = "推荐意见已签署或已不予推荐，不能再次办理"


class RecommendationIncomplete(RuleViolation):
    rule = "M-18"
    default_message = "推荐意见须填写推荐意见内容和签署人"


class DeclineNeedsReason(RuleViolation):
    rule = "M-18"
    default_message = "不予推荐须写明理由"


class PaperCopiesInvalid(RuleViolation):
    rule = "M-18"
    default_message = "纸质申报材料应为一式两份"


class NotReadyForEligibility(RuleViolation):
    rule = "M-18"
    default_message = "推荐单位签署的推荐意见和两份纸质申报材料齐备后，方可进行资格审查"


@dataclass(frozen=True)
class Intake:
    """What the Office has of one application: the recommendation and the paper copies."""

    number: str
    recommendation: str  # "none", "pending", "signed", "declined"
    paper_copies: int
    paper_received_on: date | None = None


def ensure_open_to_decide(state: str) -> None:
    if state in ("signed", "declined"):
        raise RecommendationAlreadyDecided(
            "推荐意见已" + ("签署" if state == "signed" else "作出不予推荐") + "，不能再次办理"
        )


def ensure_signable(state: str, opinion: str, signatory: str) -> None:
    """M-18: the opinion and the signatory are both given; an opinion is decided once."""
    ensure_open_to_decide(state)
    missing = {}
    if not (opinion or "").strip():
        missing["opinion"] = "请填写推荐意见"
    if not (signatory or "").strip():
        missing["signatory"] = "请填写签署人"
    if missing:
        raise RecommendationIncomplete(
            "推荐意见须填写"
            + "和".join(("推荐意见内容" if k == "opinion" else "签署人") for k in missing),
            fields=missing,
        )


def ensure_declinable(state: str, reason: str) -> None:
    ensure_open_to_decide(state)
    if not (reason or "").strip():
        raise DeclineNeedsReason(fields={"reason": "请写明不予推荐的理由"})


def ensure_paper_copies(count: int, received_on: date | None, today: date) -> None:
    """M-18: the two paper copies, on a day not in the future."""
    fields = {}
    if count != PAPER_COPIES:
        fields["paper_copies"] = f"应为 {PAPER_COPIES} 份"
    if received_on is None:
        fields["paper_received_on"] = "请填写接收日期"
    elif received_on > today:
        fields["paper_received_on"] = "接收日期不能晚于今天"
    if fields:
        raise PaperCopiesInvalid(
            f"纸质申报材料应为一式两份（{PAPER_COPIES} 份），并填写不晚于今天的接收日期",
            fields=fields,
        )


def missing_for_eligibility(intake: Intake) -> list[str]:
    """What the Office still lacks before the eligibility review may start (M-18)."""
    missing = []
    if intake.recommendation == "none":
        missing.append("尚无推荐单位的推荐意见")
    elif intake.recommendation == "pending":
        missing.append("推荐单位尚未签署推荐意见")
    elif intake.recommendation == "declined":
        missing.append("推荐单位不予推荐")
    if intake.paper_copies < PAPER_COPIES:
        missing.append(f"纸质申报材料已收 {intake.paper_copies} 份，应为一式两份")
    return missing


def ensure_ready_for_eligibility(intake: Intake) -> None:
    missing = missing_for_eligibility(intake)
    if missing:
        raise NotReadyForEligibility(
            f"申报 {intake.number} 尚不能进行资格审查：{'；'.join(missing)}"
        )
