"""After-award commands: followups (M-27)."""

from . import award_cli  # noqa: F401
