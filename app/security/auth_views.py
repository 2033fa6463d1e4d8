"""FAB's sign-in and password screens and the API login, with the guard, the password policy,
the event records and the second factor. Same class names as FAB's: the endpoints and the
permission names (FAB_ROLES) stay FAB's."""

from flask import flash, g, redirect, request, session, url_for
from flask_appbuilder.api import safe
from flask_appbuilder.const import API_SECURITY_ACCESS_TOKEN_KEY, API_SECURITY_REFRESH_TOKEN_KEY
from flask_appbuilder.security import api as fab_api
from flask_appbuilder.security import views as fab
from flask_appbuilder.security.decorators import no_cache
from flask_appbuilder.security.forms import LoginForm_db
from flask_appbuilder.security.schemas import login_post
from flask_appbuilder.utils.base import get_safe_redirect
from flask_appbuilder.views import expose
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    get_jwt_identity,
    jwt_required,
)
from marshmallow import ValidationError
from sqlalchemy import inspect

from app.services import credentials, security_events

from . import signin
from .passwords import PasswordRejected
from .roles import ROLE_LABELS


class AuthDBView(fab.AuthDBView):
    invalid_login_message = "用户名或密码错误"
    title = "登录"

    @expose("/login/", methods=["GET", "POST"])
    @no_cache
    def login(self):
        if g.user is not None and g.user.is_authenticated:
            return redirect(self._get_safe_next_url())
        form = LoginForm_db()
        if not form.validate_on_submit():
            return self._page(form)
        next_url = get_safe_redirect(request.args.get("next", ""))
        outcome = signin.attempt(form.username.data, form.password.data)
        if outcome.refusal:
            flash(outcome.refusal.message, "danger")  # the page again, the username kept
            return self._page(form), outcome.refusal.status
        user = outcome.user
        step = signin.needs_second_factor(user)
        if step == "verify":
            session[signin.PENDING_KEY] = user.id
            session[signin.NEXT_KEY] = next_url
            return redirect(url_for("TwoFactorView.verify"))
        signin.complete(user, "表单登录")
        signin.open_session(user)
        return redirect(next_url)

    def _page(self, form):
        return self.render_template(
            self.login_template, title=self.title, form=form, appbuilder=self.appbuilder
        )


_MESSAGE_SCHEMA = """
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      message:
                        type: string"""


class SecurityApi(fab_api.SecurityApi):
    @expose("/login", methods=["POST"])
    @safe
    def login(self):
        """The API's JWT login, under the same limits and lockout as the form
        ---
        post:
          description: >-
            用户名和密码换取 JWT；与登录页共用频率限制与账户锁定。启用了动态口令的账户须同时提交 totp。
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    username:
                      type: string
                    password:
                      type: string
                    provider:
                      type: string
                      enum:
                      - db
                    refresh:
                      type: boolean
                    totp:
                      description: 动态口令（6 位数字），账户启用第二因素时必填
                      type: string
          responses:
            200:
              description: 登录成功
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      access_token:
                        type: string
                      refresh_token:
                        type: string
            400:
              $ref: '#/components/responses/400'
            401:
              description: 用户名、密码或动态口令错误（给出剩余尝试次数）{schema}
            403:
              description: 须先在界面上修改密码或绑定动态口令{schema}
            423:
              description: 账户或地址因连续登录失败被锁定（给出解锁时间）{schema}
            429:
              description: 同一地址登录尝试过于频繁{schema}
            500:
              $ref: '#/components/responses/500'
        """
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message="请求内容须为 JSON 对象")
        body = dict(request.json)
        code = body.pop("totp", None)
        try:
            payload = login_post.load(body)
        except ValidationError as error:
            return self.response_400(message=error.messages)
        outcome = signin.attempt(payload["username"], payload["password"])
        if outcome.refusal:
            return self.response(outcome.refusal.status, message=outcome.refusal.message)
        user = outcome.user
        step = signin.needs_second_factor(user)
        if step == "enrol":
            return self._refuse(
                user, "该账户须先在界面上绑定动态口令（第二因素）后方可通过接口登录（身份鉴别）"
            )
        if step == "verify" and not signin.totp_ok(user, code):
            refusal = signin.failed(user.username, "totp_failed", "动态口令缺失或错误")
            return self.response(refusal.status, message=refusal.message)
        reason = credentials.change_reason(credentials.find_state(user))
        if reason:
            return self._refuse(user, f"{reason}：请在登录页登录后修改，修改前不能通过接口登录")
        signin.complete(user, "接口登录")
        resp = {
            API_SECURITY_ACCESS_TOKEN_KEY: create_access_token(identity=str(user.id), fresh=True)
        }
        if payload.get("refresh"):
            resp[API_SECURITY_REFRESH_TOKEN_KEY] = create_refresh_token(identity=str(user.id))
        return self.response(200, **resp)

    login.__doc__ = login.__doc__.replace("{schema}", _MESSAGE_SCHEMA)

    def _refuse(self, user, message: str):
        """A right password that may not yet open the API: 403, recorded."""
        security_events.record("refused", user.username, "拒绝", message, user_id=user.id)
        return self.response(403, message=message)

    @expose("/refresh", methods=["POST"])
    @jwt_required(refresh=True)
    @safe
    def refresh(self):
        """A new access token for a refresh token, under the same limits and lockout as login
        ---
        post:
          description: >-
            用刷新令牌换取新的访问令牌；账户被锁定、停用或须修改密码时拒绝。
          responses:
            200:
              description: 刷新成功
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      access_token:
                        type: string
            401:
              $ref: '#/components/responses/401'
            403:
              description: 须先在界面上修改密码{schema}
            423:
              description: 账户或地址已被锁定{schema}
            429:
              description: 同一地址尝试过于频繁{schema}
            500:
              $ref: '#/components/responses/500'
          security:
            - jwt_refresh: []
        """
        identity = get_jwt_identity()
        user = self.appbuilder.sm.get_user_by_id(int(identity))
        username = user.username if user is not None else None
        refusal = signin.guarded(username)
        if refusal:
            return self.response(refusal.status, message=refusal.message)
        if user is None or not user.is_active:
            return self.response(401, message="账户不存在或已停用")
        reason = credentials.change_reason(credentials.find_state(user))
        if reason:
            return self.response(403, message=reason)
        token = create_access_token(identity=str(identity), fresh=False)
        return self.response(200, **{API_SECURITY_ACCESS_TOKEN_KEY: token})

    refresh.__doc__ = refresh.__doc__.replace("{schema}", _MESSAGE_SCHEMA)


def _rerender(view, form, exc):
    form.password.errors = [*form.password.errors, str(exc)]
    # The form page as FAB renders it, from the view's public attributes.
    widgets = {
        "edit": view.edit_widget(
            route_base=view.route_base,
            form=form,
            include_cols=view.form_columns,
            exclude_cols=[],
            fieldsets=view.form_fieldsets,
        )
    }
    return view.render_template(
        view.form_template, title=view.form_title, widgets=widgets, appbuilder=view.appbuilder
    )


class ResetMyPasswordView(fab.ResetMyPasswordView):
    """The user's own new password: the whole policy; clears a must-change flag."""

    message = "密码已修改"

    def form_post(self, form):
        try:
            self.appbuilder.sm.reset_password(g.user.id, form.password.data)
        except PasswordRejected as exc:
            return _rerender(self, form, exc)
        flash(self.message, "info")
        return None


class ResetPasswordView(fab.ResetPasswordView):
    """An administrator sets another user's password: the user must change it at next login."""

    message = "密码已重置，该用户下次登录时须修改密码"

    def form_post(self, form):
        try:
            self.appbuilder.sm.reset_password(request.args.get("pk"), form.password.data)
        except PasswordRejected as exc:
            return _rerender(self, form, exc)
        flash(self.message, "info")
        return None


class UserDBModelView(fab.UserDBModelView):
    """User screens: the initial password meets the policy and must be changed at first login;
    role changes are recorded."""

    # Roles by their Chinese names, flags as 是/否, nothing for an empty field (issue 16).
    formatters_columns = {
        "roles": lambda roles: "、".join(ROLE_LABELS.get(r.name, r.name) for r in roles or ()),
        "groups": lambda groups: "、".join(str(x) for x in groups or ()),
        "active": lambda value: "是" if value else "否",
        **{
            name: (lambda value: "" if value is None else value)
            for name in ("email", "last_login", "created_on", "changed_on", "created_by")
        },
        "changed_by": lambda value: "" if value is None else value,
        "login_count": lambda value: value or 0,
        "fail_login_count": lambda value: value or 0,
    }

    def pre_add(self, item):
        from .passwords import check_password

        check_password(item.password or "", item.username)
        super().pre_add(item)

    def post_add(self, item):
        credentials.remember_initial_password(item.id, item.password)
        security_events.record(
            "user_created",
            _actor(),
            "成功",
            f"创建用户 {item.username}（角色：{_roles(item.roles)}；初始密码须在首次登录时修改）",
        )

    def pre_update(self, item):
        super().pre_update(item)
        history = inspect(item).attrs.roles.history
        if history.added or history.deleted:
            g.award_role_change = (item.username, _roles(history.deleted), _roles(history.added))

    def post_update(self, item):
        change = g.pop("award_role_change", None)
        if change:
            security_events.record(
                "role_changed",
                _actor(),
                "成功",
                f"用户 {change[0]}：移除角色 {change[1] or '无'}，增加角色 {change[2] or '无'}",
            )


def _actor() -> str | None:
    user = getattr(g, "user", None)
    return user.username if user is not None and user.is_authenticated else None


def _roles(roles) -> str:
    return "、".join(sorted(r.name for r in roles or ()))
