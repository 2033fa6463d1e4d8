"""Official documents and reports (issue 19): per record, what can be generated and what was
issued; a draft's download (Word, PDF where LibreOffice is installed), the Office's edited
upload, regeneration with another number or date, and issuing. Each button calls one use case
of app/services/official_docs/issuing.py."""

import io

from flask import abort, flash, g, redirect, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _

from app.domain.errors import RecordNotFound, RuleViolation
from app.extensions import db
from app.presentation import attachment_headers
from app.services import selectors
from app.services.official_docs import issuing, pdf, registry
from models import AwardCycle, IssuedDocument

from .base import AwardModelView
from .forms import DraftDocumentForm, RegenerateDocumentForm, refuse_invalid

TARGET_PAGES = {
    "year": ("AwardCycleView", "评定年度"),
    "application": ("ApplicationView", "申报"),
    "case": ("RevocationCaseView", "撤销案件"),
}


PDF = "application/pdf"


def send_bytes(content: bytes, filename: str, as_pdf: bool):
    if as_pdf:
        content = pdf.to_pdf(content)
        filename = filename.rpartition(".")[0] + ".pdf"
    response = send_file(
        io.BytesIO(content),
        mimetype=PDF if as_pdf else issuing.DOCX,
        conditional=False,
        etag=False,
    )
    response.headers.update(attachment_headers(filename))
    return response


def kind_label(value) -> str:
    spec = registry.kinds().get(value)
    return spec.label_zh if spec else (value or "")


def state_label(value) -> str:
    return issuing.STATE_LABELS.get(value, value or "")


class IssuedDocumentView(AwardModelView):
    route_base = "/official-documents"
    model, title = IssuedDocument, _("公文")
    eager = ("cycle",)
    list_columns = ["title", "kind", "document_no", "state", "dated", "issued_by", "issued_at"]
    show_columns = [
        "title",
        "kind",
        "document_no",
        "dated",
        "state",
        "filename",
        "size",
        "sha256",
        "edited",
        "created_by",
        "created_at",
        "issued_by",
        "issued_at",
    ]
    search_columns = ["title", "kind", "document_no", "state"]
    base_order = ("id", "desc")
    label_columns = {
        "title": _("标题"),
        "kind": _("文档类型"),
        "document_no": _("发文字号"),
        "state": _("状态"),
        "dated": _("成文日期"),
        "issued_by": _("印发人"),
        "issued_at": _("印发时间"),
        "filename": _("文件名"),
        "size": _("大小（字节）"),
        "sha256": _("SHA-256"),
        "edited": _("已上传修改稿"),
        "created_by": _("起草人"),
        "created_at": _("起草时间"),
    }
    formatters_columns = {"kind": kind_label, "state": state_label}
    base_permissions = [
        "can_list",
        "can_show",
        "can_record",
        "can_file",
        "can_draft",
        "can_upload",
        "can_regenerate",
        "can_issue",
    ]
    show_template = "award/official_doc_show.html"
    default_view = "record"  # the menu opens the choice of cycle; the list is linked from it

    def render_template(self, template, **kwargs):
        """Every page of this view says whether PDF is offered; a document's page whether it
        is still a draft."""
        pk = _key("", (request.view_args or {}).get("pk"))
        doc = db.session.get(IssuedDocument, pk) if pk else None
        kwargs.setdefault("is_draft", doc is not None and doc.state == issuing.DRAFT)
        kwargs.setdefault("pdf_available", pdf.available())
        kwargs.setdefault("pdf_unavailable", pdf.UNAVAILABLE)
        return super().render_template(template, **kwargs)

    def _back(self, doc_id=None, target=None, target_id=None, typed=None):
        if doc_id:
            return redirect(url_for("IssuedDocumentView.show", pk=doc_id))
        # a refused draft: what was typed comes back in its row of the record page
        return redirect(
            url_for("IssuedDocumentView.record", target=target, id=target_id, **(typed or {}))
        )

    # --- a record's documents (cycle, application, revocation case) ------------------------
    @expose("/record", methods=["GET"])
    @has_access
    def record(self):
        """The documents of one record; with `kind`, that document's current file."""
        target = request.args.get("target", "year")
        target_id = request.args.get("id")
        if request.args.get("cycle"):  # from the cycle's page, which knows its row id
            cycle = db.session.get(AwardCycle, _key("", request.args.get("cycle")) or 0)
            if cycle is None:
                abort(404)
            target, target_id = "year", str(cycle.year)
        kind = request.args.get("kind")
        if kind:
            try:
                filename, content = issuing.current_file(kind, target_id)
                return send_bytes(content, filename, request.args.get("format") == "pdf")
            except RecordNotFound:
                db.session.rollback()
                abort(404)
            except RuleViolation as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                return self._back(target=target, target_id=target_id)
        if target not in TARGET_PAGES or not target_id:
            cycles = selectors.cycles_newest_first()
            return self.render_template(
                "award/official_docs_index.html", title="公文与报告", cycles=list(cycles)
            )
        rows = []
        for name, spec in registry.kinds().items():
            if spec.target != target:
                continue
            try:
                spec_, record = registry.load(name, target_id)
                refusal = None
            except RecordNotFound:
                abort(404)
            except RuleViolation as exc:
                db.session.rollback()
                refusal, record = str(exc), None
            rows.append({"kind": name, "spec": spec, "refusal": refusal, "record": record})
        key = _key(target, target_id)
        return self.render_template(
            "award/official_docs_record.html",
            title="公文与报告",
            target=target,
            target_id=target_id,
            rows=rows,
            documents=issuing.documents_of(target, key) if key is not None else [],
            page=TARGET_PAGES[target],
            kind_label=kind_label,
            state_label=state_label,
        )

    # --- the Office's steps ------------------------------------------------------------------
    @expose("/draft", methods=["POST"])
    @has_access
    def draft(self):
        form = DraftDocumentForm()
        try:
            refuse_invalid(form)
            doc = issuing.draft(
                form.kind.data or "",
                form.target_id.data,
                number=form.document_no.data or None,
                dated=form.dated.data,
                username=g.user.username,
            )
        except RuleViolation as exc:
            flash(str(exc), "danger")
            typed = {
                f"typed_{k}": form[k]._value()
                for k in ("kind", "document_no", "dated")
                if form[k]._value()
            }
            return self._back(target=form.target.data, target_id=form.target_id.data, typed=typed)
        flash(f"已生成「{doc.title}」草稿，可下载修改后上传，或直接印发", "success")
        return self._back(doc.id)

    @expose("/file/<int:pk>", methods=["GET"])
    @has_access
    def file(self, pk):
        try:
            doc = issuing.file_of(pk)
            return send_bytes(bytes(doc.content), doc.filename, request.args.get("format") == "pdf")
        except RecordNotFound:
            abort(404)
        except RuleViolation as exc:
            flash(str(exc), "danger")
            return self._back(pk)

    @expose("/upload/<int:pk>", methods=["POST"])
    @has_access
    def upload(self, pk):
        file = request.files.get("file")
        try:
            issuing.replace_with_edited(
                pk,
                file.stream if file else None,
                file.filename if file else None,
                username=g.user.username,
            )
        except RecordNotFound:
            abort(404)
        except RuleViolation as exc:
            flash(str(exc), "danger")
            return self._back(pk)
        flash("已保存修改稿", "success")
        return self._back(pk)

    @expose("/regenerate/<int:pk>", methods=["POST"])
    @has_access
    def regenerate(self, pk):
        form = RegenerateDocumentForm()
        try:
            refuse_invalid(form)
            doc = issuing.regenerate(
                pk,
                number=form.document_no.data or None,
                dated=form.dated.data,
                username=g.user.username,
            )
        except RecordNotFound:
            abort(404)
        except RuleViolation as exc:
            flash(str(exc), "danger")
            return self._back(pk)
        flash("已按当前记录重新生成草稿", "success")
        return self._back(doc.id)

    @expose("/issue/<int:pk>", methods=["POST"])
    @has_access
    def issue(self, pk):
        try:
            doc = issuing.issue(pk, username=g.user.username)
        except RecordNotFound:
            abort(404)
        except RuleViolation as exc:
            flash(str(exc), "danger")
            return self._back(pk)
        flash(
            f"已印发「{doc.title}」{doc.document_no or ''}，文件已随记录保存，不能再修改", "success"
        )
        return self._back(pk)


def _key(_target: str, target_id) -> int | None:
    """A row id or year, or None for what no row can have (PostgreSQL integers end at 2^31)."""
    try:
        value = int(target_id)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**31 else None
