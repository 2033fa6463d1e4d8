"""The demonstration cycles taken as far as their stage, step by step as the services take them:
on-site list (M-19.2), user evaluation (M-19.3), on-site review (M-19.4), ranking under the
quotas (M-19.5, M-4), the Committee's vote and the public notice (M-19.6)."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select

from app.domain import quotas as quota_rules
from app.domain import votes as vote_rules
from app.domain.enums import ApplicationStatus, ObjectionStatus, Prize, ReviewStage, Stage
from app.domain.notice import ensure_notice_length, ensure_objection_identity, notice_end
from app.domain.ranking import Candidate, rank_cycle
from app.domain.stages import next_stage
from app.services.ranking import CycleRanking, quotas_of
from app.services.workflow import ON_SITE_LIST, RANK_ACTION
from models import (
    Application,
    AwardCycle,
    CommitteeVote,
    Objection,
    PublicNotice,
    SatisfactionEvaluation,
    StageScore,
)

from . import demo_log as log
from . import demo_progress_data as data
from .context import DemoContext, at
from .demo_awards import HOW_TO_OBJECT
from .demo_cycles import TIMELINES, timeline_day
from .demo_scores import load_review, satisfaction

S = ApplicationStatus


def _passed(cycle: AwardCycle, stage: Stage) -> bool:
    return Stage(cycle.stage).order > stage.order


def _reached(cycle: AwardCycle, stage: Stage) -> bool:
    return Stage(cycle.stage).order >= stage.order


def _entered(ctx: DemoContext, cycle: AwardCycle, stage: Stage) -> date:
    """The day the cycle entered `stage` (its timeline starts with the draft)."""
    return timeline_day(ctx.today, TIMELINES[cycle.year][stage.order])


def _on_leaving(ctx: DemoContext, cycle: AwardCycle, stage: Stage):
    """Standings that follow from a finished stage change just before the move is logged."""
    return at(_entered(ctx, cycle, next_stage(stage)), 8, 59)


def _apps(ctx: DemoContext, cycle: AwardCycle) -> dict[str, Application]:
    prefix = f"{cycle.year}:"
    return {k.removeprefix(prefix): a for k, a in ctx.apps.items() if k.startswith(prefix)}


def _shortlist(ctx: DemoContext, cycle: AwardCycle) -> None:
    """M-19.2: the Office picks the on-site list from the material ranking."""
    chosen = data.SHORTLISTS[cycle.year]
    when = at(_entered(ctx, cycle, Stage.USER_EVALUATION) - timedelta(days=1), 16)
    why = "市质评办依材料评审得分择优确定现场评审名单（M-19.2）"
    apps = _apps(ctx, cycle)
    for key, app in apps.items():
        new = S.SHORTLISTED if key in chosen else S.NOT_SHORTLISTED
        log.set_status(ctx, app, new, "shortlist", why, when)
    ids = sorted(apps[k].id for k in chosen)
    ctx.log(
        "shortlist",
        cycle,
        f"{cycle.name}现场评审名单：{len(ids)} 份入围，{len(apps) - len(ids)} 份未入围",
        when,
        reason=why,
        details={"chosen": ids, "suggested": [], "differs_from_suggestion": False},
        cycle_id=cycle.id,
    )


def _user_evaluation(ctx: DemoContext, cycle: AwardCycle) -> None:
    """M-19.3: satisfaction evidence of the organizations on the list (all, once the stage is
    over; those handed in so far while it runs)."""
    so_far = data.SATISFACTION_SO_FAR.get(cycle.year)
    day = _entered(ctx, cycle, Stage.USER_EVALUATION) + timedelta(days=10)
    for key, app in _apps(ctx, cycle).items():
        if app.status != S.SHORTLISTED.value or (so_far is not None and key not in so_far):
            continue
        satisfaction(ctx, app, cycle, day, own=key in data.OWN_EVIDENCE)


def _finalists(ctx: DemoContext, cycle: AwardCycle) -> None:
    """Leaving the on-site review puts the on-site list into the comprehensive evaluation."""
    when = _on_leaving(ctx, cycle, Stage.ONSITE_REVIEW)
    for app in _apps(ctx, cycle).values():
        if app.status == S.SHORTLISTED.value:
            log.set_status(
                ctx, app, S.FINALIST, "stage_finalist", "现场评审结束，进入综合评价（M-19.5）", when
            )


def _candidates(ctx: DemoContext, cycle: AwardCycle) -> list[Candidate]:
    """The finalists with their unrounded scores, as app.services.ranking loads them."""
    apps = [a for a in _apps(ctx, cycle).values() if S(a.status) in ON_SITE_LIST]
    ids = [a.id for a in apps]
    scores = {
        (s.application_id, s.stage): s
        for s in ctx.session.scalars(select(StageScore).where(StageScore.application_id.in_(ids)))
    }
    index = dict(
        ctx.session.execute(
            select(
                SatisfactionEvaluation.application_id, SatisfactionEvaluation.satisfaction_index
            ).where(SatisfactionEvaluation.application_id.in_(ids))
        ).all()
    )
    results = [c.code for c in ctx.version.categories if c.kind == "results"]
    out = []
    for app in sorted(apps, key=lambda a: a.number):
        onsite = scores.get((app.id, ReviewStage.ONSITE.value))
        material = scores.get((app.id, ReviewStage.MATERIAL.value))
        cats = onsite.categories if onsite else {}
        found = [cats[c] for c in results if c in cats]
        out.append(
            Candidate(
                application_id=app.id,
                prize=Prize(app.prize),
                applicant_name=app.applicant_name,
                onsite=onsite.total if onsite else None,
                results_category=sum((Decimal(str(v)) for v in found), Decimal(0))
                if found
                else None,
                material=material.total if material else None,
                satisfaction=index.get(app.id),
            )
        )
    return out


def _ranking_entry(ctx: DemoContext, cycle: AwardCycle, rankings, when, why: str) -> None:
    summary = [
        f"{prize.label}名额 {r.quota} 个，拟表彰 {len(r.proposed)} 个，空缺 {r.vacancies} 个"
        + ("，并列待委员会决定" if r.unresolved_tie else "")
        for prize, r in rankings.items()
    ]
    ctx.log(
        RANK_ACTION,
        cycle,
        f"{cycle.name}综合评价排名：" + "；".join(summary),
        when,
        reason=why,
        details={
            prize.value: [
                {"id": line.candidate.application_id, "rank": line.rank, "proposed": line.proposed}
                for line in ranking.lines
            ]
            for prize, ranking in rankings.items()
        },
        cycle_id=cycle.id,
    )


def _rank(ctx: DemoContext, cycle: AwardCycle, *, apply: bool = True) -> None:
    """M-19.5 under M-4: the Office stores the proposal as app.services.ranking.apply_ranking
    does; `apply=False` only logs it, for an edition whose outcome is already recorded."""
    rankings = rank_cycle(_candidates(ctx, cycle), quotas_of(cycle), cycle.min_onsite_score)
    when = at(_entered(ctx, cycle, Stage.COMPREHENSIVE) + timedelta(days=5), 15)
    why = "市质评办综合评价排名（M-19.5）"
    if apply:
        result = CycleRanking(cycle=cycle, rankings=rankings)
        by_id = {a.id: a for a in _apps(ctx, cycle).values()}
        for prize, ranking in rankings.items():
            quota_rules.ensure_within_quota(prize, ranking.quota, len(ranking.proposed))
            tied = result.tied_open(prize)
            for line in ranking.lines:
                app_id = line.candidate.application_id
                new = (
                    S.PROPOSED if line.proposed else S.FINALIST if app_id in tied else S.NOT_AWARDED
                )
                log.set_status(ctx, by_id[app_id], new, "rank_result", why, when, rank=line.rank)
            for candidate, _reason in ranking.not_ranked:
                app = by_id[candidate.application_id]
                log.set_status(ctx, app, S.NOT_AWARDED, "rank_result", why, when)
    _ranking_entry(ctx, cycle, rankings, when, why)


def record_ranking(ctx: DemoContext, year: int) -> None:
    """The stored proposal of an announced edition, whose winners are already recorded."""
    _rank(ctx, ctx.cycles[year], apply=False)


def _votes(ctx: DemoContext, cycle: AwardCycle) -> None:
    """M-19.6: the tallies recorded so far; `passed` follows the cycle's threshold."""
    held = _entered(ctx, cycle, Stage.COMMITTEE_VOTE) + timedelta(days=2)
    threshold = Fraction(str(cycle.vote_threshold))
    apps = _apps(ctx, cycle)
    for key, (yes, no, abstain) in data.VOTES[cycle.year].items():
        app = apps[key]
        tally = vote_rules.VoteTally(yes, no, abstain, data.PRESENT, data.COMMITTEE_MEMBERS)
        vote = ctx.add(
            CommitteeVote(
                application_id=app.id,
                held_on=held,
                members=tally.members,
                present=tally.present,
                votes_for=yes,
                votes_against=no,
                abstentions=abstain,
                passed=vote_rules.vote_passes(tally, threshold),
                note="委员会全体会议无记名投票",
                recorded_by="committee1",
            )
        )
        log.vote(ctx, vote, app, cycle)


def _vote_outcome(ctx: DemoContext, cycle: AwardCycle) -> None:
    """Leaving the vote: a candidate the Committee did not pass is not awarded."""
    when = _on_leaving(ctx, cycle, Stage.COMMITTEE_VOTE)
    passed = {
        v.application_id
        for v in ctx.session.scalars(select(CommitteeVote).where(CommitteeVote.passed.is_(True)))
    }
    for app in _apps(ctx, cycle).values():
        if app.status == S.PROPOSED.value and app.id not in passed:
            log.set_status(
                ctx, app, S.NOT_AWARDED, "vote_failed", "委员会表决未通过（M-19.6）", when
            )


def _notice(ctx: DemoContext, cycle: AwardCycle) -> PublicNotice:
    """M-8.5, M-19.6: the candidates who passed the vote, drafted while the Committee sat and
    published on the first day of the notice, for the cycle's 7 calendar days."""
    start = _entered(ctx, cycle, Stage.PUBLIC_NOTICE)
    end = notice_end(start, cycle.notice_days)
    ensure_notice_length(start, end, cycle.notice_days)
    listed = [a for a in _apps(ctx, cycle).values() if a.status == S.PROPOSED.value]
    names = "、".join(a.applicant_name for a in sorted(listed, key=lambda a: (a.prize, a.number)))
    notice = ctx.add(
        PublicNotice(
            cycle_id=cycle.id,
            title=f"{cycle.year}年度伊宁市政府质量奖拟表彰对象公示（演示）",
            starts_on=start,
            ends_on=end,
            body=f"经资格审查、材料评审、现场评审、综合评价和委员会评议，拟表彰对象为：{names}。现予公示。",
            how_to_object=HOW_TO_OBJECT,
            published_at=at(start, 10),
        )
    )
    log.notice(ctx, notice, cycle, names, drafted=at(start - timedelta(days=1), 15))
    return notice


def _objections(ctx: DemoContext, cycle: AwardCycle, notice: PublicNotice) -> None:
    """A named objection (investigated; resolved once the notice is over) and an anonymous one
    (only logged), received during the notice."""
    named, anonymous = data.OBJECTIONS[cycle.year]
    key, name, contact, content, resolution = named
    apps = _apps(ctx, cycle)
    received = min(notice.starts_on + timedelta(days=2), ctx.today - timedelta(days=1))
    rows = [
        Objection(
            notice_id=notice.id,
            application_id=apps[key].id,
            objector_name=name,
            objector_contact=contact,
            content=content,
            received_on=received,
            status=ensure_objection_identity(name, contact).value,
        ),
        Objection(
            notice_id=notice.id,
            application_id=apps[anonymous[0]].id,
            anonymous=True,
            content=anonymous[1],
            received_on=received - timedelta(days=1),
            status=ensure_objection_identity(None, None).value,
        ),
    ]
    for row in rows:
        ctx.add(row)
        log.objection(ctx, row, cycle)
    if resolution:
        objection = rows[0]
        objection.resolution = resolution
        objection.status = ObjectionStatus.RESOLVED.value
        objection.resolved_by = "office"
        objection.resolved_on = notice.ends_on - timedelta(days=1)
        log.resolution(ctx, objection, cycle)


def load_progress(ctx: DemoContext, year: int) -> None:
    """Take the demonstration cycle of `year` as far as its stage (its applications are loaded)."""
    cycle = ctx.cycles[year]
    if not _reached(cycle, Stage.MATERIAL_REVIEW):
        return
    load_review(ctx, year, ReviewStage.MATERIAL)
    if not _passed(cycle, Stage.MATERIAL_REVIEW):
        return
    _shortlist(ctx, cycle)
    _user_evaluation(ctx, cycle)
    if _reached(cycle, Stage.ONSITE_REVIEW):
        load_review(ctx, year, ReviewStage.ONSITE)
    if _passed(cycle, Stage.ONSITE_REVIEW):
        _finalists(ctx, cycle)
        _rank(ctx, cycle)
    if _reached(cycle, Stage.COMMITTEE_VOTE):
        _votes(ctx, cycle)
    if _passed(cycle, Stage.COMMITTEE_VOTE):
        _vote_outcome(ctx, cycle)
        _objections(ctx, cycle, _notice(ctx, cycle))
    ctx.session.flush()
