"""REST endpoints of the evaluation workflow (M-17 to M-19.8) with the screens' permissions:
advance a cycle, rank it, read the ranking, create the awards; disqualify and reinstate
applications; publish the notice and resolve an objection."""

from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect

from app.domain.cycle_settings import AMENDABLE
from app.domain.enums import Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.scoring import round_display
from app.extensions import db
from app.security.scopes import scope
from app.services import announcement, prizes, workflow
from app.services import disqualification as disq
from app.services import ranking as ranking_svc
from models import Application, AwardCycle, Objection, PublicNotice

from .base import ActionApi, action_doc, string


def _num(x):
    return None if x is None else str(x)


def _ranking_body(result) -> dict:
    prizes_out = {}
    for prize, ranking in result.rankings.items():
        lines = []
        for line in ranking.lines:
            c = line.candidate
            info = result.info[c.application_id]
            lines.append(
                {
                    "application_id": c.application_id,
                    "number": info.number,
                    "applicant": c.applicant_name,
                    "rank": line.rank,
                    "onsite": _num(c.onsite),
                    "onsite_display": _num(round_display(c.onsite)),
                    "results_category": _num(c.results_category),
                    "material": _num(c.material),
                    "satisfaction": _num(c.satisfaction),
                    "proposed": line.proposed,
                    "below_minimum": line.below_minimum,
                    "tied_with": list(line.tied_with),
                    "tie_note": line.tie_note,
                    "tie_break": line.tie_break,
                    "status": info.status.value,
                }
            )
        prizes_out[prize.value] = {
            "label": prize.label,
            "quota": ranking.quota,
            "vacancies": ranking.vacancies,
            "unresolved_tie": ranking.unresolved_tie,
            "lines": lines,
            "not_ranked": [
                {
                    "application_id": c.application_id,
                    "applicant": c.applicant_name,
                    "reason": reason,
                    "ground": disq.ground_label(result.info[c.application_id].ground) or None,
                }
                for c, reason in ranking.not_ranked
            ],
        }
    cycle = result.cycle
    return {"cycle_id": cycle.id, "year": cycle.year, "stage": cycle.stage, "prizes": prizes_out}


def _awards_body(awards) -> dict:
    return {
        "awards": [
            {
                "id": a.id,
                "application_id": a.application_id,
                "prize": a.prize,
                "certificate_no": a.certificate_no,
                "amount": str(a.amount),
            }
            for a in awards
        ]
    }


def _awarded_on(data):
    from datetime import date

    try:
        return date.fromisoformat(data["awarded_on"]) if data.get("awarded_on") else None
    except (TypeError, ValueError):
        raise InvalidInput(
            "awarded_on 应为 YYYY-MM-DD 格式的日期", fields={"awarded_on": "应为 YYYY-MM-DD"}
        ) from None


class AwardCycleWorkflowApi(ActionApi):
    resource_name = "award_cycle"
    class_permission_name = "AwardCycleApi"
    openapi_spec_tag = "评定年度"
    model = AwardCycle

    def _cycle(self, pk):
        return db.session.get(AwardCycle, pk)

    @expose("/<int:pk>/advance", methods=["POST"])
    @protect()
    def advance(self, pk: int):
        if self._cycle(pk) is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: workflow.advance_stage(
                pk,
                expected=data.get("from_stage"),
                target=data.get("to_stage"),
                note=data.get("note"),
            ),
            lambda move: self.response(
                200,
                from_stage=move.from_stage,
                stage=move.to_stage,
                label=Stage(move.to_stage).label,
            ),
        )

    advance.__doc__ = action_doc(
        "推进到下一阶段；可传 from_stage（您看到的当前阶段）防止重复推进（M-17）",
        properties={
            "from_stage": string("您看到的当前阶段（取值见 Stage）；已被他人推进时拒绝"),
            "to_stage": string("目标阶段（默认下一阶段）"),
            "note": string("备注"),
        },
        ok="新的阶段",
    )

    @expose("/<int:pk>/ranking", methods=["GET"])
    @protect()
    def ranking(self, pk: int):
        """The comprehensive-evaluation ranking per prize (M-19.5, M-4).
        ---
        get:
          summary: 综合评价排名（按奖项，含并列说明、拟表彰与空缺）
        """
        cycle = self._cycle(pk)
        if cycle is None:
            return self.response_404()
        try:
            return self.response(200, **_ranking_body(ranking_svc.cycle_ranking(cycle)))
        except RuleViolation as exc:
            return self.refuse(exc, pk)

    @expose("/<int:pk>/rank", methods=["POST"])
    @protect()
    def rank(self, pk: int):
        if self._cycle(pk) is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: _ranking_body(ranking_svc.store_ranking(pk, data.get("note"))),
            lambda body: self.response(200, **body),
        )

    rank.__doc__ = action_doc(
        "保存综合评价排名，提出拟表彰名单（M-19.5、M-4）",
        properties={"note": string("说明")},
        ok="排名与拟表彰名单",
    )

    @expose("/<int:pk>/decide_tie", methods=["POST"])
    @protect()
    def decide_tie(self, pk: int):
        if self._cycle(pk) is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: [
                (a.id, a.applicant_name)
                for a in ranking_svc.decide_tie(
                    pk, _id_list(data.get("application_ids")), data.get("reason")
                )
            ],
            lambda chosen: self.response(
                200,
                cycle_id=pk,
                proposed=[{"application_id": i, "applicant": n} for i, n in chosen],
                message="已记录委员会决定：" + "、".join(n for _i, n in chosen),
            ),
            lambda chosen: {"proposed": [{"application_id": i} for i, _n in chosen]},
        )

    decide_tie.__doc__ = action_doc(
        "记录委员会对并列名次的决定（M-19.5）",
        description="并列跨越名额线时，由委员会决定拟表彰者；application_ids 为并列中入选的申报，"
        "reason 为委员会决定（会议、文号等），记入审计日志。",
        properties={
            "application_ids": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "委员会决定拟表彰的申报编号（须在并列之中）",
            },
            "reason": string("委员会决定的依据（必填）"),
        },
        required=("application_ids", "reason"),
        ok="拟表彰的申报",
    )

    @expose("/<int:pk>/awards", methods=["POST"])
    @protect()
    def create_awards(self, pk: int):
        if self._cycle(pk) is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: _awards_body(prizes.create_awards(pk, _awarded_on(data))),
            lambda body: self.response(200, **body),
        )

    create_awards.__doc__ = action_doc(
        "按批准名单颁发奖项，生成证书编号（M-19.8、M-20）",
        properties={"awarded_on": string("颁奖日期 YYYY-MM-DD（默认今天）", format="date")},
        ok="颁发的奖项",
    )

    @expose("/<int:pk>/amend", methods=["POST"])
    @protect()
    def amend(self, pk: int):
        if self._cycle(pk) is None:
            return self.response_404()

        def change(data):
            from app.services import cycle_settings

            texts = {}
            for key in ("field", "value", "reason", "decision_ref"):
                value = data.get(key)
                if value is not None and not isinstance(value, str | int):
                    raise InvalidInput(f"{key} 应为文字", fields={key: "应为文字"})
                texts[key] = "" if value is None else str(value)
            row = cycle_settings.amend_cycle(
                pk, texts["field"], texts["value"], texts["reason"], texts["decision_ref"]
            )
            return {
                "id": row.id,
                "cycle_id": row.cycle_id,
                "field": row.field,
                "old_value": row.old_value,
                "new_value": row.new_value,
                "reason": row.reason,
                "decision_ref": row.decision_ref,
                "amended_by": row.amended_by,
                "amended_at": row.amended_at.isoformat(),
            }

        return self.act(pk, change, lambda out: self.response(200, **out), lambda out: out)

    amend.__doc__ = action_doc(
        "凭评定委员会决定变更已冻结的设置（如延长申报截止日期），记录原值、新值和理由（M-17、M-3）",
        properties={
            "field": {"type": "string", "enum": list(AMENDABLE)},
            "value": string("新值：日期写作 2027-03-31；名额、天数写整数"),
            "reason": string("变更理由"),
            "decision_ref": string("评定委员会决定的文号或会议纪要编号"),
        },
        required=("field", "value", "reason", "decision_ref"),
        ok="变更记录",
    )


def _id_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


class ApplicationWorkflowApi(ActionApi):
    resource_name = "application"
    class_permission_name = "ApplicationApi"
    openapi_spec_tag = "申报"
    model = Application

    def _visible(self, pk) -> Application | None:
        return scope(
            Application, db.session.query(Application).filter(Application.id == pk)
        ).first()

    def _standing(self, pk):
        app = db.session.get(Application, pk)
        return self.response(200, id=app.id, number=app.number, status=app.status)

    @expose("/<int:pk>/disqualify", methods=["POST"])
    @protect()
    def disqualify(self, pk: int):
        if self._visible(pk) is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: disq.disqualify([pk], str(data.get("ground", "")), data.get("evidence")),
            lambda _r: self._standing(pk),
        )

    disqualify.__doc__ = action_doc(
        "取消资格（M-3、M-19.1）",
        properties={
            "ground": string(
                "取消理由",
                enum=[
                    "falsification",
                    "major_accident",
                    "failed_sampling",
                    "penalty",
                    "banned",
                    "withdrawal",
                ],
            ),
            "evidence": string("依据与证据（必填）"),
        },
        required=("ground", "evidence"),
        ok="申报的新状态",
    )

    @expose("/<int:pk>/reinstate", methods=["POST"])
    @protect()
    def reinstate(self, pk: int):
        if self._visible(pk) is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: disq.reinstate([pk], data.get("reason")),
            lambda _r: self._standing(pk),
        )

    reinstate.__doc__ = action_doc(
        "恢复资格（M-3）",
        properties={"reason": string("恢复理由（必填）")},
        required=("reason",),
        ok="申报的新状态",
    )


class PublicNoticeWorkflowApi(ActionApi):
    resource_name = "public_notice"
    class_permission_name = "PublicNoticeApi"
    openapi_spec_tag = "公示"
    model = PublicNotice

    @expose("/<int:pk>/publish", methods=["POST"])
    @protect()
    def publish(self, pk: int):
        if db.session.get(PublicNotice, pk) is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: announcement.publish_notice(pk),
            lambda notice: self.response(
                200, id=notice.id, published_at=notice.published_at.isoformat()
            ),
        )

    publish.__doc__ = action_doc("发布公示（M-19.6、M-8.5）", ok="发布时间")


class ObjectionWorkflowApi(ActionApi):
    resource_name = "objection"
    class_permission_name = "ObjectionApi"
    openapi_spec_tag = "异议"
    model = Objection

    @expose("/<int:pk>/resolve", methods=["POST"])
    @protect()
    def resolve(self, pk: int):
        if db.session.get(Objection, pk) is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: announcement.resolve_objection(pk, data.get("resolution")),
            lambda obj: self.response(200, id=obj.id, status=obj.status, resolution=obj.resolution),
        )

    resolve.__doc__ = action_doc(
        "处理实名异议（M-19.6）",
        properties={"resolution": string("调查核实情况和处理结果（未在记录中填写时必填）")},
        ok="异议的新状态",
    )


def register(appbuilder) -> None:
    for api in (
        AwardCycleWorkflowApi,
        ApplicationWorkflowApi,
        PublicNoticeWorkflowApi,
        ObjectionWorkflowApi,
    ):
        appbuilder.add_api(api)
