"""The Office's buttons on applicant accounts as API endpoints (issue 18, M-8): approve,
refuse with a reason, and hand out an invitation code. Each calls the screen's use case."""

from flask_appbuilder.api import expose, protect
from sqlalchemy import select

from app.domain.errors import InvalidInput
from app.extensions import db
from app.services import applicant_accounts as svc
from models import ApplicantAccount, Individual, Organization

from .base import ActionApi, action_doc, string


class ApplicantAccountActionsApi(ActionApi):
    resource_name = "applicant_account"
    class_permission_name = "ApplicantAccountApi"
    openapi_spec_tag = "申报账户"
    model = ApplicantAccount
    # `refuse` is ActionApi's error answer: the endpoint's function is `refuse_account`, and
    # so is its permission (app/security/roles.py).

    def _answer(self, account):
        return self.response(200, id=account.id, status=account.status, message="已办理")

    @expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    def approve(self, pk: int):
        if db.session.get(ApplicantAccount, pk) is None:
            return self.response_404()
        return self.act(pk, lambda _d: svc.approve(pk), self._answer, check_version=False)

    approve.__doc__ = action_doc("开通待审核的申报账户（M-8）", version=False)

    @expose("/<int:pk>/refuse", methods=["POST"])
    @protect()
    def refuse_account(self, pk: int):
        if db.session.get(ApplicantAccount, pk) is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: svc.refuse(pk, str(data.get("reason") or "")),
            self._answer,
            check_version=False,
        )

    refuse_account.__doc__ = action_doc(
        "不予开通申报账户，须写明理由（M-8、M-3）",
        properties={"reason": string("不予开通的理由")},
        required=("reason",),
        version=False,
    )

    @expose("/invite", methods=["POST"])
    @protect()
    def invite(self):
        def change(data):
            key = str(data.get("key") or "").strip().upper()
            org = db.session.scalar(select(Organization).where(Organization.credit_code == key))
            person = None
            if org is None and key:
                person = db.session.scalar(select(Individual).where(Individual.id_number == key))
            if org is None and person is None:
                raise InvalidInput("未找到该统一社会信用代码或身份证号码对应的申报主体")
            return svc.invite(
                organization_id=org.id if org else None,
                individual_id=person.id if person else None,
            )

        return self.act(
            None,
            change,
            lambda code: self.response(200, code=code, message="邀请码只显示这一次，30 天内有效"),
            check_version=False,
        )

    invite.__doc__ = action_doc(
        "为已登记的申报主体发放一次性邀请码（M-8）",
        properties={"key": string("统一社会信用代码或身份证号码")},
        required=("key",),
        version=False,
    )


def register(appbuilder) -> None:
    appbuilder.add_api(ApplicantAccountActionsApi)
