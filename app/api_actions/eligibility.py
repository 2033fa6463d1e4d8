"""REST endpoints of the eligibility review (M-19.1), with the screen's permissions and row scope."""

from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect

from app.domain.enums import ApplicationStatus
from app.extensions import db
from app.security.scopes import scope
from app.services import eligibility as elig
from app.services import eligibility_confirmation as confirmation
from app.services import eligibility_outcomes as outcomes
from app.services.eligibility_facts import has_signed_recommendation
from models import Application, AwardCycle

from .base import ActionApi, action_doc, string


def _checklist_body(app: Application) -> dict:
    reviews = elig.history(app.id)
    return {
        "application_id": app.id,
        "number": app.number,
        "status": app.status,
        "status_label": ApplicationStatus(app.status).label,
        "supplement_deadline": (
            app.supplement_deadline.isoformat() if app.supplement_deadline else None
        ),
        "signed_recommendation": has_signed_recommendation(app),
        "latest": elig.review_json(elig.latest(reviews)),
        "latest_outcome": elig.review_json(elig.latest(reviews, decided=True)),
        "history": [elig.review_json(r) for r in reviews],
    }


class EligibilityApi(ActionApi):
    """Run the review, read the latest checklist, record judgements, outcomes and supplements.

    Deprecated paths `/api/v1/application_action/<pk>/...`, kept working (CONTRACT); the same
    endpoints are under the one pattern in `ApplicationEligibilityApi` below."""

    resource_name = "application_action"
    class_permission_name = "ApplicationApi"
    openapi_spec_tag = "资格审查"
    model = Application

    def _visible(self, pk: int) -> Application | None:
        """The screen's row scope: a reviewer reaches only their groups' applications."""
        return scope(
            Application, db.session.query(Application).filter(Application.id == pk)
        ).first()

    def _run(self, pk: int, call):
        if self._visible(pk) is None:
            return self.response_404()
        return self.act(
            pk,
            call,
            lambda _r: self.response(200, **_checklist_body(db.session.get(Application, pk))),
        )

    @expose("/<int:pk>/eligibility", methods=["POST"])
    @protect()
    def eligibility(self, pk: int):
        """Run the eligibility review of one application and store its checklist.
        ---
        post:
          summary: 资格审查：按截止日计算并保存审查清单（M-19.1）
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
            required: true
          responses:
            200: {description: 最新审查清单}
            404: {description: 无此申报或无权查看}
            422: {description: 违反规则，message 与 rule 说明原因}
        """
        return self._run(pk, lambda data: elig.run_review(pk))

    @expose("/<int:pk>/eligibility", methods=["GET"])
    @protect()
    def checklist(self, pk: int):
        """The latest checklist, the latest outcome and the history of reviews.
        ---
        get:
          summary: 查看资格审查清单（M-19.1）
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
            required: true
          responses:
            200: {description: 审查清单}
            404: {description: 无此申报或无权查看}
        """
        app = self._visible(pk)
        if app is None:
            return self.response_404()
        return self.response(200, **_checklist_body(app))

    @expose("/<int:pk>/eligibility/judgement", methods=["POST"])
    @protect()
    def eligibility_judgement(self, pk: int):
        """The Office's judgement of a condition that needs one.
        ---
        post:
          summary: 人工判定资格条件（rule、status、note）
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
            required: true
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    rule: {type: string}
                    status: {type: string, enum: [pass, fail, judgement]}
                    note: {type: string}
          responses:
            200: {description: 重新生成的审查清单}
            404: {description: 无此申报或无权查看}
            422: {description: 违反规则}
        """
        return self._run(
            pk,
            lambda d: elig.record_judgement(
                pk, str(d.get("rule", "")), str(d.get("status", "")), str(d.get("note", ""))
            ),
        )

    @expose("/<int:pk>/eligibility/outcome", methods=["POST"])
    @protect()
    def eligibility_outcome(self, pk: int):
        """Record the outcome of the eligibility review.
        ---
        post:
          summary: 记录资格审查结论（合格、退回补正、不符合条件、弄虚作假）
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
            required: true
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    outcome:
                      type: string
                      enum: [eligible, returned_incomplete, returned_ineligible, returned_falsified]
                    reasons: {type: string}
                    missing_items: {type: string}
                    supplement_deadline: {type: string, format: date}
                    version: {type: integer}
          responses:
            200: {description: 审查清单与结论}
            404: {description: 无此申报或无权查看}
            422: {description: 违反规则}
        """
        return self._run(
            pk,
            lambda d: outcomes.record_outcome(
                pk,
                str(d.get("outcome", "")),
                reasons=d.get("reasons"),
                missing_items=d.get("missing_items"),
                supplement_deadline=d.get("supplement_deadline"),
                expected_version=d.get("version"),
            ),
        )

    @expose("/<int:pk>/eligibility/supplement", methods=["POST"])
    @protect()
    def eligibility_supplement(self, pk: int):
        """The applicant supplemented before the deadline: back to submitted.
        ---
        post:
          summary: 补正后重新提交（须在补正期限内，M-19.1）
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
            required: true
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    note: {type: string}
          responses:
            200: {description: 审查清单与状态}
            404: {description: 无此申报或无权查看}
            422: {description: 违反规则}
        """
        return self._run(pk, lambda d: outcomes.record_supplement(pk, d.get("note")))


class CycleEligibilityApi(ActionApi):
    """The Committee's confirmation of a cycle's eligible list (M-19.1). Deprecated path
    `/api/v1/award_cycle_action/<pk>/confirm_eligible`; now `/api/v1/award_cycle/<pk>/...`."""

    resource_name = "award_cycle_action"
    class_permission_name = "AwardCycleApi"
    openapi_spec_tag = "资格审查"
    model = AwardCycle

    @expose("/<int:pk>/confirm_eligible", methods=["POST"])
    @protect()
    def confirm_eligible(self, pk: int):
        """Confirm the eligible list of a cycle.
        ---
        post:
          summary: 委员会确认资格审查合格名单（M-19.1）
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
            required: true
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    note: {type: string}
          responses:
            200: {description: 确认人、时间和意见}
            404: {description: 无此评定年度}
            422: {description: 尚有申报未作结论等}
        """
        return confirm_eligible_response(self, pk)


def confirm_eligible_response(api: ActionApi, pk: int):
    if db.session.get(AwardCycle, pk) is None:
        return api.response_404()
    return api.act(
        pk,
        lambda data: confirmation.confirm_eligible(pk, data.get("note")),
        lambda cycle: api.response(
            200,
            cycle_id=cycle.id,
            eligibility_confirmed_at=cycle.eligibility_confirmed_at.isoformat(),
            eligibility_confirmed_by=cycle.eligibility_confirmed_by,
            eligibility_confirmation_note=cycle.eligibility_confirmation_note,
        ),
    )


_BODIES = {
    "judgement": {
        "rule": string("清单条目的规则编号（如 M-9.2）"),
        "status": string("判定结果", enum=["pass", "fail", "judgement"]),
        "note": string("判定依据"),
    },
    "outcome": {
        "outcome": string(
            "结论",
            enum=["eligible", "returned_incomplete", "returned_ineligible", "returned_falsified"],
        ),
        "reasons": string("理由"),
        "missing_items": string("须补正的材料（退回补正时）"),
        "supplement_deadline": string("补正期限 YYYY-MM-DD", format="date"),
    },
    "supplement": {"note": string("补正说明")},
}


class ApplicationEligibilityApi(EligibilityApi):
    """The eligibility review under the one pattern, `/api/v1/application/<pk>/<action>`."""

    resource_name = "application"

    @expose("/<int:pk>/eligibility", methods=["POST"])
    @protect()
    def eligibility(self, pk: int):
        return super().eligibility.__wrapped__(self, pk)

    eligibility.__doc__ = action_doc(
        "资格审查：按截止日计算并保存审查清单（M-19.1）", ok="最新审查清单"
    )

    @expose("/<int:pk>/eligibility", methods=["GET"])
    @protect()
    def checklist(self, pk: int):
        return super().checklist.__wrapped__(self, pk)

    checklist.__doc__ = EligibilityApi.checklist.__doc__

    @expose("/<int:pk>/eligibility_judgement", methods=["POST"])
    @protect()
    def eligibility_judgement(self, pk: int):
        return super().eligibility_judgement.__wrapped__(self, pk)

    eligibility_judgement.__doc__ = action_doc(
        "人工判定资格条件（M-19.1）",
        properties=_BODIES["judgement"],
        required=("rule", "status"),
        ok="重新生成的审查清单",
    )

    @expose("/<int:pk>/eligibility_outcome", methods=["POST"])
    @protect()
    def eligibility_outcome(self, pk: int):
        return super().eligibility_outcome.__wrapped__(self, pk)

    eligibility_outcome.__doc__ = action_doc(
        "记录资格审查结论（合格、退回补正、不符合条件、弄虚作假，M-19.1）",
        properties=_BODIES["outcome"],
        required=("outcome",),
        ok="审查清单与结论",
    )

    @expose("/<int:pk>/eligibility_supplement", methods=["POST"])
    @protect()
    def eligibility_supplement(self, pk: int):
        return super().eligibility_supplement.__wrapped__(self, pk)

    eligibility_supplement.__doc__ = action_doc(
        "补正后重新提交（须在补正期限内，M-19.1）",
        properties=_BODIES["supplement"],
        ok="审查清单与状态",
    )


class AwardCycleEligibilityApi(CycleEligibilityApi):
    """`/api/v1/award_cycle/<pk>/confirm_eligible`: the one pattern."""

    resource_name = "award_cycle"
    openapi_spec_tag = "评定年度"

    @expose("/<int:pk>/confirm_eligible", methods=["POST"])
    @protect()
    def confirm_eligible(self, pk: int):
        return confirm_eligible_response(self, pk)

    confirm_eligible.__doc__ = action_doc(
        "委员会确认资格审查合格名单（M-19.1）",
        properties={"note": string("确认意见")},
        ok="确认人、时间和意见",
    )


def register(appbuilder) -> None:
    appbuilder.add_api(EligibilityApi)
    appbuilder.add_api(ApplicationEligibilityApi)
    appbuilder.add_api(CycleEligibilityApi)
    appbuilder.add_api(AwardCycleEligibilityApi)
