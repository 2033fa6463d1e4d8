"""Every foreign key and every list screen's default sort column has an index (issue 8: a list
page or a delete's dependents check must not scan a table of hundreds of thousands of rows)."""

import pytest
from flask_appbuilder import Model

import models  # noqa: F401 - registers the award's tables on FAB's metadata


def _indexed_leading_columns(table) -> set[str]:
    """Columns a lookup can find through an index: the first column of an index, a unique
    constraint or the primary key."""
    leading = {next(iter(index.columns)).name for index in table.indexes if index.columns}
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", []))
        kind = type(constraint).__name__
        if columns and kind in ("UniqueConstraint", "PrimaryKeyConstraint"):
            leading.add(columns[0].name)
    return leading


AWARD_TABLES = [t for t in Model.metadata.sorted_tables if not t.name.startswith("ab_")]


@pytest.mark.parametrize("table", AWARD_TABLES, ids=lambda t: t.name)
def test_every_foreign_key_is_indexed(table):
    leading = _indexed_leading_columns(table)
    unindexed = sorted(fk.parent.name for fk in table.foreign_keys if fk.parent.name not in leading)
    assert unindexed == [], f"{table.name}: foreign keys without an index: {unindexed}"


def _list_views():
    from views import MENU

    for _category, _label, _icon, items in MENU:
        for view_cls, _label2, _icon2 in items:
            yield view_cls


@pytest.mark.parametrize("view_cls", list(_list_views()), ids=lambda v: v.__name__)
def test_every_list_screens_default_order_is_indexed(view_cls):
    order = getattr(view_cls, "base_order", None)
    if not order:
        return  # FAB orders by the primary key
    model = view_cls.datamodel.obj
    table = model.__table__
    column = order[0]
    assert column in table.c, f"{view_cls.__name__}.base_order names {column}, not a column"
    assert column in _indexed_leading_columns(table), (
        f"{view_cls.__name__} sorts by {table.name}.{column} without an index"
    )
