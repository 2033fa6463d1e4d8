"""Intake use cases: cycles (M-17), applications (M-2, M-17, M-19.1, M-28), recommendations."""

from datetime import date

from sqlalchemy import func, or_, select

from app.domain import bans as ban_rules
from app.domain import quotas as quota_rules
from app.domain.enums import (
    ApplicantKind,
    ApplicationStatus,
    BanReason,
    CheckStatus,
    Prize,
    Stage,
)
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.stages import application_window_check, ensure_dates_in_order, ensure_stage
from app.extensions import db
from app.services import cycle_settings
from models import Application, AwardCycle, Ban, Recommendation, Recommender


class DuplicateApplication(RuleViolation):
    rule = "M-18"
    default_message = "同一申报主体在同一届只能申报一次"


class RecommenderOutOfSector(RuleViolation):
    rule = "M-9"
    default_message = "推荐单位只能推荐本行业（领域）的申报主体"


def validate_cycle(cycle: AwardCycle, adding: bool) -> None:
    """A saved cycle's values hold together, and an edit touches no setting its stage froze."""
    check_cycle_values(cycle)
    if not adding:
        cycle_settings.ensure_edit_allowed(cycle)


def check_cycle_values(cycle: AwardCycle) -> None:
    ensure_dates_in_order(
        [
            ("发布日期", cycle.announced_on),
            ("申报开始日期", cycle.opens_on),
            ("申报截止日期", cycle.deadline),
            ("材料评审日期", cycle.material_review_on),
            ("现场评审日期", cycle.onsite_review_on),
        ]
    )
    for label, value in (
        ("质量奖奖金", cycle.award_amount),
        ("提名奖奖金", cycle.nomination_amount),
        ("预算", cycle.budget),
        ("第三方机构费用", cycle.agency_fee),
    ):
        if value is not None and value < 0:
            raise InvalidInput(f"{label}不能为负数")
    quota_rules.ensure_quota_setting(Prize.AWARD, cycle.award_quota)
    quota_rules.ensure_quota_setting(Prize.NOMINATION, cycle.nomination_quota)


def domain_bans(organization_id=None, individual_id=None) -> list[ban_rules.Ban]:
    conditions = []
    if organization_id:
        conditions.append(Ban.organization_id == organization_id)
    if individual_id:
        conditions.append(Ban.individual_id == individual_id)
    if not conditions:
        return []
    return bans_where(db.session, or_(*conditions))


def bans_where(session, condition) -> list[ban_rules.Ban]:
    """The bans matching `condition`, each with the year of the cycle of the application that
    caused it (a falsification bars that cycle only, M-19.1)."""
    rows = session.execute(
        select(Ban, AwardCycle.year)
        .outerjoin(Application, Application.id == Ban.application_id)
        .outerjoin(AwardCycle, AwardCycle.id == Application.cycle_id)
        .where(condition)
        .order_by(Ban.id)
    )
    return [
        ban_rules.Ban(BanReason(b.reason), b.starts_on, b.ends_on, cycle_year=year)
        for b, year in rows
    ]


def validate_application(app: Application, adding: bool, today: date | None = None) -> None:
    from app.domain.eligibility import check_prize_fits_applicant

    today = today or date.today()
    if app.organization_id is None and app.organization is not None:
        app.organization_id = app.organization.id
    if app.individual_id is None and app.individual is not None:
        app.individual_id = app.individual.id
    kind = ApplicantKind.ORGANIZATION if app.organization_id else ApplicantKind.INDIVIDUAL
    if bool(app.organization_id) == bool(app.individual_id):
        raise InvalidInput("须且只能选择一个申报主体：组织或个人")
    app.applicant_kind = kind.value
    check_prize_fits_applicant(Prize(app.prize), kind)
    if not adding:
        return
    cycle = app.cycle or db.session.get(AwardCycle, app.cycle_id)
    if cycle is None:
        raise InvalidInput("请选择评定年度")
    application_window_check(cycle.opens_on, cycle.deadline, today)
    ban_rules.ensure_not_banned_in_cycle(
        domain_bans(app.organization_id, app.individual_id), cycle.year, today
    )
    existing = db.session.scalar(
        select(Application.number).where(
            Application.cycle_id == cycle.id,
            Application.organization_id == app.organization_id
            if app.organization_id
            else Application.individual_id == app.individual_id,
        )
    )
    if existing:
        raise DuplicateApplication(
            f"该申报主体在{cycle.name}已有申报（{existing}），同一届只能申报一次"
        )


def apply_application(app: Application, adding: bool) -> None:
    """A checked new application's number and status (submitted unless kept as a draft)."""
    if not adding:
        return
    cycle = app.cycle or db.session.get(AwardCycle, app.cycle_id)
    app.cycle_id = cycle.id
    if not app.number:
        app.number = next_number(cycle, Prize(app.prize))
    if not app.status:
        app.status = ApplicationStatus.SUBMITTED.value
    if app.status == ApplicationStatus.DRAFT.value and app.submitted_on:
        app.status = ApplicationStatus.SUBMITTED.value


def next_number(cycle: AwardCycle, prize: Prize) -> str:
    prefix = f"{cycle.year}-{'ZLJ' if prize is Prize.AWARD else 'TMJ'}-"
    count = db.session.scalar(
        select(func.count()).select_from(Application).where(Application.number.like(prefix + "%"))
    )
    return f"{prefix}{count + 1:03d}"


class RecommenderNotOwn(RuleViolation):
    rule = "M-9"
    default_message = "推荐单位只能以本单位名义签署推荐意见"


def validate_recommendation(rec, adding: bool = True, acting_recommender_id=None) -> None:
    """M-9: a recommender recommends applicants of its own sectors, in its own name; M-18:
    one signed recommendation per application, recorded while the cycle takes in applications.

    `acting_recommender_id` is the recommender of the signed-in user when that user is a
    Recommender (None for the Office, which records paper recommendations for any of them).
    """
    # No autoflush: a new row's backref has already displaced an existing one in memory.
    with db.session.no_autoflush:
        _check_recommendation(rec, adding, acting_recommender_id)


def _check_recommendation(rec, adding: bool, acting_recommender_id) -> None:
    if rec.application is None and rec.application_id:
        rec.application = db.session.get(Application, rec.application_id)
    if rec.recommender is None and rec.recommender_id:
        rec.recommender = db.session.get(Recommender, rec.recommender_id)
    application = rec.application
    recommender = rec.recommender
    if application is None or recommender is None:
        raise InvalidInput("请选择申报和推荐单位")
    if acting_recommender_id is not None and recommender.id != acting_recommender_id:
        raise RecommenderNotOwn(f"您只能以本单位名义推荐，不能代{recommender.name}签署推荐意见")
    industry = application.industry_code
    if industry and not recommender.covers(industry):
        raise RecommenderOutOfSector(
            f"{recommender.name}的推荐范围为 {recommender.sectors}，"
            f"不包括申报主体所属行业 {industry}"
        )
    if adding:
        ensure_stage(
            Stage(application.cycle.stage),
            {Stage.APPLICATIONS_OPEN, Stage.ELIGIBILITY},
            "录入推荐意见",
        )
        other = db.session.scalar(
            select(Recommendation.id).where(
                Recommendation.application_id == application.id,
                Recommendation.id != (rec.id or 0),
            )
        )
        if other:
            raise RuleViolation(
                f"申报 {application.number} 已有推荐意见，每份申报只能有一份推荐意见", rule="M-18"
            )
    if not adding and (rec.signed_at is not None or rec.declined_at is not None):
        # Issue 18: an opinion signed or declined on the screen is final (M-18).
        raise RuleViolation(
            f"申报 {application.number} 的推荐意见已由推荐单位网上签署或不予推荐，不能再修改",
            rule="M-18",
        )
    if bool(rec.signatory and rec.signatory.strip()) != bool(rec.signed_on):
        raise InvalidInput("签署人和签署日期须同时填写，推荐意见签署后方有效（M-18）")
    if rec.signed_on and rec.signed_on > date.today():
        raise InvalidInput("签署日期不能晚于今天")


def validate_judgement(judgement) -> None:
    if (
        CheckStatus(judgement.status) is not CheckStatus.JUDGEMENT
        and not (judgement.note or "").strip()
    ):
        raise InvalidInput("判定为符合或不符合时须填写判定理由（M-3）")
    application = judgement.application or db.session.get(Application, judgement.application_id)
    if application is None:
        raise InvalidInput("请选择申报")
    # Imported here: eligibility_facts builds on this module (domain_bans).
    from app.services.eligibility_facts import judgement_rules

    allowed = judgement_rules(application)
    if judgement.rule not in allowed:
        raise InvalidInput(
            f"{judgement.rule} 不是该申报需人工判定的条件；"
            f"需人工判定的条件为：{'、'.join(allowed) or '无'}"
        )
