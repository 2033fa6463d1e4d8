"""Demo votes, notices, approvals, awards, follow-up reports and a revocation (M-19.6 to M-28)."""

from datetime import date, timedelta
from decimal import Decimal

from app.domain.bans import ban_for_revocation
from app.domain.enums import (
    FollowUpStatus,
    ObjectionStatus,
    Prize,
    RevocationGround,
    RevocationStatus,
)
from app.domain.followups import due_date, reports_due
from app.domain.notice import notice_end
from app.domain.revocation import recovery_items
from models import (
    Award,
    Ban,
    CommitteeVote,
    FollowUpReport,
    GovernmentApproval,
    Objection,
    PrizePayment,
    PublicNotice,
    Recovery,
    RevocationCase,
)

from . import demo_log as log
from .context import DemoContext, at

# year: (winners in rank order, vote day, notice start, approval (day, document, meeting), announced)
EVENTS = {
    2021: (
        ["tianshan", "hengxin", "li_jianhua"],
        date(2021, 10, 20),
        date(2021, 10, 25),
        (date(2021, 11, 18), "伊市政发〔2021〕58号", "市人民政府第十二次常务会议"),
        date(2021, 11, 26),
    ),
    2024: (
        ["silu", "lab_team"],
        date(2024, 10, 22),
        date(2024, 10, 28),
        (date(2024, 11, 20), "伊市政发〔2024〕61号", "市人民政府第二十三次常务会议"),
        date(2024, 11, 28),
    ),
}
HOW_TO_OBJECT = (
    "公示期内，任何单位和个人对公示对象有异议的，请以书面形式向市质评办实名反映，写明真实姓名、"
    "联系方式并提供必要的证明材料；匿名异议仅作登记，不予调查。联系电话：0999-8022315；"
    "地址：伊宁市市场监督管理局（伊宁市斯大林街32号）。"
)
# Revenue in 10,000 yuan for the first report year, grown 8% a year (M-27 reports).
REVENUE = {"tianshan": 38600, "hengxin": 52300, "silu": 9800, "lab_team": None, "li_jianhua": None}
REVOKED = "hengxin"
REVOCATION = dict(
    opened_on=date(2023, 9, 5),
    verified=date(2023, 10, 10),
    reviewed=date(2023, 11, 20),
    approved=date(2024, 1, 15),
    document="伊市政函〔2024〕8号",
)
# The overdue report: the 2021 nomination winner never sent its report on 2023.
OVERDUE = ("li_jianhua", 2023)


def _vote_and_notice(ctx: DemoContext, year: int, winners: list[str], vote_day, notice_day):
    cycle = ctx.cycles[year]
    for n, key in enumerate(winners):
        app = ctx.apps[f"{year}:{key}"]
        vote = ctx.add(
            CommitteeVote(
                application_id=ctx.apps[f"{year}:{key}"].id,
                held_on=vote_day,
                members=15,
                present=13,
                votes_for=12 - n % 2,
                votes_against=n % 2,
                abstentions=1,
                passed=True,
                note="委员会全体会议无记名投票",
                recorded_by="committee1",
            )
        )
        log.vote(ctx, vote, app, cycle)
    names = "、".join(ctx.apps[f"{year}:{k}"].applicant_name for k in winners)
    notice = ctx.add(
        PublicNotice(
            cycle_id=cycle.id,
            title=f"{year}年度伊宁市政府质量奖拟表彰对象公示",
            starts_on=notice_day,
            ends_on=notice_end(notice_day, cycle.notice_days),
            body=f"经资格审查、材料评审、现场评审、综合评价和委员会评议，拟表彰对象为：{names}。现予公示。",
            how_to_object=HOW_TO_OBJECT,
            published_at=at(notice_day, 9),
        )
    )
    log.notice(ctx, notice, cycle, names, drafted=at(notice_day - timedelta(days=1), 15))
    if year == 2021:
        named, anonymous = ctx.add(
            Objection(
                notice_id=notice.id,
                application_id=ctx.apps["2021:hengxin"].id,
                objector_name="赵明",
                objector_contact="13899765432",
                content="反映该公司承建的某小区项目曾拖欠农民工工资。",
                received_on=notice_day + timedelta(days=2),
                status=ObjectionStatus.RESOLVED.value,
                resolution="经市人力资源和社会保障局核实，所涉工资已于2021年6月足额支付，无投诉积案，不影响评定。已书面答复异议人。",
                resolved_by="office",
                resolved_on=notice_day + timedelta(days=5),
            ),
            Objection(
                notice_id=notice.id,
                application_id=ctx.apps["2021:tianshan"].id,
                anonymous=True,
                content="匿名来信称该公司产品质量不稳定，未提供具体事实和证据。",
                received_on=notice_day + timedelta(days=3),
                status=ObjectionStatus.LOGGED_ANONYMOUS.value,
            ),
        )
        log.objection(ctx, named, cycle)
        log.objection(ctx, anonymous, cycle)
        log.resolution(ctx, named, cycle)


def _award(ctx: DemoContext, year: int, key: str, n: dict, announced: date) -> Award:
    cycle = ctx.cycles[year]
    app = ctx.apps[f"{year}:{key}"]
    prize = Prize(app.prize)
    n[prize] += 1
    amount = cycle.award_amount if prize is Prize.AWARD else cycle.nomination_amount
    word = "奖" if prize is Prize.AWARD else "提"
    award = ctx.add(
        Award(
            application_id=app.id,
            cycle_id=cycle.id,
            prize=prize.value,
            certificate_no=f"伊政质{word}〔{year}〕{n[prize]:03d}号",
            awarded_on=announced,
            amount=amount,
            plaque_delivered_on=announced,
            certificate_delivered_on=announced,
        )
    )
    ctx.add(
        PrizePayment(
            award_id=award.id,
            amount=amount,
            paid_on=announced + timedelta(days=25),
            voucher_no=f"伊财质〔{year}〕{award.id:03d}号",
            note="市财政专项资金拨付",
        )
    )
    return award


def _follow_ups(ctx: DemoContext, key: str, award: Award, until: date | None = None) -> None:
    years = reports_due(award.awarded_on, ctx.today, active_until=until)
    if until is not None:  # a revoked winner owes nothing due after the revocation
        years = [y for y in years if due_date(y) <= until]
    for year in years:
        due = due_date(year)
        waiting = (key, year) == OVERDUE or (award.awarded_on.year >= 2024 and year > 2024)
        if due >= ctx.today:
            waiting = True  # not yet due: still waiting for it
        base = REVENUE.get(key)
        revenue = (
            None
            if base is None
            else Decimal(base) * Decimal("1.08") ** (year - award.awarded_on.year) * 10000
        )
        ctx.add(
            FollowUpReport(
                award_id=award.id,
                report_year=year,
                due_on=due,
                status=(FollowUpStatus.DUE if waiting else FollowUpStatus.ACCEPTED).value,
                received_on=None if waiting else due - timedelta(days=15),
                revenue=None if waiting or revenue is None else revenue.quantize(Decimal("0.01")),
                profit=None
                if waiting or revenue is None
                else (revenue * Decimal("0.07")).quantize(Decimal("0.01")),
                quality_results=None
                if waiting
                else f"{year}年持续推进卓越绩效管理，顾客满意度和一次交验合格率稳步提升。",
                improvement_goals=None
                if waiting
                else f"{year + 1}年质量目标：关键过程能力指数提升至1.33以上。",
                experience_shared=None if waiting else "在全市质量提升大会上交流卓越绩效管理经验。",
                review_note=None if waiting else "报告内容完整，予以通过。",
                reviewed_by=None if waiting else "office",
            )
        )


def _revoke(ctx: DemoContext, award: Award) -> None:
    """M-26.3 and M-28: a major safety accident, the city's approval, recoveries and a 5-year ban."""
    r = REVOCATION
    case = ctx.add(
        RevocationCase(
            award_id=award.id,
            ground=RevocationGround.ACCIDENT.value,
            evidence="2023年8月17日该公司承建项目发生脚手架坍塌较大生产安全事故（2死3伤），"
            "伊宁市应急管理局调查认定其负有责任并作出行政处罚（伊应急罚〔2023〕41号）。",
            status=RevocationStatus.APPROVED.value,
            opened_on=r["opened_on"],
            opened_by="office",
            verified_at=at(r["verified"]),
            verified_by="office",
            verification_note="已调取事故调查报告和行政处罚决定书，事实清楚。",
            reviewed_at=at(r["reviewed"]),
            reviewed_by="committee1",
            review_note="委员会审议同意撤销，报市人民政府批准。",
            approved_on=r["approved"],
            approval_document_no=r["document"],
            published=True,
        )
    )
    award.revoked = True
    award.revoked_on = r["approved"]
    for item, amount in recovery_items(award.amount):
        money = amount is not None
        ctx.add(
            Recovery(
                revocation_case_id=case.id,
                item=item,
                amount=amount or Decimal("0.00"),
                recovered=not money,
                recovered_on=None if money else date(2024, 2, 6),
                note="已发出追缴通知，待缴回" if money else "已收回",
            )
        )
    ban = ban_for_revocation(r["approved"])
    ctx.add(
        Ban(
            reason=ban.reason.value,
            starts_on=ban.starts_on,
            ends_on=ban.ends_on,
            organization_id=award.application.organization_id,
            revocation_case_id=case.id,
            note=f"{award.certificate_no} 撤销：{ban.describe()}",
        )
    )


def load_awards(ctx: DemoContext, year: int) -> None:
    """Vote, notice, approval and awards of an announced cycle, with their follow-up."""
    winners, vote_day, notice_day, (approved, document, meeting), announced = EVENTS[year]
    cycle = ctx.cycles[year]
    _vote_and_notice(ctx, year, winners, vote_day, notice_day)
    approval = ctx.add(
        GovernmentApproval(
            cycle_id=cycle.id,
            approved_on=approved,
            document_no=document,
            meeting=meeting,
            note="同意委员会报送的表彰名单",
            recorded_by="office",
        )
    )
    log.approval(ctx, approval, cycle)
    counters = {Prize.AWARD: 0, Prize.NOMINATION: 0}
    for key in winners:
        award = _award(ctx, year, key, counters, announced)
        if key == REVOKED:
            _follow_ups(ctx, key, award, until=REVOCATION["approved"])
            _revoke(ctx, award)
        else:
            _follow_ups(ctx, key, award)
    ctx.session.flush()
