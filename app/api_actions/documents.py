"""REST endpoints for application documents (M-18): upload (Office) and download (whoever may
see the application, logged for M-24 and M-25), with the screen's checks and row scope."""

from flask import g, request
from flask_appbuilder.api import BaseApi, expose, protect
from werkzeug.exceptions import RequestEntityTooLarge

from app.api_errors import refusal
from app.domain.errors import RuleViolation
from app.extensions import db
from app.services import uploads
from views.documents import send_document

_FILE_CONTENT = "\n".join(
    f"{' ' * 16}{ctype}:\n{' ' * 18}schema:\n{' ' * 20}type: string\n{' ' * 20}format: binary"
    for ctype in uploads.CONTENT_TYPES
)


class ApplicationDocumentActionsApi(BaseApi):
    resource_name = "application_document"
    class_permission_name = "ApplicationDocumentApi"
    openapi_spec_tag = "申报材料"
    allow_browser_login = False
    base_permissions = ["can_upload", "can_download"]

    def create_blueprint(self, appbuilder, *args, **kwargs):
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        blueprint.register_error_handler(RequestEntityTooLarge, self._too_large)
        return blueprint

    def _too_large(self, _exc):
        limit = uploads.size_label(uploads.max_bytes())
        return self.response(
            413, message=f"上传的文件超过大小上限 {limit}，未保存（M-18）", rule="M-18"
        )

    @expose("/upload", methods=["POST"])
    @protect()
    def upload(self):
        """Upload one application document
        ---
        post:
          summary: 上传申报材料
          description: >-
            申报表、自评报告、事迹材料或证明材料（M-18）。按文件内容核验类型（PDF、Word、Excel、
            PowerPoint、PNG、JPEG），超过大小上限、类型不符或内容与扩展名不符的文件不予保存。
          requestBody:
            required: true
            content:
              multipart/form-data:
                schema:
                  type: object
                  required: [application_id, file]
                  properties:
                    application_id:
                      type: integer
                    kind:
                      type: string
                      enum: [application_form, self_assessment, achievements, evidence, other]
                    title:
                      type: string
                    file:
                      type: string
                      format: binary
          responses:
            201:
              description: 已保存
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      id: {type: integer}
                      application_id: {type: integer}
                      filename: {type: string}
                      content_type: {type: string}
                      size: {type: integer}
                      sha256: {type: string}
                      message: {type: string}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            413:
              description: 文件超过大小上限，未保存
            422:
              description: 文件或字段未通过检查，未保存；message 为中文说明，rule 为规则编号
        """
        form = request.form
        file = request.files.get("file")
        try:
            doc = uploads.store(
                form.get("application_id"),
                file.stream if file else None,
                file.filename if file else None,
                kind=form.get("kind") or "evidence",
                title=form.get("title"),
                username=g.user.username,
            )
        except RuleViolation as exc:
            return refusal(exc)
        return self.response(
            201,
            id=doc.id,
            application_id=doc.application_id,
            filename=doc.filename,
            content_type=doc.content_type,
            size=doc.size,
            sha256=doc.sha256,
            message=f"已上传「{doc.title}」",
        )

    @expose("/<int:pk>/download", methods=["GET"])
    @protect()
    def download(self, pk):
        try:
            doc, path = uploads.open_for_download(pk, username=g.user.username)
        except uploads.DocumentUnavailable as exc:
            db.session.rollback()
            if uploads.visible(pk) is None:
                return self.response_404()
            return self.response(422, message=str(exc), rule=exc.rule)
        return send_document(doc, path)

    download.__doc__ = f"""Download one application document
        ---
        get:
          summary: 下载申报材料
          description: >-
            以附件形式返回文件（Content-Disposition 带中文文件名）；只对可查看该申报的用户开放，
            每次下载记入审计日志（M-24、M-25）。
          parameters:
          - in: path
            name: pk
            required: true
            schema:
              type: integer
          responses:
            200:
              description: 文件内容
              content:
{_FILE_CONTENT}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            422:
              description: 文件缺失或校验值不符，拒绝下载
        """


def register(appbuilder) -> None:
    appbuilder.add_api(ApplicationDocumentActionsApi)
