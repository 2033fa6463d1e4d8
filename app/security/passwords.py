"""Password policy (GB/T 22239-2019 身份鉴别): length, character classes, not the username,
not one of the last passwords. `password_policy` is FAB's FAB_PASSWORD_COMPLEXITY_VALIDATOR
(the forms' field check); `check_password` adds what needs the user (name, history)."""

from collections.abc import Iterable

from flask import current_app, has_app_context
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from werkzeug.security import check_password_hash

RULE = "身份鉴别"
DEFAULT_MIN_LENGTH = 10


class PasswordRejected(PasswordComplexityValidationError):
    """A password the policy refuses; the message says which requirement and names the rule."""


def _classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def _min_length() -> int:
    if has_app_context():
        return int(current_app.config.get("PASSWORD_MIN_LENGTH", DEFAULT_MIN_LENGTH))
    return DEFAULT_MIN_LENGTH


def password_policy(password: str) -> None:
    """Length and character classes: at least 3 of lower case, upper case, digits, symbols."""
    min_length = _min_length()
    if len(password or "") < min_length:
        raise PasswordRejected(f"密码至少 {min_length} 位（{RULE}）")
    if _classes(password) < 3:
        raise PasswordRejected(f"密码须包含小写字母、大写字母、数字、符号中的至少三类（{RULE}）")


def check_password(
    password: str, username: str | None = None, previous_hashes: Iterable[str] = ()
) -> None:
    """The whole policy: `password_policy`, not the username, not one of the last passwords."""
    password_policy(password)
    if username and username.strip().lower() in password.lower():
        raise PasswordRejected(f"密码不得包含用户名（{RULE}）")
    for hashed in previous_hashes:
        if hashed and check_password_hash(hashed, password):
            raise PasswordRejected(f"新密码不得与最近 5 次使用过的密码相同（{RULE}）")
