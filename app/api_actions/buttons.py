"""The remaining screen buttons as endpoints under the one pattern (issue 15): the cycle's
`shortlist` (M-19.2), `propose_groups` (M-10, M-19) and `close_groups` (M-19.2), and the
recovery's `mark_recovered` (M-26). Each calls the same service function as its button and
needs the same permission (`can_<action>`, app/security/roles.py)."""

from datetime import date

from flask import g
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect

from app.domain.enums import ReviewStage
from app.domain.errors import InvalidInput, RuleViolation
from app.extensions import db
from app.security.scopes import reviewer_id_of
from app.services import aftercare, review_proposal, scoring, scoring_close
from app.services import shortlist as shortlist_svc
from models import AwardCycle, FollowUpReport, Recovery

from .base import ActionApi, action_doc, string


def _ids(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _plan_body(plan) -> dict:
    return {
        "cycle_id": plan.cycle.id,
        "stage": plan.stage.value,
        "group_size": plan.group_size,
        "max_apps": plan.max_apps,
        "fingerprint": plan.fingerprint,
        "groups": [
            {
                "members": g_.member_keys,
                "leader": g_.leader_key,
                "applications": g_.application_keys,
            }
            for g_ in plan.proposal.groups
        ],
        "unassigned": [list(x) for x in plan.proposal.unassigned],
        "excluded": [list(x) for x in plan.proposal.excluded],
    }


class AwardCycleButtonsApi(ActionApi):
    resource_name = "award_cycle"
    class_permission_name = "AwardCycleApi"
    openapi_spec_tag = "评定年度"
    model = AwardCycle

    @expose("/<int:pk>/shortlist", methods=["POST"])
    @protect()
    def shortlist(self, pk: int):
        if db.session.get(AwardCycle, pk) is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: [
                (a.id, a.number, a.applicant_name)
                for a in shortlist_svc.choose(
                    pk, _ids(data.get("application_ids")), data.get("note")
                )
            ],
            lambda chosen: self.response(
                200,
                cycle_id=pk,
                shortlisted=[
                    {"application_id": i, "number": n, "applicant": name} for i, n, name in chosen
                ],
                message=f"现场评审名单已确定：{len(chosen)} 份申报入围",
            ),
            lambda chosen: {"shortlisted": [{"application_id": i} for i, _n, _a in chosen]},
        )

    shortlist.__doc__ = action_doc(
        "确定现场评审名单（M-19.2）",
        description="材料评审结束后，按材料评审得分择优确定入围现场评审的申报；"
        "未选中的申报为未入围。",
        properties={
            "application_ids": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "入围现场评审的申报编号",
            },
            "note": string("说明（记入审计日志）"),
        },
        required=("application_ids",),
        ok="入围的申报",
    )

    @expose("/<int:pk>/propose_groups", methods=["POST"])
    @protect()
    def propose_groups(self, pk: int):
        cycle = db.session.get(AwardCycle, pk)
        if cycle is None:
            return self.response_404()

        def change(data):
            try:
                stage = (
                    ReviewStage(data["stage"])
                    if data.get("stage")
                    else review_proposal.default_stage(cycle)
                )
                size = int(data.get("group_size") or 3)
                cap = int(data["max_apps"]) if data.get("max_apps") not in (None, "") else None
            except (TypeError, ValueError):
                raise InvalidInput(
                    "评审阶段、每组人数和每组申报数须为有效值",
                    fields={"stage": "material 或 onsite", "group_size": "整数"},
                ) from None
            if data.get("accept"):
                groups = review_proposal.accept(
                    cycle, stage, size, cap, str(data.get("fingerprint") or ""), g.user.username
                )
                return {
                    "cycle_id": pk,
                    "accepted": True,
                    "groups": [{"id": x.id, "name": x.name} for x in groups],
                    "message": f"已按方案组建 {len(groups)} 个{stage.label}评审组",
                }
            return {
                "accepted": False,
                **_plan_body(review_proposal.propose(cycle, stage, size, cap)),
            }

        return self.act(pk, change, lambda out: self.response(200, **out), lambda out: out)

    propose_groups.__doc__ = action_doc(
        "自动组建评审组：先取得方案，再凭方案指纹接受（M-10、M-19）",
        description="不带 accept 时只返回方案（评审组、成员、组长、申报）及其指纹 fingerprint，"
        "不作修改；带 accept=true 和该指纹时按方案组建评审组并生成空白评分表，"
        "方案生成后评审员、利害关系或申报有变化时拒绝。",
        properties={
            "stage": string("评审阶段", enum=[s.value for s in ReviewStage]),
            "group_size": {"type": "integer", "description": "每组人数（默认 3）"},
            "max_apps": {"type": "integer", "description": "每组最多申报数（可不填）"},
            "accept": {"type": "boolean", "description": "接受方案并组建评审组"},
            "fingerprint": string("接受时必填：取得方案时返回的 fingerprint"),
        },
        ok="方案，或已组建的评审组",
    )

    @expose("/<int:pk>/close_groups", methods=["POST"])
    @protect()
    def close_groups(self, pk: int):
        if db.session.get(AwardCycle, pk) is None:
            return self.response_404()
        actor = scoring.Actor(g.user.username, reviewer_id_of(g.user))
        return self.act(
            pk,
            lambda data: scoring_close.close_groups(pk, actor),
            lambda result: self.response(200, cycle_id=pk, closed=result[0], refused=result[1]),
            lambda result: {"closed": result[0], "refused": result[1]},
        )

    close_groups.__doc__ = action_doc(
        "结束本届当前评审阶段中全体成员已提交的评审组，并计算阶段得分（M-19.2）",
        description="closed 为已结束的评审组，refused 为未能结束的评审组及其原因（仍在评审中）。",
        ok="已结束和未能结束的评审组",
    )


class RecoveryActionsApi(ActionApi):
    resource_name = "recovery"
    class_permission_name = "RecoveryApi"
    openapi_spec_tag = "追回"
    model = Recovery

    @expose("/<int:pk>/mark_recovered", methods=["POST"])
    @protect()
    def mark_recovered(self, pk: int):
        if db.session.get(Recovery, pk) is None:
            return self.response_404()

        def change(_data):
            if not aftercare.mark_recovered([pk], date.today()):
                raise RuleViolation("该事项已追回，无需重复标记（M-26）", rule="M-26")
            return pk

        def answer(_pk):
            row = db.session.get(Recovery, pk)
            return self.response(
                200,
                id=row.id,
                recovered=row.recovered,
                recovered_on=row.recovered_on.isoformat(),
                message="已标记追回",
            )

        return self.act(pk, change, answer, check_version=False)

    mark_recovered.__doc__ = action_doc(
        "标记为今日追回（撤销奖项后收回牌匾、证书，追回奖金，M-26）",
        ok="追回事项的新状态",
        version=False,
    )


class FollowUpReportGenerateApi(ActionApi):
    """The overdue page's button: the annual reports that have come due (M-27)."""

    resource_name = "follow_up_report"
    class_permission_name = "FollowUpReportApi"
    openapi_spec_tag = "年度报告"
    model = FollowUpReport

    @expose("/generate", methods=["POST"])
    @protect()
    def generate(self):
        return self.act(
            None,
            lambda _data: [r.id for r in aftercare.create_due_reports(date.today())],
            lambda ids: self.response(
                200, created=ids, message=f"已生成到期年度报告 {len(ids)} 份（M-27）"
            ),
            lambda ids: {"created": ids},
            check_version=False,
        )

    generate.__doc__ = """生成到期的年度报告（M-27）
---
post:
  summary: 生成到期的年度报告（M-27）
  requestBody:
    required: false
    content:
      application/json:
        schema:
          type: object
          properties: {}
  responses:
    200:
      description: 新生成的年度报告编号
      content:
        application/json:
          schema:
            type: object
"""


def register(appbuilder) -> None:
    appbuilder.add_api(AwardCycleButtonsApi)
    appbuilder.add_api(RecoveryActionsApi)
    appbuilder.add_api(FollowUpReportGenerateApi)
