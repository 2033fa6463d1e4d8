"""REST endpoints for the after-award buttons: revocation steps (M-26) and report review (M-27).

Each endpoint needs `can_<method>` on the resource, like its screen page. The revocation steps
are open to everyone in the procedure (Office, Committee); who may take which step and in what
order is the domain's rule, refused with 422 and the rule ID, changing nothing.
"""

from datetime import date

from flask import g, request
from flask_appbuilder.api import BaseApi, expose, protect

from app.api_errors import refusal
from app.domain.enums import FollowUpStatus, RevocationStatus
from app.domain.errors import InvalidInput, RuleViolation
from app.extensions import db
from app.security.scopes import role_names
from app.services import aftercare as svc
from models import FollowUpReport, RevocationCase

from .base import ensure_version

_STEP_DOC = """{summary}
---
post:
  summary: {summary}
  description: {description}
  parameters:
  - in: path
    name: pk
    required: true
    schema:
      type: integer
  requestBody:
    required: false
    content:
      application/json:
        schema:
          type: object
          properties:
{properties}
  responses:
    200:
      description: 已办理，返回新的状态
      content:
        application/json:
          schema:
            type: object
            properties:
              id: {{type: integer}}
              status: {{type: string}}
              status_label: {{type: string}}
              message: {{type: string}}
    401:
      $ref: '#/components/responses/401'
    403:
      $ref: '#/components/responses/403'
    404:
      $ref: '#/components/responses/404'
    422:
      description: 违反评定规则，未作任何修改；message 为中文说明，rule 为规则编号
"""


def _doc(summary: str, description: str, **fields: str) -> str:
    props = (
        "".join(
            f"            {name}:\n              type: string\n              description: {text}\n"
            for name, text in fields.items()
        )
        or "            note:\n              type: string\n"
    ) + (
        "            version:\n              type: integer\n"
        "              description: 读取记录时得到的版本号；不是当前版本时拒绝（409）\n"
    )
    return _STEP_DOC.format(summary=summary, description=description, properties=props.rstrip())


def _body() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD：{value}") from None


class _ActionsApi(BaseApi):
    allow_browser_login = False

    def _done(self, row, label: str, message: str):
        return self.response(200, id=row.id, status=row.status, status_label=label, message=message)


STEPS = ("verify", "review", "approve", "dismiss")


class RevocationCaseActionsApi(_ActionsApi):
    resource_name = "revocation_case"
    class_permission_name = "RevocationCaseApi"
    openapi_spec_tag = "撤销案件"
    base_permissions = [f"can_{step}" for step in STEPS]

    def _step(self, pk: int, step: str):
        case = db.session.get(RevocationCase, pk)
        if case is None:
            return self.response_404()
        roles = role_names(g.user)
        body = _body()
        try:
            ensure_version(RevocationCase, pk, body)  # a stale `version`: 409
            case = svc.take_step(
                pk,
                step,
                roles,
                note=body.get("note") or body.get("reason"),
                approved_on=_parse_date(body.get("approved_on")),
                document_no=body.get("document_no"),
            )
        except RuleViolation as exc:
            return refusal(exc)  # one body, one status per kind
        label = RevocationStatus(case.status).label
        return self._done(case, label, f"撤销案件 {case.id}：{label}")

    @expose("/<int:pk>/verify", methods=["POST"])
    @protect()
    def verify(self, pk):
        return self._step(pk, "verify")

    verify.__doc__ = _doc("核实撤销案件", "市质评办核实（M-26）", note="核实意见")

    @expose("/<int:pk>/review", methods=["POST"])
    @protect()
    def review(self, pk):
        return self._step(pk, "review")

    review.__doc__ = _doc("审议撤销案件", "委员会审议（M-26）", note="审议意见")

    @expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    def approve(self, pk):
        return self._step(pk, "approve")

    approve.__doc__ = _doc(
        "录入市政府批准撤销",
        "撤销奖项、登记追回牌匾证书奖金、公布、开始五年禁止申报（M-26、M-28）",
        approved_on="市政府批准日期 YYYY-MM-DD（必填）",
        document_no="市政府批准文号（必填）",
        note="备注",
    )

    @expose("/<int:pk>/dismiss", methods=["POST"])
    @protect()
    def dismiss(self, pk):
        return self._step(pk, "dismiss")

    dismiss.__doc__ = _doc("不予撤销", "作出不予撤销决定（M-26）", reason="不予撤销理由（必填）")


class FollowUpReportActionsApi(_ActionsApi):
    resource_name = "follow_up_report"
    class_permission_name = "FollowUpReportApi"
    openapi_spec_tag = "年度报告"
    base_permissions = ["can_accept", "can_send_back"]

    def _review(self, pk: int, use_case):
        report = db.session.get(FollowUpReport, pk)
        if report is None:
            return self.response_404()
        try:
            body = _body()
            ensure_version(FollowUpReport, pk, body)  # a stale `version`: 409
            report = use_case(pk, body.get("note"))
        except RuleViolation as exc:
            return refusal(exc)  # one body, one status per kind
        label = FollowUpStatus(report.status).label
        return self._done(report, label, f"{report}：{label}")

    @expose("/<int:pk>/accept", methods=["POST"])
    @protect()
    def accept(self, pk):
        return self._review(pk, svc.accept_report)

    accept.__doc__ = _doc("年度报告审核通过", "市质评办审核年度报告（M-27）", note="审核意见")

    @expose("/<int:pk>/send_back", methods=["POST"])  # the one pattern (issue 15)
    @expose("/<int:pk>/send-back", methods=["POST"])  # deprecated alias, kept (CONTRACT)
    @protect()
    def send_back(self, pk):
        return self._review(pk, svc.send_back_report)

    send_back.__doc__ = _doc("退回年度报告", "退回修改（M-27）", note="退回意见（必填）")


def register(appbuilder) -> None:
    appbuilder.add_api(RevocationCaseActionsApi)
    appbuilder.add_api(FollowUpReportActionsApi)
