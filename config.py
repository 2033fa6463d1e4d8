"""Configuration classes; secrets and the database URL come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET_KEY = "development-only-key-refused-in-production"  # noqa: S105 - refused by ProductionConfig
DEV_AUDIT_KEY = "development-only-audit-key-refused-in-production"  # refused by ProductionConfig
KEY_MIN_BYTES = 32  # SECRET_KEY, AUDIT_KEY and PII_KEY in production
DEV_PII_KEY = "development-only-personal-information-key"  # noqa: S105 - refused in production


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


class Config:
    """Shared settings. Roles are declared as data (FAB_ROLES) in app.security.roles."""

    APP_NAME = "伊宁市政府质量奖评定管理系统"
    APP_THEME = ""
    SECRET_KEY = _env("SECRET_KEY", DEV_SECRET_KEY)
    # Key of the audit log's MAC chain (M-3), kept outside the database.
    AUDIT_KEY = _env("AUDIT_KEY", DEV_AUDIT_KEY)
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'award.db'}")
    # Key of the ID numbers' encryption and keyed hash (app/security/crypto.py), kept outside
    # the database; production refuses the development key or one shorter than 32 bytes.
    PII_KEY = _env("PII_KEY", DEV_PII_KEY)
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # SQLAlchemy keeps each compiled statement, 500 by default per engine; the pages, the API
    # and the use cases run well over 1,000 distinct statements, so the default cache kept
    # turning over and statements were compiled again (one role's route walk compiled 1,188,
    # a second role 722 more). About 0.1 MB per statement kept (issue 20).
    SQL_STATEMENT_CACHE = int(_env("SQL_STATEMENT_CACHE", "3000"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "query_cache_size": SQL_STATEMENT_CACHE}

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
    # FAB's own limiter covered only the form; app.security.login_guard now limits every way
    # in (form, API login, token refresh) per address and locks an account after failures.
    AUTH_RATE_LIMITED = False
    AUTH_RATE_LIMIT = "10 per 5 minute"
    LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per minute")
    LOGIN_MAX_FAILURES = int(_env("LOGIN_MAX_FAILURES", "5"))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(_env("LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
    LOGIN_LOCK_MINUTES = int(_env("LOGIN_LOCK_MINUTES", "15"))
    LOGIN_GUARD_PREFIX = _env("LOGIN_GUARD_PREFIX", "award-login")
    # Issue 18: applicants may open accounts themselves (pending the Office's approval); off,
    # only an invitation code from the Office opens one. Registrations per address are limited.
    APPLICANT_SELF_REGISTRATION = _env("APPLICANT_SELF_REGISTRATION", "true").lower() in (
        "1",
        "true",
        "yes",
    )
    REGISTER_RATE_LIMIT = _env("REGISTER_RATE_LIMIT", "5 per hour")
    PASSWORD_MIN_LENGTH = int(_env("PASSWORD_MIN_LENGTH", "10"))
    PASSWORD_HISTORY = 5
    PASSWORD_MAX_AGE_DAYS = int(_env("PASSWORD_MAX_AGE_DAYS", "0"))  # 0: passwords never expire
    SESSION_IDLE_MINUTES = int(_env("SESSION_IDLE_MINUTES", "30"))
    REQUIRE_2FA = _env("REQUIRE_2FA", "false").lower() in ("1", "true", "yes")
    TWO_FACTOR_ROLES = ("Admin", "Office")  # roles REQUIRE_2FA applies to
    SECURITY_EVENT_KEEP_DAYS = 180
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
    # The suite signs in hundreds of times from one address: the guard stays on with thresholds
    # no normal test reaches; tests of the limits lower them (tests/app/test_login_security.py).
    LOGIN_RATE_LIMIT = "100000 per minute"
    REGISTER_RATE_LIMIT = "100000 per minute"
    LOGIN_MAX_FAILURES = 1000
    LOGIN_MAX_FAILURES_PER_ADDRESS = 100000
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", "sqlite://")
    # The browser tests' Chromium keeps a static file for the test instead of asking again on
    # every page it opens (two dozen conditional requests a page; issue 20's suite time).
    SEND_FILE_MAX_AGE_DEFAULT = 3600


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
