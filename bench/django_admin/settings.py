"""Django settings for the admin baseline; the database comes from BENCH_DJANGO_DATABASE."""

import json
import os

SECRET_KEY = "bench-django-admin"  # noqa: S105 - a throwaway in-process baseline
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = False
TIME_ZONE = "UTC"  # Django sets the process TZ from this
USE_I18N = True
LANGUAGE_CODE = "zh-hans"
ROOT_URLCONF = "bench.django_admin.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "bench.django_admin.apps.BenchAdminConfig",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": json.loads(os.environ["BENCH_DJANGO_DATABASE"])}
STATIC_URL = "/static/"
