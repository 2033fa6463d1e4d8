"""Configuration classes; secrets and the database URL come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET_KEY = "development-only-key-refused-in-production"  # noqa: S105 - refused by ProductionConfig


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


class Config:
    """Shared settings. Roles are declared as data (FAB_ROLES) in app.security.roles."""

    APP_NAME = "伊宁市政府质量奖评定管理系统"
    APP_THEME = ""
    SECRET_KEY = _env("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'award.db'}")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Alembic owns the schema; roles come from code (flask award sync-roles).
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = False
    FAB_ADD_SECURITY_API = False
    FAB_API_SWAGGER_UI = False
    FAB_API_MAX_PAGE_SIZE = 100
    FAB_INDEX_VIEW = "views.dashboard.DashboardIndexView"
    AUTH_TYPE = 1  # AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False
    AUTH_RATE_LIMITED = True
    AUTH_RATE_LIMIT = "10 per 5 minute"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = _env("REDIS_URL", "memory://")
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    FAB_PASSWORD_COMPLEXITY_VALIDATOR = "app.security.passwords.password_policy"

    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_FOLDER = "translations"
    LANGUAGES = {
        "zh": {"flag": "cn", "name": "简体中文"},
        "en": {"flag": "gb", "name": "English"},
    }

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    # One uploaded document at most UPLOAD_MAX_BYTES (refused with the limit in Chinese);
    # a request may carry a little more for the form's other fields.
    UPLOAD_MAX_BYTES = int(_env("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
    MAX_CONTENT_LENGTH = UPLOAD_MAX_BYTES + 1024 * 1024

    UPLOAD_DIR = _env("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    UPLOAD_FOLDER = UPLOAD_DIR
    REDIS_URL = _env("REDIS_URL")
    MAIL_SERVER = _env("MAIL_SERVER")
    MAIL_PORT = int(_env("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env("MAIL_USE_TLS", "false").lower() in ("1", "true", "yes")
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = _env("MAIL_DEFAULT_SENDER", "award@localhost")
    MAIL_TIMEOUT = int(_env("MAIL_TIMEOUT", "10"))
    # Links in e-mails point here; the permissions of the linked screen apply.
    APP_BASE_URL = _env("APP_BASE_URL", "http://127.0.0.1:5000")

    # The server's log on stderr (app/request_log.py): its level, and the duration from which a
    # request is logged as slow (a WARNING).
    LOG_LEVEL = _env("LOG_LEVEL", "INFO")
    SLOW_REQUEST_MS = int(_env("SLOW_REQUEST_MS", "1000"))

    DEMO_PASSWORD = "demo12345"  # noqa: S105 - production refuses users still on it


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    # Hashing nine demo passwords with scrypt dominates a test; production keeps scrypt.
    FAB_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = False
    AUTH_RATE_LIMITED = False
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", "sqlite://")


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    name = name or _env("AWARD_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise SystemExit(f"AWARD_CONFIG 取值无效：{name}（应为 {', '.join(CONFIGS)}）") from None
