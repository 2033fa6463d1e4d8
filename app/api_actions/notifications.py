"""REST endpoints for the inbox's buttons: mark a notice read, and the e-mail preference.

Only the signed-in user's own notices are reachable: another user's id is a 404, as on the
screen. Reading the notices themselves is FAB's `/api/v1/notification/` resource.
"""

from flask import g, request
from flask_appbuilder.api import BaseApi, expose, protect
from sqlalchemy import select

from app.extensions import db
from app.services import mailer
from app.services import notifications as svc
from models import Notification


class NotificationActionsApi(BaseApi):
    resource_name = "notification"
    class_permission_name = "NotificationApi"
    openapi_spec_tag = "我的通知"
    allow_browser_login = False
    base_permissions = ["can_mark_read", "can_preferences"]

    @expose("/<int:pk>/mark_read", methods=["POST"])
    @protect()
    def mark_read(self, pk):
        """标为已读
        ---
        post:
          summary: 将本人的一条通知标为已读
          parameters:
          - in: path
            name: pk
            required: true
            schema:
              type: integer
          requestBody:
            required: false
            content:
              application/json:
                schema:
                  type: object
                  properties: {}
          responses:
            200:
              description: 已标为已读
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      id: {type: integer}
                      read_at: {type: string}
                      unread: {type: integer, description: 本人其余未读通知数}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              description: 没有这条通知（或不是本人的通知）
        """
        user_id = g.user.id
        notice = db.session.scalar(
            select(Notification).where(Notification.id == pk, Notification.user_id == user_id)
        )
        if notice is None:
            return self.response_404()
        svc.mark_read(user_id, [pk])
        db.session.refresh(notice)
        return self.response(
            200,
            id=notice.id,
            read_at=notice.read_at.isoformat(timespec="seconds"),
            unread=svc.unread_count(user_id),
        )

    @expose("/preferences", methods=["GET", "PUT"])
    @protect()
    def preferences(self):
        """通知设置
        ---
        get:
          summary: 本人的通知设置
          responses:
            200:
              description: 是否接收邮件通知，以及邮箱地址是否有效
            401:
              $ref: '#/components/responses/401'
        put:
          summary: 开启或关闭本人的邮件通知（站内通知始终保留）
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [email_enabled]
                  properties:
                    email_enabled: {type: boolean}
          responses:
            200:
              description: 已保存
            400:
              description: email_enabled 须为 true 或 false
            401:
              $ref: '#/components/responses/401'
        """
        user = g.user
        if request.method == "PUT":
            body = request.get_json(silent=True)
            enabled = body.get("email_enabled") if isinstance(body, dict) else None
            if not isinstance(enabled, bool):
                return self.response_400(message="email_enabled 须为 true 或 false")
            svc.set_email_enabled(user.id, enabled)
        return self.response(
            200,
            email_enabled=svc.email_enabled(user.id),
            email=user.email,
            email_valid=mailer.valid_address(user.email),
            mail_configured=mailer.configured(),
        )


def register(appbuilder) -> None:
    appbuilder.add_api(NotificationActionsApi)
