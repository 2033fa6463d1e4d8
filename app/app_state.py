"""State that belongs to one application, kept on `app.extensions` and created by the app
factory (app/factory.py), never at module level: two apps in one process (tests, a CLI
beside a server) share no cache, and a listener acts only for the apps that registered it.

- `MENUS`: the rendered navigation menu per (role set, language, script root), views/rendering.py;
- `PERMISSION_ANSWERS`: the built-in roles' answers per (role, permission, view),
  app/security/manager.py;
- `LISTENERS`: the names of the session listeners this app turned on (app/security/scopes.py,
  models/encrypted.py, app/services/audit_capture.py)."""

from flask import current_app

MENUS = "award_menus"
PERMISSION_ANSWERS = "award_permission_answers"
LISTENERS = "award_listeners"


def init_app(app) -> None:
    app.extensions[MENUS] = {}
    app.extensions[PERMISSION_ANSWERS] = {}
    app.extensions.setdefault(LISTENERS, set())


def of(name: str, app=None):
    """This app's piece of state `name` (the current app's by default)."""
    return (app or current_app).extensions[name]


def listening(name: str) -> bool:
    """Whether the current app turned the listener `name` on."""
    return name in current_app.extensions.get(LISTENERS, ())


def turn_on(app, name: str) -> None:
    app.extensions.setdefault(LISTENERS, set()).add(name)
