"""User-satisfaction evidence of the on-site list (M-19.3) and the Committee's votes (M-19.6)."""

from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select, true

from app.domain import votes as vote_rules
from app.domain.enums import ApplicantKind, SatisfactionMethod, Stage
from app.domain.enums import ApplicationStatus as S
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.audit import current_username
from app.services.workflow import ON_SITE_LIST
from models import Application, CommitteeVote, SatisfactionEvaluation

SATISFACTION_STAGES = {Stage.USER_EVALUATION, Stage.ONSITE_REVIEW, Stage.COMPREHENSIVE}


class SatisfactionRefused(RuleViolation):
    rule = "M-19.3"
    default_message = "用户满意度测评数据不合理"


class NotACandidate(RuleViolation):
    rule = "M-19.6"
    default_message = "只能对拟表彰对象进行表决"


class VoteAlreadyRecorded(RuleViolation):
    """M-19.6: the Committee votes once on each candidate; a recorded tally is corrected by
    editing it, never by a second one."""

    rule = "M-19.6"
    default_message = "该申报的委员会表决结果已录入"


def _application(item) -> Application:
    app = item.application or (
        db.session.get(Application, item.application_id) if item.application_id else None
    )
    if app is None:
        raise InvalidInput("请选择申报")
    return app


def validate_satisfaction(item: SatisfactionEvaluation, adding: bool) -> None:
    """M-19.3: only organizations on the on-site list; index 0..100; responses within the sample."""
    app = _application(item)
    ensure_stage(Stage(app.cycle.stage), SATISFACTION_STAGES, "录入用户满意度测评")
    if app.applicant_kind != ApplicantKind.ORGANIZATION.value:
        raise SatisfactionRefused(f"{app.applicant_name}为个人申报，用户满意度测评只针对组织")
    if S(app.status) not in ON_SITE_LIST:
        raise SatisfactionRefused(
            f"{app.number} {app.applicant_name}的状态为「{S(app.status).label}」，"
            "只有列入现场评审名单的组织才录入用户满意度测评"
        )
    index = item.satisfaction_index
    if index is None or not Decimal(0) <= Decimal(index) <= Decimal(100):
        raise SatisfactionRefused(f"满意度指数应在 0 至 100 之间，不能为 {index}")
    sample, valid = item.sample_size or 0, item.valid_responses or 0
    if sample < 0 or valid < 0:
        raise SatisfactionRefused("样本量和有效回收数不能为负数")
    if valid > sample:
        raise SatisfactionRefused(f"有效回收 {valid} 份，多于样本量 {sample} 份")
    if item.method == SatisfactionMethod.THIRD_PARTY.value and not (item.agency or "").strip():
        raise SatisfactionRefused("第三方机构测评须填写测评机构名称")


def apply_satisfaction(item: SatisfactionEvaluation, adding: bool) -> None:
    """The checked evaluation's counts, then its audit entry (same transaction)."""
    app = _application(item)
    index = item.satisfaction_index
    sample, valid = item.sample_size or 0, item.valid_responses or 0
    item.sample_size, item.valid_responses = sample, valid
    db.session.add(item)
    db.session.flush()
    audit.record(
        "satisfaction",
        item,
        f"{app.number} {app.applicant_name}用户满意度指数 {index}"
        f"（{SatisfactionMethod(item.method).label}，样本 {sample}，有效 {valid}）",
        cycle_id=app.cycle_id,
        application_id=app.id,
    )


def validate_vote(item: CommitteeVote, adding: bool) -> None:
    """M-19.6: a possible tally for a proposed candidate; `passed` follows the cycle's rule."""
    app = _application(item)
    cycle = app.cycle
    ensure_stage(Stage(cycle.stage), Stage.COMMITTEE_VOTE, "录入委员会表决结果")
    if S(app.status) is not S.PROPOSED:
        raise NotACandidate(
            f"{app.number} {app.applicant_name}的状态为「{S(app.status).label}」，"
            "只能对拟表彰对象表决"
        )
    vote_rules.vote_passes(_tally(item), Fraction(str(cycle.vote_threshold)))  # a possible tally
    earlier = db.session.scalar(
        select(CommitteeVote).where(
            CommitteeVote.application_id == app.id,
            CommitteeVote.id != item.id if item.id is not None else true(),
        )
    )
    if earlier is not None:
        raise VoteAlreadyRecorded(
            f"{app.number} {app.applicant_name}的委员会表决结果已于 {earlier.held_on} 录入，"
            "每个拟表彰对象只表决一次；如需更正，请编辑已录入的表决结果",
            fields={"application": "该申报的表决结果已录入（M-19.6），请编辑已录入的结果"},
        )


def _tally(item: CommitteeVote):
    return vote_rules.VoteTally(
        for_=item.votes_for or 0,
        against=item.votes_against or 0,
        abstain=item.abstentions or 0,
        present=item.present or 0,
        members=item.members or 0,
    )


def apply_vote(item: CommitteeVote, adding: bool) -> None:
    """The checked tally's result under the cycle's rule, who recorded it, the audit entry."""
    app = _application(item)
    cycle = app.cycle
    tally = _tally(item)
    threshold = Fraction(str(cycle.vote_threshold))
    item.passed = vote_rules.vote_passes(tally, threshold)
    item.votes_for, item.votes_against, item.abstentions = tally.for_, tally.against, tally.abstain
    item.recorded_by = current_username()
    db.session.add(item)
    db.session.flush()
    audit.record(
        "committee_vote",
        item,
        f"{app.number} {app.applicant_name}：委员 {tally.members} 人，出席 {tally.present} 人，"
        f"赞成 {tally.for_}、反对 {tally.against}、弃权 {tally.abstain}，"
        f"{'通过' if item.passed else '未通过'}",
        details={"threshold": str(cycle.vote_threshold)},
        cycle_id=cycle.id,
        application_id=app.id,
    )
