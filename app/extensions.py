"""Extensions, created without an app and bound in the factory."""

from flask_appbuilder import AppBuilder
from flask_appbuilder.utils.legacy import get_sqla_class
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

import models

# FAB 5: bind Flask-SQLAlchemy to FAB's Model so both share one metadata (FAB-NOTES).
db = get_sqla_class()(model_class=models.Model)
migrate = Migrate()
csrf = CSRFProtect()


def new_appbuilder() -> AppBuilder:
    """A fresh AppBuilder per app: a module-level one breaks a second create_app()."""
    from app.security.manager import AwardSecurityManager

    return AppBuilder(security_manager_class=AwardSecurityManager, base_template="award/base.html")
