"""The applicant's own portal (issue 18): its applications, the online form with a live
completeness checklist and autosave, supplements, and follow-up reports. Each page calls one
service; every row is the signed-in applicant's own (app/services/online_application.py)."""

from datetime import date

from flask import Response, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext

from app.domain import applicant_portal as rules
from app.domain.enums import ApplicationStatus, FollowUpStatus, Prize
from app.domain.errors import RuleViolation
from app.errors import error_body, screen_page
from app.extensions import db
from app.presentation import attachment_headers
from app.services import applicant_accounts as accounts
from app.services import applicant_followups as followups
from app.services import online_application as svc
from app.services import uploads
from models import ApplicationDocument

from .forms import ApplicationVersionForm, StartApplicationForm, refuse_invalid


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


class ApplicantPortalView(BaseView):
    route_base = "/applicant"
    default_view = "home"
    # Read where the screens' titles and labels are listed (menu, translations): one title.
    title = list_title = show_title = add_title = edit_title = lazy_gettext("我的申报")
    label_columns: dict = {}
    description_columns: dict = {}
    show_fieldsets = add_fieldsets = None
    base_permissions = [
        "can_home",
        "can_apply",
        "can_form",
        "can_save",
        "can_submit",
        "can_upload",
        "can_report",
        "can_feedback",
    ]

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        # Another applicant's row is "not found" (404), never a redirect that reveals it.
        blueprint.register_error_handler(RuleViolation, self._refused)
        return blueprint

    def _refused(self, exc: RuleViolation):
        db.session.rollback()
        if exc.status == 404 or _wants_json():
            if _wants_json():
                return jsonify(error_body(exc.message, exc.rule, exc.fields)), exc.status
            return screen_page(404, exc.message, exc.rule), 404
        flash(str(exc), "danger")
        return redirect(request.referrer or url_for(".home"))

    def _page(self, template, **data):
        return self.render_template(template, appbuilder=self.appbuilder, **data)

    @expose("/")
    @has_access
    def home(self):
        today = date.today()
        account = accounts.account_of(g.user)
        data = {"account": account, "today": today, "applications": [], "reports": []}
        if account is not None and account.status == rules.AccountStatus.APPROVED.value:
            data["cycles"] = svc.open_cycles(today)
            data["applications"] = [
                (a, followups.standing(a), svc.supplement_notice(a, today))
                for a in svc.my_applications(g.user)
            ]
            data["reports"] = followups.my_reports(g.user)
            data["prizes"] = (
                Prize.choices()
                if account.organization_id
                else [(Prize.NOMINATION.value, Prize.NOMINATION.label)]
            )
        data["status_labels"] = rules.AccountStatus
        data["report_labels"] = FollowUpStatus
        return self._page("award/applicant_home.html", **data)

    @expose("/apply", methods=["POST"])
    @has_access
    def apply(self):
        form = refuse_invalid(StartApplicationForm())
        app = svc.start(g.user, form.cycle_id.data, form.prize.data or "")
        flash(f"已创建申报草稿 {app.number}，请填写申报表", "success")
        return redirect(url_for(".form", pk=app.id))

    def _form_page(self, app, typed=None, status=200):
        today = date.today()
        editable = rules.editable_sections(ApplicationStatus(app.status), app.supplement_sections)
        docs = db.session.query(ApplicationDocument).filter_by(application_id=app.id).all()
        page = self._page(
            "award/applicant_form.html",
            app=app,
            typed=typed or {},
            editable=editable,
            sections=rules.SECTIONS,
            lines=svc.checklist(app),
            standing=followups.standing(app),
            prize_label=Prize(app.prize).label,
            notice=svc.supplement_notice(app, today),
            feedback_ready=svc.feedback_ready(app),
            deadline_passed=svc.deadline_passed(app, today),
            org_basic=rules.ORG_BASIC,
            person_basic=rules.PERSON_BASIC,
            evidence=rules.ORG_EVIDENCE if app.organization_id else rules.PERSON_EVIDENCE,
            parts=rules.SELF_ASSESSMENT_PARTS,
            recommenders=svc.recommenders_for(app),
            docs=docs,
            kinds=uploads.KINDS,
            accept=",".join(sorted(uploads.BY_EXTENSION)),
        )
        return page, status

    @expose("/application/<int:pk>")
    @has_access
    def form(self, pk):
        return self._form_page(svc.owned(g.user, pk))

    @expose("/application/<int:pk>/save", methods=["POST"])
    @has_access
    def save(self, pk):
        form = ApplicationVersionForm()
        try:
            refuse_invalid(form)
            app = svc.save(g.user, pk, form.version.data, form.sections())
        except RuleViolation as exc:
            db.session.rollback()
            if _wants_json():
                body = error_body(exc.message, exc.rule, exc.fields)
                if getattr(exc, "version", None) is not None:
                    body["version"] = exc.version
                return jsonify(body), exc.status
            if exc.status == 404:
                raise
            flash(str(exc), "danger")
            return self._form_page(svc.owned(g.user, pk), typed=form.posted, status=exc.status)
        if _wants_json():
            lines = svc.checklist(app)
            return jsonify(
                {
                    "version": app.version,
                    "message": "草稿已自动保存",
                    "missing": [f"{x.title}（{x.rule}）" for x in rules.missing(lines)],
                }
            )
        flash("草稿已保存", "success")
        return redirect(url_for(".form", pk=app.id))

    @expose("/application/<int:pk>/submit", methods=["POST"])
    @has_access
    def submit(self, pk):
        form = refuse_invalid(ApplicationVersionForm())
        app = svc.submit(g.user, pk, form.version.data)
        flash(f"申报 {app.number} 已提交，提交后不能再修改", "success")
        return redirect(url_for(".form", pk=app.id))

    @expose("/application/<int:pk>/upload", methods=["POST"])
    @has_access
    def upload(self, pk):
        form = refuse_invalid(ApplicationVersionForm())
        file = form.file.data or None
        doc = svc.upload(
            g.user,
            pk,
            form.version.data,
            form.kind.data or "",
            file,
            file.filename if file is not None else None,
        )
        flash(f"已上传「{doc.title}」", "success")
        return redirect(url_for(".form", pk=pk))

    @expose("/application/<int:pk>/feedback")
    @has_access
    def feedback(self, pk):
        """The applicant's own feedback report (.docx), once the result is public (M-19.8)."""
        filename, content = svc.my_feedback(g.user, pk)
        return Response(
            content,
            mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            headers=attachment_headers(filename),
        )

    @expose("/report/<int:pk>", methods=["GET", "POST"])
    @has_access
    def report(self, pk):
        report = followups.my_report(g.user, pk)
        typed, form = {}, ApplicationVersionForm()
        if request.method == "POST":
            try:
                refuse_invalid(form)
                followups.submit_report(g.user, pk, form.version.data, form.posted)
            except RuleViolation as exc:
                db.session.rollback()
                if exc.status == 404:
                    raise
                flash(str(exc), "danger")
                typed = form.posted
                report = followups.my_report(g.user, pk)
            else:
                flash("年度报告已提交，待市质评办审核（M-27）", "success")
                return redirect(url_for(".home"))
        return self._page(
            "award/applicant_report.html",
            report=report,
            typed=typed,
            owed=report.status in ("due", "sent_back"),
            labels=FollowUpStatus,
        )
