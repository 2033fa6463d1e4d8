"""Personal information shown masked (PIPL art. 51, GB/T 35273-2020): pure functions, no Flask."""

import re

_ID_STARS = "********"
_ADDRESS_KEPT = 6  # province, city, district: enough to place a person, not to find them


def _hide_all_but_last(value: str, keep: int = 2) -> str:
    keep = min(keep, max(len(value) - 3, 0))
    return "*" * (len(value) - keep) + value[len(value) - keep :]


def mask_id_number(value: str | None) -> str | None:
    """`110105********002X`: the division code and the last four characters."""
    if not value:
        return value
    if len(value) < 15:
        return "*" * len(value)
    return value[:6] + _ID_STARS + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """`138****5678` for a mobile; `0999-***3561` keeps a landline's area code."""
    if not value:
        return value
    prefix, sep, number = value.rpartition("-")
    if sep and re.fullmatch(r"\+?\d{2,5}", prefix) and len(number) >= 7:
        return f"{prefix}-{'*' * (len(number) - 4)}{number[-4:]}"
    if len(value) < 7:
        return _hide_all_but_last(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_address(value: str | None) -> str | None:
    """The district only; the length of the rest is not revealed either."""
    if not value:
        return value
    return value[:_ADDRESS_KEPT] + _ID_STARS


# Column names that hold personal information, and how each is masked.
PII_COLUMNS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "contact_phone": mask_phone,
    "home_address": mask_address,
}
