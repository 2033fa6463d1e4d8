"""The application form online (issue 18): an applicant starts, saves and submits its own
application for an open cycle, and supplements a returned one (M-2, M-11, M-18, M-19.1).

Every function takes the signed-in user and reaches only rows of that user's own applicant:
another applicant's id is `NotYourApplication` (404), whatever the request carries."""

from datetime import date

from sqlalchemy import or_, select

from app.domain import applicant_portal as rules
from app.domain import bans as ban_rules
from app.domain.enums import ApplicationStatus, Prize, Stage
from app.domain.errors import InvalidInput, RuleViolation, StaleRecord
from app.domain.stages import application_window_check, ensure_stage, zh_date
from app.extensions import db
from app.services import audit, intake, uploads
from app.services.applicant_accounts import approved_account
from app.services.transactions import atomic
from models import Application, ApplicationDocument, AwardCycle, Recommender
from models.base import utcnow

S = ApplicationStatus
EVIDENCE_KINDS = {k for k, _l, _r in rules.ORG_EVIDENCE + rules.PERSON_EVIDENCE}


def _owner_filter(account):
    if account.organization_id:
        return Application.organization_id == account.organization_id
    return Application.individual_id == account.individual_id


def my_applications(user) -> list[Application]:
    account = approved_account(user)
    return list(
        db.session.scalars(
            select(Application).where(_owner_filter(account)).order_by(Application.id.desc())
        )
    )


def owned(user, application_id) -> Application:
    """The user's own application, or NotYourApplication (404): forged and foreign ids alike."""
    account = approved_account(user)
    pk = uploads.as_id(application_id)
    app = db.session.get(Application, pk) if pk else None
    mine = app is not None and (
        (account.organization_id and app.organization_id == account.organization_id)
        or (account.individual_id and app.individual_id == account.individual_id)
    )
    if not mine:
        raise rules.NotYourApplication()
    return app


def open_cycles(today: date | None = None) -> list[AwardCycle]:
    """Cycles taking in applications, with their deadline (shown from the first page)."""
    return list(
        db.session.scalars(
            select(AwardCycle)
            .where(AwardCycle.stage == Stage.APPLICATIONS_OPEN.value)
            .order_by(AwardCycle.year)
        )
    )


@atomic
def start(user, cycle_id, prize: str, today: date | None = None) -> Application:
    """A new draft for an open cycle: the intake's rules as the Office's screen applies them
    (M-2 a person only the nomination, M-17 the window, M-19.1/M-28 bans, one per cycle)."""
    today = today or date.today()
    account = approved_account(user)
    cycle = db.session.get(AwardCycle, uploads.as_id(cycle_id) or 0)
    if cycle is None:
        raise InvalidInput("请选择评定年度", fields={"cycle_id": "评定年度"})
    ensure_stage(Stage(cycle.stage), Stage.APPLICATIONS_OPEN, "网上申报")
    try:
        chosen = Prize(prize)
    except ValueError:
        raise InvalidInput("请选择申报的奖项", fields={"prize": "奖项"}) from None
    app = Application(
        cycle=cycle,
        cycle_id=cycle.id,
        prize=chosen.value,
        organization_id=account.organization_id,
        individual_id=account.individual_id,
        status=S.DRAFT.value,
    )
    intake.validate_application(app, adding=True, today=today)
    intake.apply_application(app, adding=True)
    app.status = S.DRAFT.value
    db.session.add(app)
    db.session.flush()
    audit.record(
        "online_application_started",
        app,
        f"网上申报：{app.applicant_name}开始填写{cycle.name}{chosen.label}申报（{app.number}）",
        cycle_id=cycle.id,
        application_id=app.id,
    )
    return app


def facts(app: Application) -> rules.FormFacts:
    holder = app.organization or app.individual
    fields = rules.ORG_BASIC if app.organization_id else rules.PERSON_BASIC
    kinds = set(
        db.session.scalars(
            select(ApplicationDocument.kind).where(ApplicationDocument.application_id == app.id)
        )
    )
    declarations = app.declarations or {}
    return rules.FormFacts(
        organization=bool(app.organization_id),
        prize=Prize(app.prize),
        basic={f: getattr(holder, f) for f, _label in fields},
        evidence_kinds=kinds,
        self_assessment=app.self_assessment or {},
        deeds=(app.self_assessment or {}).get("deeds", ""),
        recommender_chosen=app.recommender_id is not None,
        incidents_declared=bool(declarations.get("no_incidents")),
        truth_pledged=bool(declarations.get("truthful")),
    )


def checklist(app: Application) -> list[rules.Line]:
    return rules.checklist(facts(app))


def _check_version(app: Application, version) -> None:
    try:
        expected = int(version)
    except (TypeError, ValueError):
        raise StaleRecord("缺少版本号，无法确认草稿是否为最新，请刷新后重试") from None
    if expected != app.version:
        raise StaleRecord(
            "申报草稿已在别处（另一窗口或同单位其他用户）保存过，本次修改未保存，请刷新后重试",
            version=app.version,
        )


def _parse_basic(field: str, raw: str):
    raw = (raw or "").strip()
    if raw == "":
        return None
    if field in ("operating_since", "quality_work_since"):
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput("日期格式应为 YYYY-MM-DD", fields={field: "日期"}) from None
        if value > date.today():
            raise InvalidInput("日期不能晚于今天", fields={field: "日期"})
        return value
    if field == "employees":
        if not raw.isdigit():
            raise InvalidInput("从业人数应为非负整数", fields={field: "从业人数"})
        return int(raw)
    return raw[:300]


def _apply(app: Application, section: str, data: dict) -> None:
    if section == "basic":
        holder = app.organization or app.individual
        fields = rules.ORG_BASIC if app.organization_id else rules.PERSON_BASIC
        for field, _label in fields:
            if field in data:
                setattr(holder, field, _parse_basic(field, data[field]))
    elif section == "conditions":
        app.declarations = {
            "no_incidents": data.get("no_incidents") in ("1", "y", "on", True),
            "truthful": data.get("truthful") in ("1", "y", "on", True),
        }
    elif section == "self_assessment":
        text = dict(app.self_assessment or {})
        keys = [k for k, _l in rules.SELF_ASSESSMENT_PARTS] + ["deeds"]
        for key in keys:
            if f"sa_{key}" in data:
                text[key] = (data[f"sa_{key}"] or "")[:20000]
        app.self_assessment = text
    elif section == "recommender":
        rid = uploads.as_id(data.get("recommender_id"))
        if data.get("recommender_id") in (None, ""):
            app.recommender_id = None
        elif rid is None or db.session.get(Recommender, rid) is None:
            raise InvalidInput("所选推荐单位不存在", fields={"recommender_id": "推荐单位"})
        else:
            body = db.session.get(Recommender, rid)
            industry = app.industry_code
            if industry and not body.covers(industry):
                # M-9: told when choosing, not only when submitting.
                from app.services.intake import RecommenderOutOfSector

                raise RecommenderOutOfSector(
                    f"{body.name}的推荐范围为 {body.sectors}，不包括申报主体所属行业 {industry}，"
                    "请选择负责该行业的推荐单位",
                    fields={"recommender_id": "不在推荐范围内"},
                )
            app.recommender_id = rid


@atomic
def save(user, application_id, version, sections: dict[str, dict]) -> Application:
    """Save (auto or by the button) the sections sent; a stale draft is refused (409), a
    section the applicant may not edit (submitted, or not returned) too (M-18, M-19.1)."""
    app = owned(user, application_id)
    _check_version(app, version)
    status = S(app.status)
    for section in sections:
        if section not in rules.SECTIONS:
            raise InvalidInput(f"未知的申报表部分：{section}")
        rules.ensure_section_editable(status, app.supplement_sections, section)
    for section, data in sections.items():
        _apply(app, section, data)
    # Touched, so that the version rises whatever section changed (the applicant's own record
    # included): the next stale draft is refused.
    app.updated_at = utcnow()
    db.session.flush()
    return app


def upload(user, application_id, version, kind: str, stream, filename) -> ApplicationDocument:
    """An evidence file through the uploads' checks by content and size (M-18)."""
    app = owned(user, application_id)
    _check_version(app, version)
    rules.ensure_section_editable(S(app.status), app.supplement_sections, "evidence")
    if kind not in EVIDENCE_KINDS | {"self_assessment", "other"}:
        raise uploads.UploadRefused(f"材料类别无效：{kind}")
    return uploads.store(app.id, stream, filename, kind=kind, username=user.username)


def recommenders_for(app: Application) -> list[Recommender]:
    """The recommending bodies the applicant may choose: those whose sectors cover its
    industry (M-9), by name."""
    bodies = db.session.query(Recommender).order_by(Recommender.name).all()
    industry = app.industry_code
    return [b for b in bodies if not industry or b.covers(industry)]


def feedback_ready(app: Application) -> bool:
    """The applicant's own feedback report is given once the result is public (M-19.8)."""
    from app.services.official_docs import registry

    spec = registry.spec_of("feedback")
    try:
        spec.stage_check(spec.load(app.id))
    except RuleViolation:
        return False
    return True


def my_feedback(user, application_id) -> tuple[str, bytes]:
    """The feedback report of the user's own application (never another's: 404), once the
    result is public; the issued file once the Office has issued it (issue 19)."""
    from app.services.official_docs import issuing

    app = owned(user, application_id)
    return issuing.current_file("feedback", app.id)


def deadline_passed(app: Application, today: date) -> bool:
    return app.cycle.deadline is not None and today > app.cycle.deadline


@atomic
def _submit_draft(app: Application, today: date) -> Application:
    application_window_check(app.cycle.opens_on, app.cycle.deadline, today)
    ensure_stage(Stage(app.cycle.stage), Stage.APPLICATIONS_OPEN, "提交申报")
    ban_rules.ensure_not_banned_in_cycle(
        intake.domain_bans(app.organization_id, app.individual_id), app.cycle.year, today
    )
    rules.ensure_complete(checklist(app))
    app.status = S.SUBMITTED.value
    app.submitted_on = today
    audit.record(
        "online_application_submitted",
        app,
        f"网上申报：{app.applicant_name}提交申报 {app.number}（M-18）",
        cycle_id=app.cycle_id,
        application_id=app.id,
    )
    if app.recommender_id is not None and app.recommendation is None:
        # M-18: the chosen recommending body now sees it and signs (or declines) on its screen.
        from app.services.recommendation_online import add_request

        add_request(app.id, app.recommender_id)
    return app


def submit(user, application_id, version, today: date | None = None) -> Application:
    """Submit a draft before the deadline, or resubmit a returned one within its supplement
    deadline (M-19.1); submitted, it is read-only to the applicant."""
    from app.services.eligibility_outcomes import record_supplement

    today = today or date.today()
    app = owned(user, application_id)
    _check_version(app, version)
    status = S(app.status)
    if status is S.DRAFT:
        return _submit_draft(app, today)
    if status is S.RETURNED_INCOMPLETE:
        try:
            rules.ensure_complete(checklist(app))
        except rules.ApplicationIncomplete:
            db.session.rollback()
            raise
        app.supplement_sections = None
        # The version was checked above; the Office's use case commits (and a concurrent
        # change still fails there, as StaleDataError).
        return record_supplement(
            app.id,
            "申报人网上补正后重新提交",
            expected_version=None,
            today=today,
            username=user.username,
        )
    raise rules.ApplicationLocked(f"申报状态为「{status.label}」，不能提交")


def my_ids_filter(user):
    """A SQL condition: applications of the user's applicant (for the other selectors)."""
    account = approved_account(user)
    return or_(_owner_filter(account))


def supplement_notice(app: Application, today: date) -> str | None:
    """What the returned applicant must do, or that the application lapsed (M-19.1)."""
    status = S(app.status)
    if rules.supplement_lapsed(status, app.supplement_deadline, today):
        return f"补正期限{zh_date(app.supplement_deadline)}已过，本申报已失效（M-19.1）"
    if status is S.RETURNED_INCOMPLETE:
        asked = "、".join(rules.SECTIONS[s] for s in (app.supplement_sections or rules.SECTIONS))
        return (
            f"市质评办退回补正：{app.office_note or ''}。请于{zh_date(app.supplement_deadline)}"
            f"前补正「{asked}」后重新提交（M-19.1）"
        )
    return None
