"""The recommendation online and the paper copies as endpoints (M-18), as their screen pages:
`POST /api/v1/recommendation/<pk>/sign` and `/decline` (the chosen recommending body, its own
rows only: another body's is a 404), `POST /api/v1/application/<pk>/paper_copies` (Office)."""

from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect

from app.services import recommendation_online as online
from app.services.records import acting_recommender_id
from models import Application, Recommendation

from .base import ActionApi, action_doc, string


def _rec_body(rec: Recommendation) -> dict:
    return {
        "id": rec.id,
        "application_id": rec.application_id,
        "state": online.state_of(rec),
        "state_label": rec.state_label,
        "signatory": rec.signatory,
        "signed_on": rec.signed_on.isoformat() if rec.signed_on else None,
        "decline_reason": rec.decline_reason,
        "version": rec.version,
    }


class RecommendationOnlineApi(ActionApi):
    resource_name = "recommendation"
    class_permission_name = "RecommendationApi"
    openapi_spec_tag = "推荐意见"
    model = Recommendation

    @expose("/<int:pk>/sign", methods=["POST"])
    @protect()
    def sign(self, pk: int):
        return self.act(
            pk,
            lambda data: online.sign(
                pk,
                str(data.get("opinion") or ""),
                str(data.get("signatory") or ""),
                acting_recommender_id=acting_recommender_id(),
            ),
            lambda rec: self.response(200, message="已签署推荐意见（M-18）", **_rec_body(rec)),
        )

    sign.__doc__ = action_doc(
        "推荐单位签署推荐意见（M-18）",
        description="只能签署推荐给本单位的申报；签署日期为当天，签署后不能再修改。",
        properties={
            "opinion": string("推荐意见"),
            "signatory": string("签署人（单位负责人）"),
        },
        required=("opinion", "signatory"),
    )

    @expose("/<int:pk>/decline", methods=["POST"])
    @protect()
    def decline(self, pk: int):
        return self.act(
            pk,
            lambda data: online.decline(
                pk, str(data.get("reason") or ""), acting_recommender_id=acting_recommender_id()
            ),
            lambda rec: self.response(200, message="已作出不予推荐（M-18）", **_rec_body(rec)),
        )

    decline.__doc__ = action_doc(
        "推荐单位不予推荐，写明理由（M-18）",
        properties={"reason": string("不予推荐理由")},
        required=("reason",),
    )


class PaperCopiesApi(ActionApi):
    resource_name = "application"
    class_permission_name = "ApplicationApi"
    openapi_spec_tag = "申报"
    model = Application

    @expose("/<int:pk>/paper_copies", methods=["POST"])
    @protect()
    def paper_copies(self, pk: int):
        return self.act(
            pk,
            lambda data: online.record_paper_copies(
                pk, data.get("paper_copies"), data.get("paper_received_on")
            ),
            lambda app: self.response(
                200,
                id=app.id,
                paper_copies=app.paper_copies,
                paper_received_on=app.paper_received_on.isoformat(),
                paper_received_by=app.paper_received_by,
                version=app.version,
                message="已登记纸质申报材料的接收（M-18）",
            ),
        )

    paper_copies.__doc__ = action_doc(
        "登记纸质申报材料的接收：一式两份（M-18）",
        description="推荐意见已签署且两份纸质材料已接收后，方可进行资格审查。",
        properties={
            "paper_copies": {"type": "integer", "description": "接收份数（应为 2）"},
            "paper_received_on": string("接收日期", format="date"),
        },
        required=("paper_copies", "paper_received_on"),
    )


def register(appbuilder) -> None:
    appbuilder.add_api(RecommendationOnlineApi)
    appbuilder.add_api(PaperCopiesApi)
