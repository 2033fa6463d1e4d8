"""The Office's screen of applicant accounts (issue 18, M-8): approve or refuse a pending
account (with a reason, audited), and hand a known applicant a one-time invitation code."""

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access

from app.domain.applicant_portal import AccountStatus
from app.domain.errors import InvalidInput
from app.extensions import db
from app.services import applicant_accounts as svc
from app.services import selectors
from models import ApplicantAccount

from .base import AwardModelView
from .forms import InviteForm, ReasonForm, refuse_invalid


def _status(value) -> str:
    try:
        return AccountStatus(value).label
    except ValueError:
        return value or ""


class ApplicantAccountView(AwardModelView):
    model, title = ApplicantAccount, "申报账户"
    eager = ("user", "organization", "individual")
    list_columns = ["user", "organization", "individual", "status", "via_invite", "created_at"]
    show_columns = [
        "user",
        "organization",
        "individual",
        "contact_name",
        "status",
        "via_invite",
        "refusal_reason",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    search_columns = ["status"]
    label_columns = {
        "user": "用户名",
        "organization": "组织",
        "individual": "个人",
        "contact_name": "联系人",
        "status": "状态",
        "via_invite": "凭邀请码开通",
        "refusal_reason": "不予开通理由",
        "decided_by": "审核人",
        "decided_at": "审核时间",
        "created_at": "注册时间",
    }
    formatters_columns = {"status": _status}
    base_order = ("id", "desc")  # newest first, by the primary key's index
    base_permissions = ["can_list", "can_show", "can_approve", "can_refuse", "can_invite"]
    show_template = "award/applicant_account_show.html"
    list_template = "award/applicant_account_list.html"

    @expose("/approve/<int:pk>", methods=["POST"])
    @has_access
    def approve(self, pk):
        account = svc.approve(pk)
        flash(f"已开通申报账户 {account.user.username}", "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/refuse/<int:pk>", methods=["GET", "POST"])
    @has_access
    def refuse(self, pk):
        account = db.session.get(ApplicantAccount, pk)
        if account is None:
            return self.render_template(
                "award/error.html",
                base_template=self.appbuilder.base_template,
                appbuilder=self.appbuilder,
                status=404,
                message="记录不存在",
            ), 404
        if request.method == "POST":
            svc.refuse(pk, refuse_invalid(ReasonForm()).reason.data or "")
            flash(f"已不予开通申报账户 {account.user.username}", "warning")
            return redirect(url_for(".show", pk=pk))
        return self.render_template(
            "award/applicant_account_refuse.html", account=account, appbuilder=self.appbuilder
        )

    @expose("/invite", methods=["GET", "POST"])
    @has_access
    def invite(self):
        code = None
        holder = None
        if request.method == "POST":
            key = (refuse_invalid(InviteForm()).key.data or "").strip().upper()
            org, person = selectors.applicant_by_key(key)
            if org is None and person is None:
                raise InvalidInput("未找到该统一社会信用代码或身份证号码对应的申报主体")
            code = svc.invite(
                organization_id=org.id if org else None,
                individual_id=person.id if person else None,
            )
            holder = org or person
        return self.render_template(
            "award/applicant_invite.html", code=code, holder=holder, appbuilder=self.appbuilder
        )
