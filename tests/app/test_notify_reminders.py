"""Which notices `remind` derives from the records, for whom, and only once: reviewers' sheets
(assigned, due soon, overdue, reopened), the Office's work, the Committee's votes."""

from datetime import date, timedelta

from sqlalchemy import select

from tests import factories

GROUP_DUE = date(2025, 7, 28)  # the demo's open material-review group


def run(app, today: date) -> list[tuple]:
    """Run the derivation on `today`; (username, kind, key, title, body, link) of new notices."""
    from app.extensions import db
    from app.services import notifications as svc

    with app.app_context():
        created = svc.remind(today).created
        out = [(n.user.username, n.kind, n.dedupe_key, n.title, n.body, n.link) for n in created]
        db.session.remove()
    return out


def _sheet_owners(app) -> dict[int, str]:
    from app.extensions import db
    from models import Reviewer, Scoresheet, User

    with app.app_context():
        rows = db.session.execute(
            select(Scoresheet.id, User.username)
            .join(Reviewer, Reviewer.id == Scoresheet.reviewer_id)
            .join(User, User.id == Reviewer.user_id)
        ).all()
        db.session.remove()
    return dict(rows)


def kinds_of(rows, username):
    return sorted(kind for user, kind, *_ in rows if user == username)


def test_each_reviewer_is_told_of_their_own_draft_sheets_and_nobody_else_M_19_2(app, demo):
    rows = run(app, GROUP_DUE - timedelta(days=10))
    reviewers = {user for user, kind, *_ in rows if kind == "assign"}
    # The 2025 material review, and the demonstration on-site review (due 2026-12-04).
    assert reviewers == {"reviewer1", "reviewer2", "reviewer3", "leader1", "reviewer4"}
    office = {kind for user, kind, *_ in rows if user == "office"}
    assert office == {"followup_overdue", "objection"}
    owners = _sheet_owners(app)
    mine = [r for r in rows if r[0] not in ("office", "committee1")]
    for user, kind, key, _title, body, link in mine:
        assert kind == "assign"
        sheet_id = int(key.removeprefix("assign:"))
        assert owners[sheet_id] == user
        assert link == f"/scoresheetview/entry/{sheet_id}"
        assert "2025年7月28日" in body or "2026年12月4日" in body
    assert run(app, GROUP_DUE - timedelta(days=10)) == []


def test_a_sheet_due_within_three_days_is_due_soon_and_after_the_day_overdue(app, demo):
    assert "due_soon" not in kinds_of(run(app, GROUP_DUE - timedelta(days=4)), "reviewer2")
    soon = run(app, GROUP_DUE - timedelta(days=3))
    assert kinds_of(soon, "reviewer2") == ["due_soon"]
    assert "还有 3 天" in next(body for u, k, _, _, body, _ in soon if u == "reviewer2")
    assert run(app, GROUP_DUE) == []  # due today: already told
    late = run(app, GROUP_DUE + timedelta(days=1))
    assert kinds_of(late, "reviewer2") == ["overdue"]
    assert run(app, GROUP_DUE + timedelta(days=30)) == []


def test_submitted_sheets_and_closed_groups_call_for_no_reviewer_notice(app, demo):
    from app.extensions import db
    from models import Scoresheet

    with app.app_context():
        factories.mark_submitted(db.session, db.session.scalars(select(Scoresheet)).all())
        db.session.commit()
        db.session.remove()
    rows = run(app, GROUP_DUE + timedelta(days=1))
    # The demo's open objection and unrecorded vote are the Office's and the Committee's.
    kinds = {kind for _, kind, *_ in rows}
    assert kinds == {"group_ready", "followup_overdue", "objection", "vote"}


def test_a_reopened_sheet_tells_its_reviewer_the_reason_once_per_reopening(app, demo):
    from app.extensions import db
    from app.services import scoring
    from models import ReviewGroup, Scoresheet

    def reopen(reason):
        with app.app_context():
            sheet = db.session.get(Scoresheet, sheet_id)
            if sheet.status == "draft":
                factories.mark_submitted(db.session, [sheet])
                db.session.commit()
            scoring.reopen(sheet_id, scoring.Actor("office"), reason)
            db.session.commit()
            db.session.remove()

    with app.app_context():
        sheet = db.session.scalar(
            select(Scoresheet)
            .join(ReviewGroup)
            .where(Scoresheet.status == "submitted", ReviewGroup.closed_at.is_(None))
            .order_by(Scoresheet.id)
        )
        sheet_id, owner = sheet.id, sheet.reviewer.user.username
        db.session.remove()
    day = GROUP_DUE - timedelta(days=10)
    run(app, day)
    reopen("总体评价过于简略")
    rows = run(app, day)
    assert [(u, k) for u, k, *_ in rows] == [(owner, "reopened")]
    assert "退回理由：总体评价过于简略" in rows[0][4]

    with app.app_context():  # the reviewer saves the draft: a new version, no new notice
        sheet = db.session.get(Scoresheet, sheet_id)
        sheet.overall_comment = "已补充"
        db.session.commit()
        db.session.remove()
    assert run(app, day) == []

    reopen("仍需补充改进建议")
    rows = run(app, day)
    assert [(u, k) for u, k, *_ in rows] == [(owner, "reopened")]
    assert "仍需补充改进建议" in rows[0][4]


def test_the_office_hears_of_each_open_item_each_office_user_once(app, demo):
    from app.extensions import db
    from models import (
        Award,
        FollowUpReport,
        Objection,
        PublicNotice,
        RevocationCase,
        Scoresheet,
    )

    with app.app_context():
        office_ids = [factories.user(app, name, "Office").id for name in ("office", "office2")]
        factories.mark_submitted(db.session, db.session.scalars(select(Scoresheet)).all())
        notice = db.session.scalar(select(PublicNotice).order_by(PublicNotice.id))
        award = db.session.scalar(select(Award).where(Award.revoked.is_(False)))
        db.session.add(
            Objection(
                notice_id=notice.id,
                objector_name="举报人甲",
                objector_contact="13900000000",
                content="机密的异议内容",
                received_on=date(2026, 11, 20),
                status="open",
            )
        )
        db.session.add(
            RevocationCase(
                award_id=award.id,
                ground="accident",
                evidence="机密的证据",
                status="open",
                opened_on=date(2026, 11, 21),
            )
        )
        db.session.commit()
        overdue = db.session.scalar(
            select(FollowUpReport.id).where(FollowUpReport.status == "due").limit(1)
        )
        db.session.remove()

    rows = run(app, date(2026, 11, 24))
    for office in ("office", "office2"):
        assert sorted(set(kinds_of(rows, office))) == [
            "followup_overdue",
            "group_ready",
            "objection",
            "revocation_opened",
        ]
    # Reviewers' sheets all submitted; the Committee has the demo's vote to record; applicant1
    # hears that its 2026 application lapsed unsupplemented (issue 18, M-19.1).
    assert {u for u, *_ in rows} == {"office", "office2", "committee1", "applicant1"}
    assert set(kinds_of(rows, "applicant1")) == {"applicant_lapsed"}
    keys = {key for _, _, key, *_ in rows}
    assert {f"followup-overdue:{overdue}:u{uid}" for uid in office_ids} <= keys
    for *_, body, link in rows:
        assert "举报人甲" not in body and "机密" not in body and "13900000000" not in body
        assert link and link.startswith("/")
    assert run(app, date(2026, 11, 24)) == []


def test_the_committee_is_told_of_each_proposed_candidate_without_a_recorded_vote_M_19_6(app, demo):
    from app.extensions import db
    from models import Application, CommitteeVote

    with app.app_context():
        cycle = factories.cycle(db.session, year=2031, stage="committee_vote")
        apps = []
        for n in (1, 2):
            org = factories.organization(db.session)
            application = Application(
                cycle_id=cycle.id,
                number=f"2031-T-{n:03d}",
                prize="award",
                applicant_kind="organization",
                organization_id=org.id,
                status="proposed",
            )
            db.session.add(application)
            db.session.flush()
            apps.append(application.id)
        db.session.add(
            CommitteeVote(
                application_id=apps[1],
                held_on=date(2031, 10, 1),
                members=9,
                present=8,
                votes_for=7,
            )
        )
        db.session.commit()
        db.session.remove()

    rows = [r for r in run(app, date(2026, 11, 24)) if r[1] == "vote"]
    # The demo's committee-vote cycle has one candidate without a vote too.
    assert [(u, k) for u, k, *_ in rows] == [("committee1", "vote")] * 2
    assert "2031-T-001" in rows[1][4] and "2031-T-002" not in rows[0][4]
    assert rows[1][5] == "/committeevoteview/add"


def test_the_cli_runs_on_the_given_day_and_reports_what_it_created(app, demo):
    runner = app.test_cli_runner()
    day = (GROUP_DUE - timedelta(days=2)).isoformat()
    first = runner.invoke(args=["award", "remind", "--today", day])
    assert first.exit_code == 0, first.output
    # 8 assigned (2025 and the on-site demo), 3 due soon, 1 report overdue, 1 vote, 1 objection
    assert "新生成站内通知 14 条" in first.output
    assert "未配置邮件服务器" in first.output
    second = runner.invoke(args=["award", "remind", "--today", day])
    assert "新生成站内通知 0 条" in second.output
    bad = runner.invoke(args=["award", "remind", "--today", "2025-13-01"])
    assert bad.exit_code != 0
