"""REST endpoints for domain actions that have a screen button (submit, rank, export, revoke).

Each module defines `register(appbuilder)`; the factory calls every one of them."""

import importlib
import pkgutil


def register_all(appbuilder) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):  # base.py: shared code, no endpoints
            module.register(appbuilder)
