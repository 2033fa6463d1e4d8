"""Password policy (FAB_PASSWORD_COMPLEXITY_VALIDATOR)."""

from flask_appbuilder.exceptions import PasswordComplexityValidationError


def password_policy(password: str) -> None:
    """At least 8 characters with letters and digits."""
    if (
        len(password) < 8
        or not any(c.isalpha() for c in password)
        or not any(c.isdigit() for c in password)
    ):
        raise PasswordComplexityValidationError("密码至少 8 位，且须同时包含字母和数字")
