"""Notification commands: remind."""

from . import award_cli  # noqa: F401
