"""FAB security manager: roles from code, demo-password guard for production."""

from flask_appbuilder.security import views as fab
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

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

    def __init__(self, appbuilder):
        super().__init__(appbuilder)
        self._builtin_access: dict[tuple[str, str, str], bool] = {}

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
        from models import Recommender, Reviewer

        user_cls = self.user_model
        reviewer = select(Reviewer.id).where(Reviewer.user_id == user_cls.id)
        recommender = select(Recommender.id).where(Recommender.user_id == user_cls.id)
        row = (
            self.session.execute(
                select(
                    user_cls,
                    reviewer.limit(1).scalar_subquery(),
                    recommender.limit(1).scalar_subquery(),
                )
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
        return user
