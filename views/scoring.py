"""The scoresheet screens: item-by-item entry (M-19.2, M-19.4), submit, the Office's reopen,
each row reached only through the user's scope (a reviewer's own sheets, never a conflicted
application, M-25)."""

from datetime import date

from flask import abort, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape

from app.domain.deadlines import deadline_state
from app.domain.enums import ReviewStage, SheetStatus
from app.domain.errors import RuleViolation
from app.domain.reviewers import ReviewerDisqualified
from app.domain.scoring import BAND_GUIDE, BANDS, band
from app.errors import error_body
from app.security.scopes import reviewer_id_of, sees_all
from app.services import scoresheets, scoring, selectors
from models import Scoresheet

from . import readable
from .base import AwardModelView
from .forms import ReasonForm, ScoresheetForm, refuse_invalid

PERCENTS = list(range(0, 101, 5))


def current_actor() -> scoring.Actor:
    return scoring.actor_of(g.user)


def _entry_links():
    """The "open the scoresheet" link: its text translated once per page (a list calls
    `for_page`, views/rendering.py), not once per row (issue 20)."""
    text = escape(gettext("打开评分表"))

    def link(pk) -> Markup:
        # An f-string with escape() gives Markup.format's HTML at a fraction of its cost.
        return Markup(f'<a href="/scoresheetview/entry/{escape(pk)}">{text}</a>')

    return link


def _entry_link(pk) -> Markup:
    return _entry_links()(pk)


_entry_link.for_page = _entry_links


class ScoresheetView(AwardModelView):
    model, title = Scoresheet, _("评分表")
    eager = ("application", "reviewer", "group")
    scoped_rows = True
    list_columns = ["application", "reviewer", "stage", "status", "total", "submitted_at", "id"]
    search_columns = ["stage", "status", "is_consensus", "submitted_at"]
    label_columns = {"id": _("评分录入")}
    formatters_columns = {"id": _entry_link}
    show_columns = [
        "application",
        "group",
        "reviewer",
        "stage",
        "is_consensus",
        "status",
        "total",
        "submitted_at",
        "reopened_reason",
        "overall_comment",
    ]
    show_template = "award/scoring_show.html"
    base_permissions = ["can_list", "can_show", "can_entry", "can_save", "can_submit"]

    # --- rows ---------------------------------------------------------------------------
    def _own_sheet(self, pk) -> Scoresheet:
        """The user's own sheet within their scope; another's (even a visible one) is 404."""
        sheet = self._scoped_item(pk)
        rid = reviewer_id_of(g.user)
        if sheet is None or rid is None or sheet.reviewer_id != rid:
            abort(404)
        return sheet

    # --- pages --------------------------------------------------------------------------
    @expose("/entry/<int:pk>", methods=["GET"])
    @has_access
    def entry(self, pk):
        sheet = self._scoped_item(pk)
        if sheet is None:
            abort(404)
        return self._render(sheet)

    @expose("/save/<int:pk>", methods=["POST"])
    @has_access
    def save(self, pk):
        return self._write(pk, scoring.save, "评分已保存为草稿")

    @expose("/submit/<int:pk>", methods=["POST"])
    @has_access
    def submit(self, pk):
        return self._write(pk, scoring.submit, "评分表已提交并锁定")

    def _write(self, pk, write, done: str):
        sheet_id, form = self._own_sheet(pk).id, ScoresheetForm()
        entries, comment = form.score_entries(), form.overall_comment.data
        if wants_json():
            return _autosave_answer(write, sheet_id, form)
        try:
            refuse_invalid(form)
            write(sheet_id, current_actor(), form.version.data, entries, comment)
        except scoring.StaleScoresheet as exc:
            flash(str(exc), "danger")
            return self._render(self._own_sheet(sheet_id), mine=entries, mine_note=True)
        except RuleViolation as exc:
            flash(str(exc), "danger")
            return self._render(self._own_sheet(sheet_id), mine=entries, comment=comment)
        flash(done, "success")
        return redirect(url_for(".entry", pk=sheet_id))

    @action("reopen", _("退回评分表"), None, "fa-undo", multiple=False)
    def reopen(self, item):
        form = ReasonForm()
        if not form.sent("reason"):
            return self.render_template("award/scoring_reopen.html", sheet=item)
        return self.run_service(
            lambda: scoring.reopen(item.id, current_actor(), refuse_invalid(form).reason.data),
            "评分表已退回评审员修改，退回理由已记录",
            url_for(".entry", pk=item.id),
        )

    # --- rendering ----------------------------------------------------------------------
    def _render(self, sheet, mine=None, mine_note=False, comment=None):
        actor = current_actor()
        mine = mine or {}
        editable, why = False, f"评分表只能由评审员 {sheet.reviewer.name} 本人录入，您只能查看"
        if actor.reviewer_id is not None and sheet.reviewer_id == actor.reviewer_id:
            try:
                scoring.ensure_writable(sheet, actor)
                editable = True
            except ReviewerDisqualified as exc:
                flash(str(exc), "danger")
                return redirect(url_for(".list"))
            except RuleViolation as exc:
                why = str(exc)
        criteria = scoresheets.criteria_of(sheet.application.cycle.criteria_version_id)
        scores = scoresheets.scores_of(sheet, criteria)
        lines = {criteria.codes.get(line.item_id): line for line in sheet.lines}
        categories = [
            {
                "code": cat.code,
                "name": cat.name_zh,
                "points": cat.points,
                "kind": cat.kind,
                "subtotal": scores.categories[cat.code],
                "kind_key": "process" if cat.kind == "process" else "results",
                "items": [
                    self._item_row(item, lines.get(item.code), scores, mine, mine_note)
                    for item in cat.items
                ],
            }
            for cat in criteria.spec.categories
        ]
        for cat in categories:
            # The Measures' written strengths and opportunities per category: how many of its
            # items have each (the page's script keeps the counts as the reviewer types).
            cat["comments"] = {
                field: sum(1 for row in cat["items"] if (row[field] or "").strip())
                for field in ("strengths", "improvements")
            }
        office = sees_all(g.user)
        group = sheet.group
        deadline = deadline_state(
            group.due_on,
            date.today(),
            done=sheet.status == SheetStatus.SUBMITTED.value or group.closed_at is not None,
        )
        history = []
        if office or sheet.reviewer_id == actor.reviewer_id:
            history = [readable.score_change(c) for c in selectors.score_history(sheet.id)]
        return self.render_template(
            "award/scoring_entry.html",
            sheet=sheet,
            stage_label=ReviewStage(sheet.stage).label,
            status_label=SheetStatus(sheet.status).label,
            categories=categories,
            total=scores.total,
            missing=scores.missing,
            editable=editable,
            why=why,
            percents=PERCENTS,
            bands=[(n, low, high, *BAND_GUIDE[n]) for n, low, high in BANDS],
            band_limits=[(n, low, high) for n, low, high in BANDS],
            band_guide=BAND_GUIDE,
            deadline=deadline,
            can_reopen=office
            and sheet.status == SheetStatus.SUBMITTED.value
            and self.appbuilder.sm.has_access("reopen", self.class_permission_name),
            history=history,
            overall=comment if comment is not None and not mine_note else sheet.overall_comment,
            mine_note=mine_note,
        )

    @staticmethod
    def _item_row(item, line, scores, mine, mine_note) -> dict:
        entered = mine.get(item.code, {})
        percent = line.percent if line else None
        row = {
            "code": item.code,
            "name": item.name_zh,
            "points": item.points,
            "percent": percent,
            "earned": scores.items.get(item.code),
            "band": band(percent) if percent is not None else None,
            "strengths": (line.strengths if line else None) or "",
            "improvements": (line.improvements if line else None) or "",
            "mine": None,
        }
        if entered and mine_note:
            row["mine"] = {k: v for k, v in entered.items() if (v or "") != str(row.get(k) or "")}
        elif entered:
            # A refused save keeps what the reviewer typed in the form (nothing is lost).
            row.update({k: v for k, v in entered.items() if k != "percent"})
            row["percent"] = entered.get("percent", percent)
        return row


def wants_json() -> bool:
    """The score page's automatic save (scoring.js) asks for JSON; the form asks for a page."""
    return request.accept_mimetypes.best == "application/json"


def _autosave_answer(write, sheet_id: int, form: ScoresheetForm):
    """The same save use case as the form, answered in JSON for the page's script: the new
    version (the next save's check against lost updates) and the server's total."""
    try:
        refuse_invalid(form)
        sheet = write(
            sheet_id,
            current_actor(),
            form.version.data,
            form.score_entries(),
            form.overall_comment.data,
        )
    except RuleViolation as exc:
        status = getattr(exc, "status", 422)
        return jsonify(error_body(str(exc), exc.rule, getattr(exc, "fields", None))), status
    known = sheet.known_after_commit
    return jsonify(
        {
            "message": gettext("草稿已自动保存"),
            "version": known["version"],
            "total": known["total"],
            "status": known["status"],
        }
    )
