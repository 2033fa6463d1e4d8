"""When the review reports, the evaluation report, the feedback and the certificates may be
issued, and who signs a review report off (M-10, M-19.2, M-19.4, M-19.5, M-19.8)."""

from dataclasses import dataclass
from datetime import datetime

from app.domain.enums import ReviewStage, Stage
from app.domain.errors import RuleViolation

# The rule under which each review stage's group writes its report.
REPORT_RULE = {ReviewStage.MATERIAL: "M-19.2", ReviewStage.ONSITE: "M-19.4"}
REPORT_TITLE = {ReviewStage.MATERIAL: "材料评审报告", ReviewStage.ONSITE: "现场评审报告"}

# The first stage of the cycle from which each document exists, and the rule that says so.
EVALUATION_FROM = (Stage.COMPREHENSIVE, "M-19.5")  # the Office ranks in 综合评价
RESULT_PUBLIC_FROM = (Stage.ANNOUNCED, "M-19.8")  # the city announces the winners


class DocumentStageNotReached(RuleViolation):
    """A document asked for before the stage of the cycle that produces its content."""

    rule = "M-17"
    default_message = "本届评定尚未进行到生成该文书的阶段"


class SignOffRefused(RuleViolation):
    """A review report signed off by someone other than the group's leader, or too early."""

    rule = "M-10"
    default_message = "评审报告须由评审组组长在评审组结束评审后签发"


class ReportNotSignedOff(RuleViolation):
    """A review report issued before the group's leader signed it off."""

    rule = "M-19.2"
    default_message = "评审报告尚未经评审组组长签发，不能出具"


def ensure_reached(current: Stage, first: tuple[Stage, str], document_zh: str) -> None:
    """Refuse a document before the cycle reaches the stage that produces it, naming both."""
    stage, rule = first
    if current.order < stage.order:
        raise DocumentStageNotReached(
            f"本届评定当前处于「{current.label}」阶段，「{stage.label}」阶段开始后"
            f"方可生成{document_zh}",
            rule=rule,
        )


@dataclass(frozen=True)
class SignOffFacts:
    """What the service found about a review report before its leader signs it off."""

    stage: ReviewStage
    group_name: str
    application_number: str
    signer_is_leader: bool
    group_closed: bool
    signed_off_at: datetime | None = None
    score_computed_at: datetime | None = None


def ensure_can_sign_off(facts: SignOffFacts) -> None:
    """M-10 (组长负责制): only the group's leader signs the report off; M-19.2, M-19.4: only
    once the group closed its stage, so that the report states final scores; once only."""
    rule = REPORT_RULE[facts.stage]
    title = REPORT_TITLE[facts.stage]
    if not facts.signer_is_leader:
        raise SignOffRefused(
            f"申报 {facts.application_number} 的{title}须由评审组 {facts.group_name} 的组长签发"
            "（组长负责制）",
            rule="M-10",
        )
    if not facts.group_closed:
        raise SignOffRefused(
            f"评审组 {facts.group_name} 尚未结束评审，得分未定，不能签发申报 "
            f"{facts.application_number} 的{title}",
            rule=rule,
        )
    if is_current(facts.signed_off_at, facts.score_computed_at):
        raise SignOffRefused(
            f"申报 {facts.application_number} 的{title}已于 "
            f"{facts.signed_off_at:%Y-%m-%d %H:%M} 签发，不能重复签发",
            rule=rule,
        )


def is_current(signed_off_at: datetime | None, score_computed_at: datetime | None) -> bool:
    """A sign-off holds for the score it saw: a score computed again afterwards (a recount
    after a late conflict, a reopened group closed again, M-25.2) needs a new sign-off."""
    if signed_off_at is None:
        return False
    return score_computed_at is None or signed_off_at >= score_computed_at


def ensure_signed_off(
    stage: ReviewStage,
    application_number: str,
    signed_off_at: datetime | None,
    score_computed_at: datetime | None = None,
) -> None:
    """A review report is issued only after its leader signed it off (M-19.2, M-19.4), and
    signed it off after the score it states was last computed."""
    title = REPORT_TITLE[stage]
    if signed_off_at is None:
        raise ReportNotSignedOff(
            f"申报 {application_number} 的{title}尚未经评审组组长签发，不能出具",
            rule=REPORT_RULE[stage],
        )
    if not is_current(signed_off_at, score_computed_at):
        raise ReportNotSignedOff(
            f"申报 {application_number} 的{stage.label}得分于 {score_computed_at:%Y-%m-%d %H:%M} "
            f"重新计算，{title}须由评审组组长重新签发后方可出具",
            rule=REPORT_RULE[stage],
        )
