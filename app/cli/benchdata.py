"""Benchmark data: bench-data --scale S."""

from . import award_cli  # noqa: F401
