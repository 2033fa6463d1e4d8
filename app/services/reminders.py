"""What the records call for, as notices: reviewers' sheets (assigned, due soon, overdue,
reopened), the Office's open work, the Committee's votes; each with a key unique per user and
occasion, its Chinese text (no score, no other reviewer's name) and the screen to act on."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import case, func, select
from werkzeug.routing import BuildError

from app.domain.enums import (
    ApplicationStatus,
    ObjectionStatus,
    ReviewStage,
    RevocationGround,
    RevocationStatus,
    SheetStatus,
    Stage,
)
from app.domain.stages import zh_date
from app.extensions import db
from app.security.roles import COMMITTEE, OFFICE
from app.security.scopes import conflicted_application_ids
from app.services import aftercare
from models import (
    Application,
    Award,
    AwardCycle,
    CommitteeVote,
    Objection,
    PublicNotice,
    Reviewer,
    ReviewGroup,
    RevocationCase,
    Role,
    ScoreChange,
    Scoresheet,
    User,
)

DUE_SOON_DAYS = 3
INBOX = ("NotificationView.list", {})


@dataclass(frozen=True)
class Notice:
    """A notice that the records call for; `key` is unique in the database."""

    user_id: int
    kind: str
    key: str
    title: str
    body: str
    link: str | None


def screen(*candidates: tuple[str, dict]) -> str | None:
    """The path of the first screen that exists (the e-mail makes it absolute)."""
    adapter = current_app.url_map.bind("localhost")
    for endpoint, values in (*candidates, INBOX):
        try:
            return adapter.build(endpoint, values)
        except BuildError:
            continue
    return None


# --- reviewers: their own sheets only (never another reviewer's name or any score) ---------
def _sheet_notices(today: date) -> list[Notice]:
    rows = db.session.execute(
        select(Scoresheet, ReviewGroup, Application.number, Reviewer.user_id)
        .join(ReviewGroup, ReviewGroup.id == Scoresheet.group_id)
        .join(Application, Application.id == Scoresheet.application_id)
        .join(Reviewer, Reviewer.id == Scoresheet.reviewer_id)
        .join(User, User.id == Reviewer.user_id)
        .where(
            ReviewGroup.closed_at.is_(None),
            Scoresheet.status == SheetStatus.DRAFT.value,
            User.active.is_(True),
            # M-25.2, M-25.3: no reminder for a sheet the reviewer is now tied to.
            Scoresheet.application_id.not_in(conflicted_application_ids(Scoresheet.reviewer_id)),
        )
        .order_by(Scoresheet.id)
    ).all()
    reopenings = _reopenings([sheet.id for sheet, *_ in rows])
    out = []
    for sheet, group, number, user_id in rows:
        stage = ReviewStage(group.stage).label
        what = f"申报 {number}（{group.name}，{stage}）"
        link = screen(
            ("ScoresheetView.entry", {"pk": sheet.id}), ("ScoresheetView.show", {"pk": sheet.id})
        )
        for kind, key, title, body in _sheet_items(sheet, group, what, today, reopenings):
            out.append(Notice(user_id, kind, key, title, body, link))
    return out


def _sheet_items(sheet, group, what, today, reopenings):
    """(kind, key, title, body) of the notices one draft sheet calls for."""
    if sheet.reopened_reason:
        n = max(1, reopenings.get(sheet.id, 0))
        yield (
            "reopened",
            f"reopened:{sheet.id}:{n}",
            "评分表被退回修改",
            f"市质评办退回了您对{what}的评分表，请修改后重新提交。\n"
            f"退回理由：{sheet.reopened_reason}",
        )
    else:
        due = f"，请于 {zh_date(group.due_on)} 前完成并提交" if group.due_on else ""
        yield ("assign", f"assign:{sheet.id}", "新的评分任务", f"您被安排评审{what}{due}。")
    if group.due_on is None:
        return
    days = (group.due_on - today).days
    if days < 0:
        yield (
            "overdue",
            f"overdue:{sheet.id}",
            "评分表已逾期未提交",
            f"{what}的评分表提交期限 {zh_date(group.due_on)} 已过，"
            "您的评分表尚未提交，请尽快完成。",
        )
    elif days <= DUE_SOON_DAYS:
        when = "今天到期" if days == 0 else f"还有 {days} 天"
        yield (
            "due_soon",
            f"due-soon:{sheet.id}",
            "评分表即将到期",
            f"{what}的评分表须于 {zh_date(group.due_on)} 前提交（{when}），您尚未提交。",
        )


def _reopenings(sheet_ids: list[int]) -> dict[int, int]:
    """How many times each sheet was sent back (the reopen's entry in the sheet's history)."""
    if not sheet_ids:
        return {}
    rows = db.session.execute(
        select(ScoreChange.scoresheet_id, func.count())
        .where(
            ScoreChange.scoresheet_id.in_(sheet_ids),
            ScoreChange.field == "status",
            ScoreChange.new_value == SheetStatus.DRAFT.value,
        )
        .group_by(ScoreChange.scoresheet_id)
    ).all()
    return dict(rows)


# --- the Office and the Committee: one notice per user and item ---------------------------
def users_in(role_name: str) -> list[int]:
    return list(
        db.session.scalars(
            select(User.id)
            .join(User.roles)
            .where(Role.name == role_name, User.active.is_(True))
            .order_by(User.id)
        )
    )


@dataclass(frozen=True)
class Item:
    """Something for every user of a role: `to_each` makes one notice per user of it."""

    kind: str
    key: str
    title: str
    body: str
    link: str | None


def _groups_ready() -> list[Item]:
    submitted = SheetStatus.SUBMITTED.value
    rows = db.session.execute(
        select(ReviewGroup, AwardCycle.name, func.count(Scoresheet.id))
        .join(AwardCycle, AwardCycle.id == ReviewGroup.cycle_id)
        .join(Scoresheet, Scoresheet.group_id == ReviewGroup.id)
        .where(
            ReviewGroup.closed_at.is_(None),
            Scoresheet.application_id.not_in(conflicted_application_ids(Scoresheet.reviewer_id)),
        )
        .group_by(ReviewGroup.id, AwardCycle.name)
        .having(func.count(Scoresheet.id) == func.count(case((Scoresheet.status == submitted, 1))))
        .order_by(ReviewGroup.id)
    ).all()
    return [
        Item(
            "group_ready",
            f"group-ready:{group.id}",
            "评审组可以结束本阶段评审",
            f"{cycle}「{group.name}」（{ReviewStage(group.stage).label}）的 {sheets} 份评分表"
            "已全部提交，可以结束本阶段评审并计算阶段得分（M-19.2）。",
            screen(("ReviewGroupView.show", {"pk": group.id})),
        )
        for group, cycle, sheets in rows
    ]


def _objections() -> list[Item]:
    rows = db.session.execute(
        select(Objection, Application.number, PublicNotice.title)
        .join(PublicNotice, PublicNotice.id == Objection.notice_id)
        .outerjoin(Application, Application.id == Objection.application_id)
        .where(Objection.status == ObjectionStatus.OPEN.value)
        .order_by(Objection.id)
    ).all()
    out = []
    for objection, number, notice_title in rows:
        about = f"，涉及申报 {number}" if number else ""
        named = "匿名" if objection.anonymous else "实名"
        out.append(
            Item(
                "objection",
                f"objection:{objection.id}",
                "收到异议，待处理",
                f"「{notice_title}」公示期间于 {zh_date(objection.received_on)} 收到一件"
                f"{named}异议{about}，请及时核查处理。",
                screen(("ObjectionView.show", {"pk": objection.id})),
            )
        )
    return out


def _followups_overdue(today: date) -> list[Item]:
    link = screen(("FollowUpReportView.overdue", {}))
    return [
        Item(
            "followup_overdue",
            f"followup-overdue:{report.id}",
            "年度报告逾期未报",
            f"获奖记录 {report.award.certificate_no} 的{report.report_year}年度报告"
            f"截止 {zh_date(report.due_on)}，已逾期未报（M-27）。",
            link,
        )
        for report in aftercare.overdue(today)
    ]


def _revocations_opened() -> list[Item]:
    rows = db.session.execute(
        select(RevocationCase, Award.certificate_no)
        .join(Award, Award.id == RevocationCase.award_id)
        .where(RevocationCase.status == RevocationStatus.OPEN.value)
        .order_by(RevocationCase.id)
    ).all()
    return [
        Item(
            "revocation_opened",
            f"revocation:{case.id}",
            "撤销案件已立案，待核实",
            f"获奖记录 {certificate_no} 的撤销案件于 {zh_date(case.opened_on)} 立案"
            f"（{RevocationGround(case.ground).label}），待市质评办核实（M-26）。",
            screen(("RevocationCaseView.show", {"pk": case.id})),
        )
        for case, certificate_no in rows
    ]


def _votes_to_record() -> list[Item]:
    rows = db.session.execute(
        select(Application.id, Application.number, AwardCycle.name)
        .join(AwardCycle, AwardCycle.id == Application.cycle_id)
        .outerjoin(CommitteeVote, CommitteeVote.application_id == Application.id)
        .where(
            AwardCycle.stage == Stage.COMMITTEE_VOTE.value,
            Application.status == ApplicationStatus.PROPOSED.value,
            CommitteeVote.id.is_(None),
        )
        .order_by(Application.id)
    ).all()
    link = screen(("CommitteeVoteView.add", {}), ("CommitteeVoteView.list", {}))
    return [
        Item(
            "vote",
            f"vote:{app_id}",
            "待录入委员会表决结果",
            f"{cycle}拟表彰的申报 {number} 尚未录入评定委员会表决结果（M-19.6）。",
            link,
        )
        for app_id, number, cycle in rows
    ]


def to_each(role_name: str, items: list[Item]) -> list[Notice]:
    users = users_in(role_name) if items else []
    return [
        Notice(uid, it.kind, f"{it.key}:u{uid}", it.title, it.body, it.link)
        for it in items
        for uid in users
    ]


def due_notices(today: date) -> list[Notice]:
    """Every notice the records call for on `today` (existing ones included)."""
    from app.services.conflict_counting import replacement_items

    office = [
        *_groups_ready(),
        *replacement_items(),
        *_objections(),
        *_followups_overdue(today),
        *_revocations_opened(),
    ]
    from app.services.applicant_notices import due as applicant_due

    return [
        *_sheet_notices(today),
        *to_each(OFFICE, office),
        *to_each(COMMITTEE, _votes_to_record()),
        *applicant_due(today),  # winners' follow-up reports (M-27)
    ]
