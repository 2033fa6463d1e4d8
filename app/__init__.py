"""伊宁市政府质量奖评定管理系统: `flask --app app` finds the factory here."""


def create_app(config_name: str | None = None, **overrides):
    """Build the application (lazy import keeps `app.domain` free of Flask)."""
    from .factory import create_app as _create_app

    return _create_app(config_name, **overrides)
