"""Application documents (M-18): list, upload (Office), download for whoever may see the
application (M-24, M-25), delete with the file; every step in the audit log."""

from flask import abort, flash, g, redirect, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.widgets import ListWidget
from werkzeug.exceptions import RequestEntityTooLarge

from app.domain.errors import RuleViolation
from app.extensions import db
from app.presentation import attachment_headers
from app.services import uploads
from models import ApplicationDocument

from .base import AwardModelView
from .forms import DocumentUploadForm, refuse_invalid


class DocumentListWidget(ListWidget):
    """FAB's list with an upload button (on an application's tab: for that application)
    and a download button on each row."""

    template = "award/documents_list.html"


def kind_label(value) -> str:
    return uploads.KINDS.get(value, value or "")


def send_document(doc: ApplicationDocument, path):
    response = send_file(path, mimetype=doc.content_type, conditional=False, etag=False)
    response.headers.update(attachment_headers(doc.filename))
    return response


class ApplicationDocumentView(AwardModelView):
    route_base = "/documents"
    model, title = ApplicationDocument, "申报材料"
    eager = ("application",)
    scoped_rows = True
    list_columns = ["application", "kind", "title", "filename", "size", "uploaded_by"]
    search_columns = ["kind", "title", "filename"]
    show_columns = [
        "application",
        "kind",
        "title",
        "filename",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "created_at",
    ]
    base_permissions = ["can_list", "can_show", "can_delete", "can_upload", "can_download"]
    formatters_columns = {"kind": kind_label}
    list_widget = DocumentListWidget
    show_template = "award/documents_show.html"

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        # A request over MAX_CONTENT_LENGTH is refused while the form is read (even by the
        # CSRF check): the clerk gets the limit in Chinese, not a bare 413 page.
        blueprint.register_error_handler(RequestEntityTooLarge, self._too_large)
        return blueprint

    def _too_large(self, _exc):
        db.session.rollback()
        limit = uploads.size_label(uploads.max_bytes())
        flash(f"上传的文件超过大小上限 {limit}，未保存；请压缩或拆分后上传（M-18）", "danger")
        return redirect(self._upload_url(request.args.get("application")))

    def _upload_url(self, application_id=None):
        return url_for("ApplicationDocumentView.upload", application=application_id or None)

    # --- upload (Office) ------------------------------------------------------------------
    @expose("/upload/", methods=["GET", "POST"])
    @has_access
    def upload(self):
        if request.method == "POST":
            return self._receive()
        application = uploads.find_application(request.args.get("application"))
        return self.render_template(
            "award/documents_upload.html",
            title="上传申报材料",
            application=application,
            kinds=uploads.KINDS,
            accepted=uploads.ACCEPTED,
            accept=uploads.ACCEPT_ATTRIBUTE,
            limit=uploads.size_label(uploads.max_bytes()),
        )

    def _receive(self):
        form = DocumentUploadForm()
        application = uploads.find_application(
            form.application_id.data or form.application_number.data
        )
        file = form.file.data or None
        try:
            refuse_invalid(form)
            doc = uploads.store(
                application.id if application else None,
                file.stream if file else None,
                file.filename if file else None,
                kind=form.kind.data or "evidence",
                title=form.title.data,
                username=g.user.username,
            )
        except RuleViolation as exc:
            flash(str(exc), "danger")
            return redirect(self._upload_url(application.id if application else None))
        flash(f"已上传「{doc.title}」（{doc.filename}，SHA-256 {doc.sha256[:12]}…）", "success")
        return redirect(url_for("ApplicationView.show", pk=doc.application_id))

    # --- download (whoever may see the application; logged) -------------------------------
    @expose("/<int:pk>/download", methods=["GET"])
    @has_access
    def download(self, pk):
        try:
            doc, path = uploads.open_for_download(pk, username=g.user.username)
        except uploads.DocumentUnavailable as exc:
            db.session.rollback()
            if uploads.visible(pk) is None:
                abort(404)
            flash(str(exc), "danger")
            return redirect(url_for("ApplicationDocumentView.show", pk=pk))
        return send_document(doc, path)

    # --- delete (Office): the row, the file, an audit entry ----------------------------------
