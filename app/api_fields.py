"""What the REST API accepts in a body: a related row only by the key of an existing row, an enum
column only its values, numbers only within the column's range, text without NUL characters.

FAB's schemas take anything and leave the database to object: an unknown related id (or a
dict) built a new related row, a wrong enum value reached the rules as a ValueError, a big
number or a NUL character failed on PostgreSQL; each was a 500 (issue 9, schemathesis)."""

from decimal import Decimal

from flask_appbuilder.api.convert import Model2SchemaConverter
from marshmallow import ValidationError, validate
from marshmallow_sqlalchemy import field_for
from marshmallow_sqlalchemy.fields import Related
from sqlalchemy import Integer, Numeric, String, Text

from app.extensions import db

INT_MAX = 2**31 - 1  # PostgreSQL's integer; SQLite accepts more, the rules never need it


def row_key(model, value):
    """`value` as a primary key of `model`, or None when no row can have it."""
    column = model.__mapper__.primary_key[0]
    if isinstance(value, bool):
        return None
    if isinstance(column.type, Integer):
        if isinstance(value, str) and value.isdigit() and len(value) <= 10:
            value = int(value)
        return value if isinstance(value, int) and 0 < value <= INT_MAX else None
    length = getattr(column.type, "length", None) or 255
    return value if isinstance(value, str) and 0 < len(value) <= length else None


class ExistingRow(Related):
    """A related row named by its key; never a new row built from the request."""

    def _deserialize(self, value, *args, **kwargs):
        model = self.related_model
        key = row_key(model, value)
        row = db.session.get(model, key) if key is not None else None
        if row is None:
            raise ValidationError(f"没有编号为 {value!r} 的记录：只能引用已有的记录")
        return row


def _no_nul(value) -> None:
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError("文本中不能含有 NUL 字符")


def _validators_for(column) -> list:
    enum_cls = column.info.get("enum")
    if enum_cls is not None:
        values = [e.value for e in enum_cls]
        return [validate.OneOf(values, error=f"取值应为其中之一：{'、'.join(values)}")]
    kind = column.type
    if isinstance(kind, Integer):
        return [validate.Range(-INT_MAX, INT_MAX, error="整数超出范围")]
    if isinstance(kind, Numeric) and kind.precision:
        bound = Decimal(10) ** (kind.precision - (kind.scale or 0))
        return [
            validate.Range(
                -bound, bound, min_inclusive=False, max_inclusive=False, error="数值超出范围"
            )
        ]
    if isinstance(kind, (String, Text)):
        return [_no_nul]
    return []


class AwardSchemaConverter(Model2SchemaConverter):
    """FAB's converter with the checks above on every writable column and relation."""

    def _column2relation(self, datamodel, column, nested=False, parent_schema_name=None):
        field = super()._column2relation(
            datamodel, column, nested=nested, parent_schema_name=parent_schema_name
        )
        if nested:
            return field  # read side: the related row's key, as FAB nests it
        strict = field_for(datamodel.obj, column.name, field_class=ExistingRow)
        strict.required = field.required
        strict.unique = getattr(field, "unique", False)
        return strict

    def _column2field(self, datamodel, column, nested=True, parent_schema_name=None):
        field = super()._column2field(
            datamodel, column, nested=nested, parent_schema_name=parent_schema_name
        )
        sqla_column = datamodel.obj.__table__.c.get(column.name)
        if sqla_column is not None and not datamodel.is_relation(column.name):
            field.validators.extend(_validators_for(sqla_column))
        return field
