"""Runs the Django admin baseline in this process: migrate Django's own tables, log in a
superuser, and answer `get(view, rows a page)` with (seconds, queries, status)."""

import json
import os
import time

from sqlalchemy.engine import make_url


def django_database(url: str) -> dict:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": u.database}
    options = {}
    if "options" in u.query:
        options["options"] = u.query["options"]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": u.database,
        "USER": u.username or "postgres",
        "PASSWORD": u.password or "",
        "HOST": u.host or "127.0.0.1",
        "PORT": str(u.port or 5432),
        "OPTIONS": options,
    }


class DjangoAdmin:
    def __init__(self, database_url: str):
        os.environ["BENCH_DJANGO_DATABASE"] = json.dumps(django_database(database_url))
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.django_admin.settings"
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0, interactive=False)
        users = get_user_model()
        user = users.objects.filter(username="bench").first() or users.objects.create_superuser(
            "bench", "bench@bench.invalid", "bench12345"
        )
        self.client = Client()
        self.client.force_login(user)

    def get(self, view: str, size: int) -> tuple[float, int, int, int]:
        """(seconds, SQL queries, HTTP status, bytes) for one list page."""
        from django.contrib import admin
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from .admin import SCREENS

        model = SCREENS[view][0]
        admin.site._registry[model].list_per_page = size
        url = f"/admin/benchadmin/{model.__name__.lower()}/"
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = self.client.get(url)
            elapsed = time.perf_counter() - started
        return elapsed, len(captured.captured_queries), response.status_code, len(response.content)
