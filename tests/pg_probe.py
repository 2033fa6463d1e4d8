"""Prints the PostgreSQL URL for the test suite and exits 0 when a server answers, else 1."""

import os
import sys

DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT


def answers(url: str) -> bool:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    try:
        with psycopg.connect(
            host=u.host or "127.0.0.1",
            port=u.port or 5432,
            user=u.username or "postgres",
            password=u.password,
            dbname=u.database,
            connect_timeout=3,
        ) as conn:
            conn.execute("select 1")
        return True
    except psycopg.OperationalError:
        return False


if __name__ == "__main__":
    url = pg_url()
    if answers(url):
        print(url)
        sys.exit(0)
    sys.exit(1)
