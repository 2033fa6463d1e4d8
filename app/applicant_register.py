"""The public registration page of applicant accounts (issue 18, M-8): CSRF like every form,
limited per address like the login (`REGISTER_RATE_LIMIT`), closed when
`APPLICANT_SELF_REGISTRATION` is off unless an invitation code is given."""

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from limits import parse
from wtforms import PasswordField, StringField

from app.domain.errors import RuleViolation
from app.extensions import db
from app.security.login_guard import LoginGuard
from app.services import applicant_accounts as svc
from app.services.security_events import client_address
from models import Industry

FIELDS = (
    "kind",
    "username",
    "password",
    "name",
    "email",
    "credit_code",
    "industry_code",
    "id_number",
    "contact_name",
    "invite_code",
)


class RegistrationForm(FlaskForm):
    """The typed registration; the use case (`svc.register`) checks each field's rule."""

    kind = StringField(_("申报主体类别"))
    username = StringField(_("用户名"))
    password = PasswordField(_("密码"))
    name = StringField(_("名称或姓名"))
    email = StringField(_("电子邮箱"))
    credit_code = StringField(_("统一社会信用代码"))
    industry_code = StringField(_("所属行业"))
    id_number = StringField(_("身份证号码"))
    contact_name = StringField(_("联系人"))
    invite_code = StringField(_("邀请码"))

    def typed(self) -> dict[str, str]:
        return {k: self[k].data or "" for k in FIELDS}


def _too_many() -> str | None:
    guard = LoginGuard.for_app()
    limit = parse(current_app.config["REGISTER_RATE_LIMIT"])
    key = guard._key("register")
    if not guard.window.hit(limit, key, client_address() or "-"):
        return f"注册过于频繁，请稍后再试（同一地址每段时间最多 {limit.amount} 次）"
    return None


def register_page():
    open_ = current_app.config.get("APPLICANT_SELF_REGISTRATION", True)
    typed = {}
    error = None
    done = None
    status = 200
    form = RegistrationForm()
    if request.method == "POST":
        typed = {k: v for k, v in form.typed().items() if k != "password"}
        error = _too_many()
        if error:
            status = 429
        elif not form.validate_on_submit():
            error, status = "；".join(str(e[0]) for e in form.errors.values()), 422
        else:
            try:
                reg = svc.Registration(**form.typed())
                done = svc.register(reg)
            except RuleViolation as exc:
                db.session.rollback()
                error, status = str(exc), 422
    industries = db.session.query(Industry).order_by(Industry.code).all()
    return (
        render_template(
            "public/register.html",
            page_title="申报账户注册",
            self_registration=open_,
            typed=typed,
            error=error,
            done=done,
            industries=industries,
        ),
        status,
    )
