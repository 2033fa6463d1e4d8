"""REST endpoint of the review report's button: the group leader signs the report off (M-10,
M-19.2, M-19.4); the same row scope as the screen (a report outside it is a 404)."""

from flask import g
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect

from app.extensions import db
from app.security.scopes import reviewer_id_of, scope
from app.services import report_signoff
from app.services.scoring import Actor
from models import ReviewReport

from .base import ActionApi, action_doc


class ReviewReportActionsApi(ActionApi):
    resource_name = "review_report"
    class_permission_name = "ReviewReportApi"
    openapi_spec_tag = "评审报告"
    model = ReviewReport

    @expose("/<int:pk>/sign_off", methods=["POST"])
    @protect()
    def sign_off(self, pk: int):
        query = db.session.query(ReviewReport).filter(ReviewReport.id == pk)
        report = scope(ReviewReport, query).first()
        if report is None:
            return self.response_404()
        actor = Actor(g.user.username, reviewer_id_of(g.user))
        app_id, stage = report.application_id, report.stage
        return self.act(
            pk,
            lambda data: report_signoff.sign_off_report(app_id, stage, actor),
            lambda signed: self.response(
                200,
                id=signed.id,
                finalized_at=signed.finalized_at.isoformat(timespec="seconds"),
                author_id=signed.author_id,
                version=signed.version,
            ),
        )

    sign_off.__doc__ = action_doc(
        "评审组组长签发评审报告（M-10、M-19.2、M-19.4）",
        description="评审组结束评审后，由组长在系统中签发材料评审报告或现场评审报告；"
        "签发后报告定稿，方可出具 material-report / onsite-report 文书。",
        ok="评审报告已签发",
    )


def register(appbuilder) -> None:
    appbuilder.add_api(ReviewReportActionsApi)
