"""Use cases: load rows, call the rule, persist, commit."""
