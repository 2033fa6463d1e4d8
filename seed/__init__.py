"""Reference data (industries, criteria versions) and the demo data set, both idempotent."""

from .demo import load_demo
from .reference import load_reference

__all__ = ["load_demo", "load_reference"]
