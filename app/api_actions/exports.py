"""REST endpoint for the cycle's summary workbook (issue 7): the file, under the screen's rules."""

import io

from flask import g, send_file
from flask_appbuilder.api import BaseApi, expose, protect

from app.api_errors import refusal
from app.domain.errors import RuleViolation
from app.services import exports


class SummaryWorkbookApi(BaseApi):
    """Deprecated path `/api/v1/award_cycle_action/<pk>/summary.xlsx` (kept, CONTRACT); the
    same file is at `/api/v1/award_cycle/<pk>/summary.xlsx` (AwardCycleExportApi)."""

    resource_name = "award_cycle_action"
    allow_browser_login = False
    # Grants of roles.ACTIONS["AwardCycle"] (FAB_ROLES ^AwardCycle(View|Api)$) apply here.
    class_permission_name = "AwardCycleApi"
    openapi_spec_tag = "评定年度"

    @expose("/<int:pk>/summary.xlsx", methods=["GET"])
    @protect()
    def summary_xlsx(self, pk):
        """The summary workbook of a cycle for the city government.
        ---
        get:
          summary: 导出评定年度汇总工作簿（Excel）
          description: >-
            市质评办、系统管理员和评定委员会可导出；评审员以代码显示（市质评办和管理员可见姓名）。
            每次导出记入审计日志（M-25）。
          parameters:
          - in: path
            name: pk
            required: true
            schema:
              type: integer
          responses:
            200:
              description: 汇总工作簿
              content:
                application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                  schema:
                    type: string
                    format: binary
            401:
              $ref: '#/components/responses/401'
            403:
              description: 无权导出（M-25）
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """
        buffer = io.BytesIO()
        try:
            plan = exports.plan_summary(pk, g.user)
            exports.write_summary(plan, buffer)
        except RuleViolation as exc:  # forbidden 403, not found 404, refused 422
            return refusal(exc)
        buffer.seek(0)
        return send_file(
            buffer,
            mimetype=exports.XLSX_MIMETYPE,
            as_attachment=True,
            download_name=plan.filename,
        )


class AwardCycleExportApi(SummaryWorkbookApi):
    """`/api/v1/award_cycle/<pk>/summary.xlsx`: the one pattern."""

    resource_name = "award_cycle"


def register(appbuilder) -> None:
    appbuilder.add_api(SummaryWorkbookApi)
    appbuilder.add_api(AwardCycleExportApi)
