"""REST endpoints of the buttons on an official document's record page (issue 19): the Office
drafts a document, uploads its own edit of a draft, regenerates the draft with another number or
date, and issues it. The same use cases as the screen (app/services/official_docs/issuing.py)."""

from flask import g, request
from flask_appbuilder.api import expose, protect

from app.domain.errors import RuleViolation
from models import IssuedDocument

from .base import ActionApi, action_doc, body, refuse_unknown, string
from .official_documents import _date


def _answer(doc: IssuedDocument, message: str) -> dict:
    return {
        "id": doc.id,
        "kind": doc.kind,
        "title": doc.title,
        "state": doc.state,
        "document_no": doc.document_no,
        "dated": doc.dated.isoformat() if doc.dated else None,
        "sha256": doc.sha256,
        "version": doc.version,
        "message": message,
    }


_only = refuse_unknown


NUMBER_AND_DATE = {
    "document_no": string("发文字号，如 伊市质评〔2025〕3号"),
    "dated": string("成文日期", format="date"),
}


class IssuedDocumentActionsApi(ActionApi):
    resource_name = "issued_document"
    class_permission_name = "IssuedDocumentApi"
    openapi_spec_tag = "公文与报告"
    model = IssuedDocument
    base_permissions = ["can_draft", "can_upload", "can_regenerate", "can_issue"]

    @expose("/draft", methods=["POST"])
    @protect()
    def draft(self):
        """Draft an official document of a kind for its record
        ---
        post:
          summary: 生成公文或报告的草稿
          description: >-
            按当前记录生成 KIND 的草稿（未进行到相应阶段的拒绝并指明阶段）；已有草稿时按当前记录
            重新生成，已印发的不再改动。
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [kind, target_id]
                  properties:
                    kind:
                      type: string
                    target_id:
                      type: string
                      description: 年度、申报 id 或撤销案件 id
                    document_no:
                      type: string
                    dated:
                      type: string
                      format: date
          responses:
            200:
              description: 草稿
              content:
                application/json:
                  schema:
                    type: object
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """
        from app.services.official_docs import issuing

        data = body()
        try:
            _only(data, {"kind", "target_id", "document_no", "dated"})
            doc = issuing.draft(
                str(data.get("kind") or ""),
                data.get("target_id"),
                number=data.get("document_no") or None,
                dated=_date(data.get("dated"), "dated"),
                username=g.user.username,
            )
        except RuleViolation as exc:
            return self.refuse(exc)
        return self.response(200, **_answer(doc, f"已生成「{doc.title}」草稿"))

    @expose("/<int:pk>/upload", methods=["POST"])
    @protect()
    def upload(self, pk: int):
        """Upload the Office's edit of a draft
        ---
        post:
          summary: 上传草稿的修改稿（.docx）
          description: 按文件内容核验为 Word 文档；已印发的文档不能再修改。
          parameters:
          - in: path
            name: pk
            required: true
            schema:
              type: integer
          requestBody:
            required: true
            content:
              multipart/form-data:
                schema:
                  type: object
                  required: [file]
                  properties:
                    file:
                      type: string
                      format: binary
          responses:
            200:
              description: 已保存修改稿
              content:
                application/json:
                  schema:
                    type: object
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """
        from app.services.official_docs import issuing

        file = request.files.get("file")
        return self.act(
            pk,
            lambda data: issuing.replace_with_edited(
                pk,
                file.stream if file else None,
                file.filename if file else None,
                username=g.user.username,
            ),
            lambda doc: self.response(200, **_answer(doc, "已保存修改稿")),
            check_version=False,
        )

    @expose("/<int:pk>/regenerate", methods=["POST"])
    @protect()
    def regenerate(self, pk: int):
        from app.services.official_docs import issuing

        def change(data):
            _only(data, {"document_no", "dated", "version"})
            return issuing.regenerate(
                pk,
                number=data.get("document_no") or None,
                dated=_date(data.get("dated"), "dated"),
                username=g.user.username,
            )

        return self.act(
            pk, change, lambda doc: self.response(200, **_answer(doc, "已按当前记录重新生成草稿"))
        )

    regenerate.__doc__ = action_doc(
        "按当前记录重新生成草稿（可改发文字号、成文日期）",
        properties=NUMBER_AND_DATE,
        ok="已重新生成草稿",
    )

    @expose("/<int:pk>/issue", methods=["POST"])
    @protect()
    def issue(self, pk: int):
        from app.services.official_docs import issuing

        def change(data):
            _only(data, {"version"})
            return issuing.issue(pk, username=g.user.username)

        return self.act(
            pk,
            change,
            lambda doc: self.response(
                200, **_answer(doc, f"已印发「{doc.title}」，文件已随记录保存，不能再修改")
            ),
        )

    issue.__doc__ = action_doc(
        "印发草稿：文件随记录保存、记入审计日志，不能再修改或再次印发（M-19）", ok="已印发"
    )


def register(appbuilder) -> None:
    appbuilder.add_api(IssuedDocumentActionsApi)
