"""FAB security manager: roles from code, demo-password guard for production, the password
policy on every password set (screens, CLI, `add_user`), sign-in events."""

from contextlib import contextmanager

from flask import g, has_request_context
from flask_appbuilder.security import views as fab
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from . import auth_views
from .passwords import PasswordRejected, check_password
from .roles import ROLES


# FAB names the group screen's columns and the role screen's search filters after the
# attributes ("Name", "Label", "User"), outside any catalogue, so they stayed English in the
# Chinese interface. Same class names: permissions and endpoints are FAB's.
class RoleModelView(fab.RoleModelView):
    label_columns = {
        **fab.RoleModelView.label_columns,
        "user": lazy_gettext("User"),
        "groups": lazy_gettext("Groups"),
    }


class UserGroupModelView(fab.UserGroupModelView):
    label_columns = {
        "name": lazy_gettext("Name"),
        "label": lazy_gettext("Label"),
        "description": lazy_gettext("Description"),
        "users": lazy_gettext("Users"),
        "roles": lazy_gettext("Roles"),
    }


class AwardSecurityManager(SecurityManager):
    """FAB's manager with the built-in roles' checks remembered.

    The roles' permissions are FAB_ROLES, regular expressions declared in code, so whether a
    role may do something never changes while the process runs. FAB matches every pattern of
    the role on every check: 65 checks per page, and its menu API (`/api/v1/menu/`) checked the
    same names thousands of times (a Reviewer's menu took 0.5 s; issue 8)."""

    rolemodelview = RoleModelView
    groupmodelview = UserGroupModelView
    authdbview = auth_views.AuthDBView
    security_api = auth_views.SecurityApi
    resetmypasswordview = auth_views.ResetMyPasswordView
    resetpasswordview = auth_views.ResetPasswordView
    userdbmodelview = auth_views.UserDBModelView
    # FAB's user statistics page draws with Google Charts, loaded from the internet when the
    # page runs, and is English only: not registered (issue 16; pages load nothing from outside).
    userstatschartview = None

    def __init__(self, appbuilder):
        super().__init__(appbuilder)
        self._builtin_access: dict[tuple[str, str, str], bool] = {}
        self._demo_accounts = False

    def register_views(self):
        super().register_views()
        from .two_factor import TwoFactorView

        self.appbuilder.add_view_no_menu(TwoFactorView())

    @contextmanager
    def demo_accounts(self):
        """Demo data (seed-demo, tests): users keep the shared demo password, outside the
        password policy and without having to change it. Never used for real accounts."""
        previous, self._demo_accounts = self._demo_accounts, True
        try:
            yield
        finally:
            self._demo_accounts = previous

    def add_user(
        self,
        username,
        first_name,
        last_name,
        email,
        role=None,
        password="",
        hashed_password="",
        groups=None,
        commit=True,
    ):
        """FAB's add_user, with the password policy on a clear-text password; such an initial
        password must be changed at first login (except demo accounts)."""
        from app.services import credentials

        if password and not hashed_password and not self._demo_accounts:
            check_password(password, username)
        user = super().add_user(
            username,
            first_name,
            last_name,
            email,
            role=role,
            password=password,
            hashed_password=hashed_password,
            groups=groups,
            commit=commit,
        )
        if user:
            must_change = bool(password) and not hashed_password and not self._demo_accounts
            credentials.remember_password(user.id, user.password, must_change=must_change)
            if commit:
                self.session.commit()
        return user

    def reset_password(self, userid, password):
        """Every password change goes through here (own form, an administrator's reset, CLI):
        the whole policy, the history; a password set by someone else must be changed."""
        from app.services import credentials, security_events

        user = self.get_user_by_id(userid)
        actor = g.user if has_request_context() and getattr(g, "user", None) else None
        by_self = actor is not None and actor.is_authenticated and actor.id == user.id
        actor_name = actor.username if actor is not None and actor.is_authenticated else None
        try:
            credentials.validate_new_password(user, password)
        except PasswordRejected as exc:
            security_events.record(
                "password_rejected",
                actor_name or user.username,
                "拒绝",
                f"用户 {user.username}：{exc}",
                user_id=user.id,
            )
            raise
        user.password = credentials.hash_password(password)
        credentials.remember_password(user.id, user.password, must_change=not by_self)
        self.update_user(user)
        if by_self:
            security_events.record("password_changed", user.username, "成功", user_id=user.id)
        else:
            security_events.record(
                "password_reset",
                actor_name,
                "成功",
                f"重置用户 {user.username} 的密码（下次登录须修改）",
                user_id=user.id,
            )

    def on_user_logout(self, user) -> None:
        from app.services import security_events

        security_events.record("logout", user.username, "成功", user_id=user.id)

    def _has_access_builtin_roles(self, role, permission_name: str, view_name: str) -> bool:
        key = (role.name, permission_name, view_name)
        found = self._builtin_access.get(key)
        if found is None:
            found = super()._has_access_builtin_roles(role, permission_name, view_name)
            self._builtin_access[key] = found
        return found

    def _get_user_permission_view_menus(self, user, permission_name, view_menus_name):
        # FAB's menu API passes every menu name once per menu level, repeated.
        names = list(dict.fromkeys(view_menus_name)) if view_menus_name else view_menus_name
        return super()._get_user_permission_view_menus(user, permission_name, names)

    def sync_roles(self) -> list[str]:
        """Create the declared roles (their permissions live in FAB_ROLES, read from code)."""
        created = []
        for name in [*ROLES, self.auth_role_public]:
            if self.find_role(name) is None:
                self.add_role(name)
                created.append(name)
        return created

    def load_user(self, pk):
        """The signed-in user with roles, groups and the ids of their reviewer and recommender
        records in one query (FAB makes three, and the row scope one more; issue 8)."""
        from models import Recommender, Reviewer, UserSecurity

        user_cls = self.user_model
        reviewer = select(Reviewer.id).where(Reviewer.user_id == user_cls.id)
        recommender = select(Recommender.id).where(Recommender.user_id == user_cls.id)
        row = (
            self.session.execute(
                select(
                    user_cls,
                    reviewer.limit(1).scalar_subquery(),
                    recommender.limit(1).scalar_subquery(),
                    UserSecurity,
                )
                .outerjoin(UserSecurity, UserSecurity.user_id == user_cls.id)
                .options(joinedload(user_cls.roles), joinedload(user_cls.groups))
                .where(user_cls.id == int(pk))
            )
            .unique()
            .one_or_none()
        )
        if row is None or not row[0].is_active:
            return None
        user = row[0]
        # Read by app.security.scopes for this request's row scope.
        user.award_ids = {"reviewer": row[1], "recommender": row[2]}
        # Read by app.security.session_guard: must the password change, is a 2nd factor bound.
        user.award_security = row[3]
        return user
