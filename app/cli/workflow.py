"""Cycle workflow commands: rank YEAR, check-quotas YEAR (M-4, M-19.5)."""

from . import award_cli  # noqa: F401
