"""The Committee's approvals as endpoints (M-7), as their screen pages:
`POST /api/v1/criteria_version/<pk>/approve` and `POST /api/v1/award_cycle/<pk>/approve_procedure`."""

from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect

from app.services import approvals
from models import AwardCycle, CriteriaVersion

from .base import ActionApi, action_doc, string

REFERENCE = {"reference": string("批准依据（如委员会会议纪要文号）")}


class CriteriaApprovalApi(ActionApi):
    resource_name = "criteria_version"
    class_permission_name = "CriteriaVersionApi"
    openapi_spec_tag = "评价准则版本"
    model = CriteriaVersion

    @expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    def approve(self, pk: int):
        return self.act(
            pk,
            lambda data: approvals.approve_criteria(pk, str(data.get("reference") or "")),
            lambda v: self.response(
                200,
                id=v.id,
                criteria_code=v.code,
                approved_at=v.approved_at.isoformat(),
                approved_by=v.approved_by,
                approval_ref=v.approval_ref,
                message="已记录委员会的批准（M-7）",
            ),
            check_version=False,
        )

    approve.__doc__ = action_doc(
        "记录委员会对评价准则版本的批准（M-7）",
        properties=REFERENCE,
        required=("reference",),
        version=False,
    )


class ProcedureApprovalApi(ActionApi):
    resource_name = "award_cycle"
    class_permission_name = "AwardCycleApi"
    openapi_spec_tag = "评定年度"
    model = AwardCycle

    @expose("/<int:pk>/approve_procedure", methods=["POST"])
    @protect()
    def approve_procedure(self, pk: int):
        return self.act(
            pk,
            lambda data: approvals.approve_procedure(pk, str(data.get("reference") or "")),
            lambda c: self.response(
                200,
                id=c.id,
                procedure_approved_at=c.procedure_approved_at.isoformat(),
                procedure_approved_by=c.procedure_approved_by,
                procedure_approval_ref=c.procedure_approval_ref,
                version=c.version,
                message="已记录委员会对本届评审程序的批准（M-7）",
            ),
        )

    approve_procedure.__doc__ = action_doc(
        "记录委员会对本届评审程序的批准（M-7）",
        description="评审程序经委员会批准、且所用评价准则版本已批准后，本届方可发布和受理申报。",
        properties=REFERENCE,
        required=("reference",),
    )


def register(appbuilder) -> None:
    appbuilder.add_api(CriteriaApprovalApi)
    appbuilder.add_api(ProcedureApprovalApi)
