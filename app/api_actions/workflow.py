"""REST endpoints of the evaluation workflow (M-17 to M-19.8) with the screens' permissions:
advance a cycle, rank it, read the ranking, create the awards; disqualify and reinstate
applications; publish the notice and resolve an objection."""

from flask import request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect

from app.domain.enums import Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.scoring import round_display
from app.extensions import db
from app.security.scopes import scope
from app.services import announcement, prizes, workflow
from app.services import disqualification as disq
from app.services import ranking as ranking_svc
from models import Application, AwardCycle, Objection, PublicNotice


def _json() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


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


class _Refusing(BaseApi):
    allow_browser_login = False

    def _call(self, fn):
        try:
            return fn()
        except RuleViolation as exc:
            db.session.rollback()
            return self.response(422, message=str(exc), rule=exc.rule)


class AwardCycleWorkflowApi(_Refusing):
    resource_name = "award_cycle"
    class_permission_name = "AwardCycleApi"
    openapi_spec_tag = "评定年度"

    def _cycle(self, pk):
        return db.session.get(AwardCycle, pk)

    @expose("/<int:pk>/advance", methods=["POST"])
    @protect()
    def advance(self, pk: int):
        """Move the cycle to its next stage (M-17).
        ---
        post:
          summary: 推进到下一阶段；可传 from_stage（您看到的当前阶段）防止重复推进（M-17）
        """
        if self._cycle(pk) is None:
            return self.response_404()
        data = _json()

        def run():
            move = workflow.advance_stage(
                pk,
                expected=data.get("from_stage"),
                target=data.get("to_stage"),
                note=data.get("note"),
            )
            return self.response(
                200,
                from_stage=move.from_stage,
                stage=move.to_stage,
                label=Stage(move.to_stage).label,
            )

        return self._call(run)

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
        return self._call(
            lambda: self.response(200, **_ranking_body(ranking_svc.cycle_ranking(cycle)))
        )

    @expose("/<int:pk>/rank", methods=["POST"])
    @protect()
    def rank(self, pk: int):
        """Store the proposal: the top of each ranking within the quotas (M-19.5).
        ---
        post:
          summary: 保存综合评价排名，提出拟表彰名单（M-19.5、M-4）
        """
        if self._cycle(pk) is None:
            return self.response_404()
        note = _json().get("note")
        return self._call(
            lambda: self.response(200, **_ranking_body(ranking_svc.store_ranking(pk, note)))
        )

    @expose("/<int:pk>/awards", methods=["POST"])
    @protect()
    def create_awards(self, pk: int):
        """Create the awards with certificate numbers after the city's approval (M-19.8).
        ---
        post:
          summary: 按批准名单颁发奖项，生成证书编号（M-19.8、M-20）
        """
        if self._cycle(pk) is None:
            return self.response_404()
        data = _json()

        def run():
            from datetime import date

            try:
                on = date.fromisoformat(data["awarded_on"]) if data.get("awarded_on") else None
            except (TypeError, ValueError):
                raise InvalidInput("awarded_on 应为 YYYY-MM-DD 格式的日期") from None
            awards = prizes.create_awards(pk, on)
            return self.response(
                200,
                awards=[
                    {
                        "id": a.id,
                        "application_id": a.application_id,
                        "prize": a.prize,
                        "certificate_no": a.certificate_no,
                        "amount": str(a.amount),
                    }
                    for a in awards
                ],
            )

        return self._call(run)

    @expose("/<int:pk>/amend", methods=["POST"])
    @protect()
    def amend(self, pk: int):
        """Amend a frozen setting by the Committee's decision (M-3, M-17).
        ---
        post:
          summary: 凭评定委员会决定变更已冻结的设置（如延长申报截止日期），记录原值、新值和理由（M-17、M-3）
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [field, value, reason, decision_ref]
                  properties:
                    field:
                      type: string
                      enum: [deadline, supplement_days, material_review_on, onsite_review_on,
                        arrangements, award_quota, nomination_quota]
                    value: {type: string, description: 日期写作 2027-03-31；名额、天数写整数}
                    reason: {type: string}
                    decision_ref: {type: string, description: 评定委员会决定的文号或会议纪要编号}
        """
        if self._cycle(pk) is None:
            return self.response_404()
        data = _json()

        def run():
            from app.services import cycle_settings

            texts = {}
            for key in ("field", "value", "reason", "decision_ref"):
                value = data.get(key)
                if value is not None and not isinstance(value, str | int):
                    raise InvalidInput(f"{key} 应为文字")
                texts[key] = "" if value is None else str(value)
            row = cycle_settings.amend_cycle(
                pk, texts["field"], texts["value"], texts["reason"], texts["decision_ref"]
            )
            return self.response(
                200,
                id=row.id,
                cycle_id=row.cycle_id,
                field=row.field,
                old_value=row.old_value,
                new_value=row.new_value,
                reason=row.reason,
                decision_ref=row.decision_ref,
                amended_by=row.amended_by,
                amended_at=row.amended_at.isoformat(),
            )

        return self._call(run)


class ApplicationWorkflowApi(_Refusing):
    resource_name = "application"
    class_permission_name = "ApplicationApi"
    openapi_spec_tag = "申报"

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
        """Disqualify an application with a ground and evidence (M-3, M-19.1).
        ---
        post:
          summary: 取消资格：ground 取 falsification、major_accident、failed_sampling、penalty、banned、withdrawal 之一，evidence 必填
        """
        if self._visible(pk) is None:
            return self.response_404()
        data = _json()

        def run():
            disq.disqualify([pk], str(data.get("ground", "")), data.get("evidence"))
            return self._standing(pk)

        return self._call(run)

    @expose("/<int:pk>/reinstate", methods=["POST"])
    @protect()
    def reinstate(self, pk: int):
        """Reinstate a disqualified application with a reason (M-3).
        ---
        post:
          summary: 恢复资格，reason 必填
        """
        if self._visible(pk) is None:
            return self.response_404()
        reason = _json().get("reason")

        def run():
            disq.reinstate([pk], reason)
            return self._standing(pk)

        return self._call(run)


class PublicNoticeWorkflowApi(_Refusing):
    resource_name = "public_notice"
    class_permission_name = "PublicNoticeApi"
    openapi_spec_tag = "公示"

    @expose("/<int:pk>/publish", methods=["POST"])
    @protect()
    def publish(self, pk: int):
        """Publish the notice of the proposed winners (M-19.6, M-8.5).
        ---
        post:
          summary: 发布公示
        """
        if db.session.get(PublicNotice, pk) is None:
            return self.response_404()

        def run():
            notice = announcement.publish_notice(pk)
            return self.response(200, id=notice.id, published_at=notice.published_at.isoformat())

        return self._call(run)


class ObjectionWorkflowApi(_Refusing):
    resource_name = "objection"
    class_permission_name = "ObjectionApi"
    openapi_spec_tag = "异议"

    @expose("/<int:pk>/resolve", methods=["POST"])
    @protect()
    def resolve(self, pk: int):
        """Resolve a named objection with a note (M-19.6).
        ---
        post:
          summary: 处理实名异议，resolution 为处理结果（未在记录中填写时必填）
        """
        if db.session.get(Objection, pk) is None:
            return self.response_404()
        resolution = _json().get("resolution")

        def run():
            obj = announcement.resolve_objection(pk, resolution)
            return self.response(200, id=obj.id, status=obj.status, resolution=obj.resolution)

        return self._call(run)


def register(appbuilder) -> None:
    for api in (
        AwardCycleWorkflowApi,
        ApplicationWorkflowApi,
        PublicNoticeWorkflowApi,
        ObjectionWorkflowApi,
    ):
        appbuilder.add_api(api)
