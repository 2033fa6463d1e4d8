"""Consistent backups: SQLite's online backup API; pg_dump / psql for PostgreSQL."""

import os
import re
import sqlite3
import subprocess

from sqlalchemy.engine import make_url


class BackupFailed(RuntimeError):
    pass


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupFailed("内存数据库无法备份")
    return url.database


def _pg_args(url) -> list[str]:
    host = url.host or "127.0.0.1"
    port = str(url.port or 5432)
    return ["-h", host, "-p", port, "-U", url.username or "postgres", "-d", url.database]


def _pg_schema(url) -> str | None:
    """The schema named by `options=-csearch_path=...` in the URL, if any."""
    options = url.query.get("options", "")
    options = options if isinstance(options, str) else " ".join(options)
    match = re.search(r"search_path=([A-Za-z_][A-Za-z0-9_]*)", options)
    return match.group(1) if match else None


def _pg_env(url) -> dict:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    schema = _pg_schema(url)
    if schema:
        env["PGOPTIONS"] = f"-csearch_path={schema}"
    return env


def backup_database(database_url: str, target: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        src = sqlite3.connect(_sqlite_path(url))
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
        src.close()
        return
    if url.get_backend_name() == "postgresql":
        schema = _pg_schema(url)
        scope = ["--schema", schema] if schema else []
        result = subprocess.run(
            [
                "pg_dump",
                "--clean",
                "--if-exists",
                "--no-owner",
                *scope,
                "-f",
                target,
                *_pg_args(url),
            ],
            env=_pg_env(url),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupFailed(f"pg_dump 失败：{result.stderr.strip()}")
        return
    raise BackupFailed(f"不支持的数据库：{url.get_backend_name()}")


def restore_database(database_url: str, source: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        src = sqlite3.connect(source)
        dst = sqlite3.connect(_sqlite_path(url))
        with dst:
            src.backup(dst)
        dst.close()
        src.close()
        return
    if url.get_backend_name() == "postgresql":
        result = subprocess.run(
            ["psql", "-v", "ON_ERROR_STOP=1", "-q", "-f", source, *_pg_args(url)],
            env=_pg_env(url),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupFailed(f"恢复失败：{result.stderr.strip()}")
        return
    raise BackupFailed(f"不支持的数据库：{url.get_backend_name()}")
