"""FAB security manager: roles from code, demo-password guard for production, the password
policy on every password set (screens, CLI, `add_user`), sign-in events."""

from contextlib import contextmanager
from types import SimpleNamespace

from flask import g, has_request_context
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security import views as fab
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_babel import lazy_gettext
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from app import app_state

from . import auth_views
from .passwords import PasswordRejected, check_password
from .roles import ROLES


class EagerInterface(SQLAInterface):
    """FAB's data model with loader options on every list query, through its public
    `apply_all`: the role list read each role's permissions (and each permission's name and
    view) one query per row, the group list each group's roles (issue 20). `options` is a
    function of the model returning SQLAlchemy loader options."""

    def __init__(self, obj, options=None, session=None):
        super().__init__(obj, session)
        # FAB builds a related column's interface as `self.__class__(model)`: no options.
        self.load_options = options(obj) if options else []

    def apply_all(self, query, *args, **kwargs):
        return super().apply_all(query, *args, **kwargs).options(*self.load_options)


def _role_options(role_model) -> list:
    permissions = role_model.permissions
    view = permissions.property.mapper.class_
    return [
        selectinload(permissions).joinedload(view.permission),
        selectinload(permissions).joinedload(view.view_menu),
    ]


def _group_options(group_model) -> list:
    return [selectinload(group_model.roles)]


# FAB names the group screen's columns and the role screen's search filters after the
# attributes ("Name", "Label", "User"), outside any catalogue, so they stayed English in the
# Chinese interface. Same class names: permissions and endpoints are FAB's. Search by plain
# columns only: a relation filter renders every related row (all users, all permissions) and
# cost two queries each on every list page (FAB-NOTES; issue 20).
class RoleModelView(fab.RoleModelView):
    search_columns = ["name"]
    label_columns = {
        **fab.RoleModelView.label_columns,
        "user": lazy_gettext("User"),
        "groups": lazy_gettext("Groups"),
    }


class UserGroupModelView(fab.UserGroupModelView):
    search_columns = ["name", "label", "description"]
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
        # FAB sets plain SQLAInterface data models in its __init__ (public attributes).
        self.rolemodelview.datamodel = EagerInterface(self.role_model, _role_options)
        self.groupmodelview.datamodel = EagerInterface(self.group_model, _group_options)
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
        answers = app_state.of(app_state.PERMISSION_ANSWERS)
        key = (role.name, permission_name, view_name)
        found = answers.get(key)
        if found is None:
            found = super()._has_access_builtin_roles(role, permission_name, view_name)
            answers[key] = found
        return found

    def is_item_public(self, permission_name, view_name):
        """Whether anyone may do this without signing in: the Public role's declaration in
        FAB_ROLES (nothing), as for every other role. FAB read the Public role and then its
        permissions from the database on every API call and every anonymous request, two
        statements each (a score save's 18 included; issue 20)."""
        public = SimpleNamespace(name=self.auth_role_public)  # FAB's check reads the name
        return self._has_access_builtin_roles(public, permission_name, view_name)

    def get_user_menu_access(self, menu_names=None):
        # FAB's menu API passes every menu name once per menu level, repeated.
        names = list(dict.fromkeys(menu_names)) if menu_names else menu_names
        return super().get_user_menu_access(names)

    def sync_roles(self) -> list[str]:
        """Create the declared roles (their permissions live in FAB_ROLES, read from code)."""
        created = []
        for name in [*ROLES, self.auth_role_public]:
            if self.find_role(name) is None:
                self.add_role(name)
                created.append(name)
        return created

    _load_user_statement = None  # built by the first load_user, kept for the app's life

    def load_user(self, pk):
        """The signed-in user with roles, groups and the ids of their reviewer and recommender
        records in one query (FAB makes three, and the row scope one more; issue 8); the
        statement is built once per security manager (every request runs it)."""
        if self._load_user_statement is None:
            self._load_user_statement = self._user_with_links()
        row = (
            self.session.execute(self._load_user_statement, {"pk": int(pk)}).unique().one_or_none()
        )
        if row is None or not row[0].is_active:
            return None
        user = row[0]
        # Read by app.security.scopes for this request's row scope.
        user.award_ids = {"reviewer": row[1], "recommender": row[2]}
        # Read by app.security.session_guard: must the password change, is a 2nd factor bound.
        user.award_security = row[3]
        return user

    def _user_with_links(self):
        from models import Recommender, Reviewer, UserSecurity

        user_cls = self.user_model
        reviewer = select(Reviewer.id).where(Reviewer.user_id == user_cls.id)
        recommender = select(Recommender.id).where(Recommender.user_id == user_cls.id)
        return (
            select(
                user_cls,
                reviewer.limit(1).scalar_subquery(),
                recommender.limit(1).scalar_subquery(),
                UserSecurity,
            )
            .outerjoin(UserSecurity, UserSecurity.user_id == user_cls.id)
            .options(joinedload(user_cls.roles), joinedload(user_cls.groups))
            .where(user_cls.id == bindparam("pk"))
        )
