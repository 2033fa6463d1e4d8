"""REST endpoints of the official documents (issue 19): a document of a kind for its record
(.docx, or PDF where LibreOffice is installed) and the Office's issue action."""

from datetime import date

from flask import g, request
from flask_appbuilder.api import expose, protect

from app.api_actions.base import ActionApi, body, refuse_unknown
from app.domain.dates import parse_date
from app.domain.errors import RuleViolation
from app.services.official_docs import issuing
from views.official_docs import send_bytes


def _date(value, field: str) -> date | None:
    return parse_date(value, field, label=field)


class OfficialDocumentApi(ActionApi):
    resource_name = "document"
    # the grants of roles.ACTIONS["IssuedDocument"] (FAB_ROLES ^IssuedDocument(View|Api)$)
    class_permission_name = "IssuedDocumentApi"
    openapi_spec_tag = "公文与报告"
    base_permissions = ["can_document", "can_issue"]

    @expose("/<kind>/<target>", methods=["GET"])
    @protect()
    def document(self, kind, target):
        """An official document or report of a kind for its record
        ---
        get:
          summary: 生成公文或报告（Word 文档，或 PDF）
          description: >-
            KIND 为 announcement、notice、request、decision、evaluation-report、certificates（按年度），
            material-report、onsite-report、feedback（按申报 id），revocation（按撤销案件 id）。
            已印发的文档返回印发时保存的文件。未进行到相应阶段的拒绝并指明阶段；
            format=pdf 需要服务器安装 LibreOffice，否则拒绝并说明只能下载 Word 文档。
          parameters:
          - in: path
            name: kind
            required: true
            schema:
              type: string
          - in: path
            name: target
            required: true
            schema:
              type: string
          - in: query
            name: format
            schema:
              type: string
              enum: [docx, pdf]
          responses:
            200:
              description: 文档
              content:
                application/vnd.openxmlformats-officedocument.wordprocessingml.document:
                  schema:
                    type: string
                    format: binary
                application/pdf:
                  schema:
                    type: string
                    format: binary
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """
        try:
            filename, content = issuing.current_file(kind, target)
            return send_bytes(content, filename, request.args.get("format") == "pdf")
        except RuleViolation as exc:
            return self.refuse(exc)

    @expose("/<kind>/<target>/issue", methods=["POST"])
    @protect()
    def issue(self, kind, target):
        """Issue the document of a kind for its record
        ---
        post:
          summary: 印发公文
          description: >-
            印发该记录的草稿（没有草稿时按当前记录生成，可给出发文字号 document_no 和成文日期
            dated）。印发后的文件随记录保存、记入审计日志，不能再修改或再次印发。
          parameters:
          - in: path
            name: kind
            required: true
            schema:
              type: string
          - in: path
            name: target
            required: true
            schema:
              type: string
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    document_no:
                      type: string
                    dated:
                      type: string
                      format: date
          responses:
            200:
              description: 已印发
              content:
                application/json:
                  schema:
                    type: object
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """
        data = body()
        user = g.user.username
        try:
            refuse_unknown(data, {"document_no", "dated"})
            number, dated = data.get("document_no"), _date(data.get("dated"), "dated")
            existing = issuing.draft_of(kind, issuing.target_key(kind, target))
            if existing is None or number or dated:
                existing = issuing.draft(kind, target, number=number, dated=dated, username=user)
            doc = issuing.issue(existing.id, username=user)
        except RuleViolation as exc:
            return self.refuse(exc)
        return self.response(
            200,
            id=doc.id,
            kind=doc.kind,
            title=doc.title,
            document_no=doc.document_no,
            dated=doc.dated.isoformat() if doc.dated else None,
            sha256=doc.sha256,
            issued_by=doc.issued_by,
            issued_at=doc.issued_at.isoformat(),
            message=f"已印发「{doc.title}」",
        )


def register(appbuilder) -> None:
    appbuilder.add_api(OfficialDocumentApi)
