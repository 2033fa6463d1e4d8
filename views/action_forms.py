"""Small form pages for one use case each (issue 18): the recommending body signs or declines
(M-18), the Office records the paper copies (M-18), the Committee records an approval (M-7).

A refusal keeps the page with the typed values and the rule's message; nothing is saved."""

from dataclasses import dataclass

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext

from app.domain.errors import RecordNotFound, RuleViolation
from app.extensions import db
from app.services import approvals
from app.services import recommendation_online as online
from app.services.records import acting_recommender_id

from .forms import (
    ApprovalForm,
    DeclineRecommendationForm,
    PaperCopiesForm,
    SignRecommendationForm,
    refuse_invalid,
)


@dataclass
class Field:
    name: str
    label: str
    kind: str = "text"
    value: str | None = None
    error: str | None = None


def _page(view, page_id, heading, fields, action_url, back_url, submit_label, **extra):
    return view.render_template(
        "award/action_form.html",
        page_id=page_id,
        heading=heading,
        fields=fields,
        action_url=action_url,
        back_url=back_url,
        submit_label=submit_label,
        facts=extra.pop("facts", []),
        note=extra.pop("note", None),
        error=extra.pop("error", None),
        version=extra.pop("version", None),
    )


def _attempt(form, call, fields: list[Field]):
    """Run the use case with the form's values (views/forms.py); (result, None) or
    (None, message). The page shows what was typed, refused or not."""
    for f in fields:
        f.value = form[f.name]._value()
    try:
        refuse_invalid(form)
        return call(), None
    except RecordNotFound:
        abort(404)
    except RuleViolation as exc:
        db.session.rollback()
        for name, message in (exc.fields or {}).items():
            for f in fields:
                if f.name == name:
                    f.error = message
        return None, str(exc)


class RecommendationOnlineMixin:
    """RecommendationView: the chosen recommending body signs or declines on the screen."""

    def _mine_or_404(self, pk):
        rec = self._scoped_item(pk)
        if rec is None:
            abort(404)
        return rec

    def _facts(self, rec) -> list[str]:
        app = rec.application
        return [
            gettext("申报：%(app)s（%(cycle)s）", app=app, cycle=app.cycle.name),
            gettext("推荐单位：%(name)s", name=rec.recommender.name),
            gettext("当前状态：%(state)s", state=gettext(rec.state_label)),
        ]

    @expose("/sign/<int:pk>", methods=["GET", "POST"])
    @has_access
    def sign(self, pk):
        rec = self._mine_or_404(pk)
        fields = [
            Field("opinion", gettext("推荐意见"), "textarea", rec.opinion),
            Field("signatory", gettext("签署人（单位负责人）"), "text", rec.signatory),
        ]
        error, form = None, SignRecommendationForm()
        if request.method == "POST":
            done, error = _attempt(
                form,
                lambda: online.sign(
                    pk,
                    form.opinion.data or "",
                    form.signatory.data or "",
                    acting_recommender_id=acting_recommender_id(),
                    expected_version=form.version.data,
                ),
                fields,
            )
            if done is not None:
                flash(gettext("已签署推荐意见，市质评办可见（M-18）"), "success")
                return redirect(url_for(".show", pk=pk))
        return _page(
            self,
            "recommendation-sign",
            gettext("签署推荐意见（M-18）"),
            fields,
            url_for(".sign", pk=pk),
            url_for(".show", pk=pk),
            gettext("签署"),
            facts=self._facts(rec),
            note=gettext("签署后推荐意见不能再修改；签署日期为今天，签署账号记入审计日志。"),
            error=error,
            version=rec.version,
        )

    @expose("/decline/<int:pk>", methods=["GET", "POST"])
    @has_access
    def decline(self, pk):
        rec = self._mine_or_404(pk)
        fields = [Field("reason", gettext("不予推荐理由"), "textarea")]
        error, form = None, DeclineRecommendationForm()
        if request.method == "POST":
            done, error = _attempt(
                form,
                lambda: online.decline(
                    pk,
                    form.reason.data or "",
                    acting_recommender_id=acting_recommender_id(),
                    expected_version=form.version.data,
                ),
                fields,
            )
            if done is not None:
                flash(gettext("已作出不予推荐，理由市质评办可见（M-18）"), "success")
                return redirect(url_for(".show", pk=pk))
        return _page(
            self,
            "recommendation-decline",
            gettext("不予推荐（M-18）"),
            fields,
            url_for(".decline", pk=pk),
            url_for(".show", pk=pk),
            gettext("确认不予推荐"),
            facts=self._facts(rec),
            error=error,
            version=rec.version,
        )


class PaperCopiesMixin:
    """ApplicationView: the Office records the two paper copies received (M-18)."""

    @expose("/paper_copies/<int:pk>", methods=["GET", "POST"])
    @has_access
    def paper_copies(self, pk):
        app = self._scoped_item(pk)
        if app is None:
            abort(404)
        fields = [
            Field("paper_copies", gettext("接收份数"), "number", str(app.paper_copies or 2)),
            Field(
                "paper_received_on",
                gettext("接收日期"),
                "date",
                app.paper_received_on.isoformat() if app.paper_received_on else "",
            ),
        ]
        error, form = None, PaperCopiesForm()
        if request.method == "POST":
            done, error = _attempt(
                form,
                lambda: online.record_paper_copies(
                    pk,
                    form.paper_copies.data,
                    form.paper_received_on.data,
                    expected_version=form.version.data,
                ),
                fields,
            )
            if done is not None:
                flash(gettext("已登记纸质申报材料的接收（M-18）"), "success")
                return redirect(url_for(".show", pk=pk))
        return _page(
            self,
            "paper-copies",
            gettext("登记纸质申报材料（一式两份，M-18）"),
            fields,
            url_for(".paper_copies", pk=pk),
            url_for(".show", pk=pk),
            gettext("登记"),
            facts=[gettext("申报：%(app)s", app=app)],
            note=gettext("推荐意见已签署且两份纸质材料已接收后，方可进行资格审查。"),
            error=error,
            version=app.version,
        )


def _approval_fields() -> list[Field]:
    return [Field("reference", gettext("批准依据（如委员会会议纪要文号）"))]


class CriteriaApprovalMixin:
    """CriteriaVersionView: the Committee's approval of a criteria version (M-7)."""

    @expose("/approve/<int:pk>", methods=["GET", "POST"])
    @has_access
    def approve(self, pk):
        version = self._scoped_item(pk)
        if version is None:
            abort(404)
        fields = _approval_fields()
        error, form = None, ApprovalForm()
        if request.method == "POST":
            done, error = _attempt(
                form,
                lambda: approvals.approve_criteria(pk, form.reference.data or ""),
                fields,
            )
            if done is not None:
                flash(gettext("已记录委员会对评价准则版本的批准（M-7）"), "success")
                return redirect(url_for(".show", pk=pk))
        return _page(
            self,
            "criteria-approve",
            gettext("记录委员会批准：评价准则版本 %(code)s（M-7）", code=version.code),
            fields,
            url_for(".approve", pk=pk),
            url_for(".show", pk=pk),
            gettext("记录批准"),
            facts=[version.name],
            note=gettext("未经委员会批准的评价准则版本不能用于发布的评定年度。"),
            error=error,
        )


class ProcedureApprovalMixin:
    """AwardCycleView: the Committee's approval of the cycle's procedure (M-7)."""

    @expose("/approve_procedure/<int:pk>", methods=["GET", "POST"])
    @has_access
    def approve_procedure(self, pk):
        cycle = self._scoped_item(pk)
        if cycle is None:
            abort(404)
        fields = _approval_fields()
        error, form = None, ApprovalForm()
        if request.method == "POST":
            done, error = _attempt(
                form,
                lambda: approvals.approve_procedure(
                    pk,
                    form.reference.data or "",
                    expected_version=form.version.data,
                ),
                fields,
            )
            if done is not None:
                flash(gettext("已记录委员会对本届评审程序的批准（M-7）"), "success")
                return redirect(url_for(".show", pk=pk))
        return _page(
            self,
            "procedure-approve",
            gettext("记录委员会批准：%(name)s的评审程序（M-7）", name=cycle.name),
            fields,
            url_for(".approve_procedure", pk=pk),
            url_for(".show", pk=pk),
            gettext("记录批准"),
            note=gettext(
                "评审程序（阶段、时间安排、评审规则）经委员会批准后，本届方可发布和受理申报。"
            ),
            error=error,
            version=cycle.version,
        )
