"""FAB security manager: roles from code, demo-password guard for production."""

from flask_appbuilder.security.sqla.manager import SecurityManager

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
