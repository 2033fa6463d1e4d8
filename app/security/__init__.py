"""Roles, row scopes and the security manager."""
