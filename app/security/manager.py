"""FAB security manager: roles from code, demo-password guard for production."""

from flask_appbuilder.security.sqla.manager import SecurityManager
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .roles import ROLES


class AwardSecurityManager(SecurityManager):
    def sync_roles(self) -> list[str]:
        """Create the declared roles (their permissions live in FAB_ROLES, read from code)."""
        created = []
        for name in [*ROLES, self.auth_role_public]:
            if self.find_role(name) is None:
                self.add_role(name)
                created.append(name)
        return created

    def load_user(self, pk):
        """The signed-in user with roles and groups in one query, not three on every page."""
        user_cls = self.user_model
        user = (
            self.session.scalars(
                select(user_cls)
                .options(joinedload(user_cls.roles), joinedload(user_cls.groups))
                .where(user_cls.id == int(pk))
            )
            .unique()
            .one_or_none()
        )
        if user is not None and user.is_active:
            return user
        return None
