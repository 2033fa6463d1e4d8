"""Baseline: Django admin over the same tables (unmanaged models), tuned as its documentation
advises (`list_select_related`). Bench-only: needs the `bench` extra (Django)."""
