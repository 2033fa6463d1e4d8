"""Screens for recommenders, applications and the eligibility review (M-9, M-18, M-19.1)."""

from datetime import date, timedelta

from flask import abort, flash, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _
from werkzeug.datastructures import MultiDict

from app.domain.applicant_portal import SECTIONS as FORM_SECTIONS
from app.domain.enums import ApplicationStatus, CheckStatus
from app.domain.errors import RuleViolation
from app.extensions import db
from app.services import eligibility as elig
from app.services import eligibility_outcomes as outcomes
from app.services import selectors
from app.services.disqualification import ground_label
from app.services.eligibility_facts import judgement_lines
from app.services.records import acting_recommender_id
from models import (
    Application,
    Disqualification,
    EligibilityJudgement,
    EligibilityReview,
    Recommendation,
    Recommender,
)

from . import readable
from .action_forms import PaperCopiesMixin, RecommendationOnlineMixin  # M-18
from .action_widgets import StateAwareShowWidget
from .base import AwardModelView
from .disqualify import DisqualificationActions  # disqualify (M-3)
from .documents import ApplicationDocumentView  # uploads live in views/documents.py
from .fieldsets import form_fieldsets
from .forms import (
    EligibilityJudgementForm,
    EligibilityOutcomeForm,
    EligibilitySupplementForm,
    refuse_invalid,
)


class OwnRecommender(BaseFilter):
    """A Recommender picks only itself; the Office picks any recommender."""

    name, arg_name = "本单位", "own"

    def apply(self, query, value):
        own = acting_recommender_id()
        return query if own is None else query.filter(Recommender.id == own)


class AwaitingRecommendation(BaseFilter):
    """Applications of cycles still taking in applications that have no recommendation yet.

    Not narrowed to the recommender's sectors: picking another sector is refused with M-9.
    """

    name, arg_name = "待推荐", "awaiting"

    def apply(self, query, value):
        return query.filter(*selectors.awaiting_recommendation())


class RecommenderView(AwardModelView):
    model, title = Recommender, _("推荐单位")
    list_columns = ["name", "kind", "sectors", "contact_name", "contact_phone"]
    add_columns = edit_columns = [
        "name",
        "kind",
        "sectors",
        "user",
        "contact_name",
        "contact_phone",
    ]
    description_columns = {
        "sectors": _("GB/T 4754 门类代码，逗号分隔；留空表示全部行业（如市场监督管理局）")
    }


class RecommendationView(RecommendationOnlineMixin, AwardModelView):
    model, title = Recommendation, _("推荐意见")
    eager = ("application", "recommender")
    scoped_rows = True
    list_columns = ["application", "recommender", "state_label", "signatory", "signed_on"]
    show_columns = [
        "application",
        "recommender",
        "state_label",
        "opinion",
        "signatory",
        "signed_on",
        "signed_at",
        "signed_by",
        "declined_at",
        "declined_by",
        "decline_reason",
        "pages",
    ]
    show_template = "award/recommendation_show.html"
    search_columns = ["signatory", "signed_on"]
    add_columns = ["application", "recommender", "opinion", "signatory", "signed_on", "pages"]
    edit_columns = ["opinion", "signatory", "signed_on", "pages"]
    add_form_query_rel_fields = {
        "application": [["id", AwaitingRecommendation, None]],
        "recommender": [["id", OwnRecommender, None]],
    }
    description_columns = {
        "application": _("只能推荐本单位行业（领域）的申报主体（M-9）"),
        "opinion": _("推荐单位对申报主体的推荐意见（M-18），须签署后方可通过资格审查"),
        "signatory": _("签署人和签署日期须同时填写；未签署的推荐意见不能通过资格审查（M-18）"),
    }


class EligibilityReviewView(AwardModelView):
    model, title = EligibilityReview, _("资格审查记录")
    eager = ("application",)
    list_columns = ["application", "outcome", "reviewed_at", "reviewed_by"]
    search_columns = ["outcome", "reviewed_by"]
    # The checklist is a table of rules, not its stored list (issue 16, readable records).
    formatters_columns = {"checklist": readable.checklist_table}
    base_permissions = ["can_list", "can_show"]
    base_order = ("reviewed_at", "desc")


class EligibilityJudgementView(AwardModelView):
    model, title = EligibilityJudgement, _("资格条件人工判定")
    eager = ("application",)
    list_columns = ["application", "rule", "status", "note", "decided_by"]
    search_columns = ["rule", "status"]
    add_columns = edit_columns = ["application", "rule", "status", "note"]
    description_columns = {
        "rule": _("需人工判定的条款，如 M-11.3、M-11.6、M-12.2、M-13.1、M-13.5"),
    }


class DisqualificationView(AwardModelView):
    model, title = Disqualification, _("取消资格记录")
    eager = ("application",)
    list_columns = ["application", "ground", "decided_at", "decided_by", "active"]
    search_columns = ["ground", "active"]
    base_permissions = ["can_list", "can_show"]
    formatters_columns = {"ground": ground_label}  # the ground in Chinese


def _application_actions_unavailable(app) -> dict[str, str]:
    from app.services.disqualification import unavailable_actions

    return unavailable_actions(app.status)


class ApplicationView(PaperCopiesMixin, DisqualificationActions, AwardModelView):
    model, title = Application, _("申报")
    show_widget = StateAwareShowWidget.for_model(Application, _application_actions_unavailable)
    eager = ("cycle", "organization", "individual")
    scoped_rows = True
    list_columns = ["number", "cycle", "prize", "applicant_name", "status", "submitted_on"]
    search_columns = ["number", "prize", "applicant_kind", "status", "submitted_on"]
    order_columns = ["number", "prize", "status", "submitted_on"]
    # Numbers start with the cycle's year (app/services/intake.next_number): "starts with"
    # selects the cycle without a dropdown of every cycle (one query more a page).
    cycle_filter = staticmethod(lambda cycle: {"_flt_0_number": f"{cycle.year}-"})
    add_columns = [
        "cycle",
        "prize",
        "applicant_kind",
        "organization",
        "individual",
        "submitted_on",
        "paper_copies",
        "paper_received_on",
        "summary",
        "office_note",
    ]
    edit_columns = [
        "prize",
        "submitted_on",
        "paper_copies",
        "paper_received_on",
        "summary",
        "office_note",
    ]
    show_fieldsets = [
        (
            _("申报信息（M-18）"),
            {
                "fields": [
                    "number",
                    "cycle",
                    "prize",
                    "applicant_kind",
                    "applicant_name",
                    "status",
                    "submitted_on",
                    "summary",
                ]
            },
        ),
        (_("推荐意见（M-18）"), {"fields": ["recommendation_state"]}),
        (_("纸质材料"), {"fields": ["paper_copies", "paper_received_on", "paper_received_by"]}),
        (_("资格审查（M-19.1）"), {"fields": ["supplement_deadline", "office_note"]}),
    ]
    add_fieldsets = form_fieldsets(show_fieldsets, add_columns)
    edit_fieldsets = form_fieldsets(show_fieldsets, edit_columns)
    description_columns = {
        "prize": _("政府质量奖只授予组织；提名奖授予组织或个人（M-2）"),
        "paper_copies": _("申报材料纸质版一式两份（M-18）"),
    }
    related_views = [ApplicationDocumentView, EligibilityReviewView]
    show_template = "award/eligibility_application_show.html"

    # --- eligibility review (M-19.1) -----------------------------------------------------
    def _may(self, permission: str) -> bool:
        return self.appbuilder.sm.has_access(permission, self.class_permission_name)

    def _scoped_or_404(self, pk) -> Application:
        item = self._scoped_item(pk)
        if item is None:
            abort(404)
        return item

    def _back(self, pk) -> str:
        return url_for("ApplicationView.checklist", pk=pk)

    @action(
        "run_eligibility",
        _("资格审查"),
        _("对所选申报按截止日进行资格审查并保存审查清单？"),
        "fa-check-square-o",
        multiple=True,
    )
    def run_eligibility(self, items):
        many = isinstance(items, list)
        ids = [i.id for i in items] if many else [items.id]
        run = elig.run_reviews(ids)
        flash(run.summary(), "warning" if run.refused else "success")
        if many:
            return redirect(self.get_redirect())
        return redirect(self._back(ids[0]))

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        widgets = self._show(pk)
        reviews = elig.history(int(pk)) if self._may("can_checklist") else []
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
            latest=elig.review_json(elig.latest(reviews)),
            decided=elig.review_json(elig.latest(reviews, decided=True)),
            may_checklist=self._may("can_checklist"),
        )

    @expose("/checklist/<int:pk>", methods=["GET"])
    @has_access
    def checklist(self, pk):
        return self._checklist_page(pk)

    def _checklist_page(self, pk, typed=None, refused=None):
        """The checklist; after a refused outcome or supplement (`refused`: which form, and the
        rule's message), that form as typed with the message in it."""
        app = self._scoped_or_404(pk)
        reviews = elig.history(pk)
        office = self._may("can_eligibility_outcome")
        judgeable, error = [], None
        if office:
            try:
                judgeable = judgement_lines(app)
            except RuleViolation as exc:
                error = str(exc)
        judgements = selectors.eligibility_judgements(pk)
        entries = selectors.eligibility_entries(pk)
        return self.render_template(
            "award/eligibility_checklist.html",
            title=f"资格审查清单：{app}",
            app=app,
            status=ApplicationStatus(app.status),
            latest=elig.review_json(elig.latest(reviews)),
            decided=elig.review_json(elig.latest(reviews, decided=True)),
            history=[elig.review_json(r) for r in reviews],
            judgements=judgements,
            judgeable=judgeable,
            check_statuses=list(CheckStatus),
            outcomes=elig.OUTCOMES,
            default_deadline=date.today() + timedelta(days=app.cycle.supplement_days),
            form_sections=FORM_SECTIONS,
            entries=list(entries),
            office=office,
            may_run=self._may("run_eligibility"),
            may_supplement=self._may("can_eligibility_supplement"),
            may_judge=self._may("can_eligibility_judgement"),
            error=error,
            typed=typed if typed is not None else MultiDict(),
            refused=refused or (None, None),
        )

    def _refused(self, pk, which, form, exc):
        db.session.rollback()
        typed = form.posted if form.posted is not None else MultiDict()
        return self._checklist_page(pk, typed=typed, refused=(which, str(exc))), 422

    def _attempt(self, pk, call, success):
        self._scoped_or_404(pk)
        return self.run_service(call, success, self._back(pk))

    @expose("/eligibility_outcome/<int:pk>", methods=["POST"])
    @has_access
    def eligibility_outcome(self, pk):
        """M-19.1: the outcome; a refused one comes back on the checklist as typed (422)."""
        form = EligibilityOutcomeForm()
        self._scoped_or_404(pk)
        try:
            review = outcomes.record_outcome(
                pk,
                refuse_invalid(form).outcome.data or "",
                reasons=form.reasons.data,
                missing_items=form.missing_items.data,
                supplement_deadline=form.supplement_deadline.data,
                expected_version=form.version.data,
                sections=form.sections.data or [],  # the parts to supplement online
            )
        except RuleViolation as exc:
            return self._refused(pk, "outcome", form, exc)
        flash(f"已记录资格审查结论：{ApplicationStatus(review.outcome).label}", "success")
        return redirect(self._back(pk))

    @expose("/eligibility_judgement/<int:pk>", methods=["POST"])
    @has_access
    def eligibility_judgement(self, pk):
        form = EligibilityJudgementForm()
        return self._attempt(
            pk,
            lambda: elig.record_judgement(
                pk,
                refuse_invalid(form).rule.data or "",
                form.status.data or "",
                form.note.data or "",
            ),
            lambda review: f"已记录 {form.rule.data} 的判定，并重新生成审查清单",
        )

    @expose("/eligibility_supplement/<int:pk>", methods=["POST"])
    @has_access
    def eligibility_supplement(self, pk):
        """M-19.1: resubmitted after supplement; a refused one comes back as typed (422)."""
        form = EligibilitySupplementForm()
        self._scoped_or_404(pk)
        try:
            app = outcomes.record_supplement(
                pk, refuse_invalid(form).note.data, expected_version=form.version.data
            )
        except RuleViolation as exc:
            return self._refused(pk, "supplement", form, exc)
        flash(f"{app.number} 已补正后重新提交，请重新进行资格审查", "success")
        return redirect(self._back(pk))
