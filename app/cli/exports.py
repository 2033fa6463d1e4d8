"""Export commands: export YEAR -o FILE.xlsx."""

from . import award_cli  # noqa: F401
