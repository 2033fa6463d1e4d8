"""Personal information on the way out (PIPL; GB/T 35273-2020): masked for every role but the
Office, whose full view of a record is logged (who, when, which record)."""

from app.domain.masking import PII_COLUMNS
from app.extensions import db
from app.security.roles import OFFICE
from app.security.scopes import role_names

from . import audit
from .transactions import atomic


def sees_full(user=None) -> bool:
    """Only the award office works with the full values (identity checks, M-12, M-13)."""
    return OFFICE in role_names(user)


def pii_columns(model) -> list[str]:
    return [c.key for c in model.__table__.columns if c.key in PII_COLUMNS]


def shown(column: str, value):
    """`value` of a personal-information column as the signed-in user may see it."""
    if value is None or sees_full():
        return value
    return PII_COLUMNS[column](value)


def mask_fields(model, row: dict) -> dict:
    """Mask, in place, the personal-information fields of one API row (a dict)."""
    if sees_full():
        return row
    for column in pii_columns(model):
        if row.get(column):
            row[column] = PII_COLUMNS[column](row[column])
    return row


def log_full_view(model, pk, channel: str) -> None:
    """One audit entry when the Office opens a record whose personal information it sees in
    full; nothing (and no transaction) for a record without any, or for a masked view."""
    columns = pii_columns(model)
    if columns and pk is not None and sees_full():
        _record_full_view(model, pk, channel, columns)


@atomic
def _record_full_view(model, pk, channel: str, columns: list[str]) -> None:
    item = db.session.get(model, pk)
    if item is None:
        return
    audit.record(
        "view_pii",
        item,
        f"查看「{item}」的完整个人信息（{channel}）",
        details={"channel": channel, "fields": columns},
    )
