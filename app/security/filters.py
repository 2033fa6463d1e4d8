"""A FAB base filter that applies the current user's row scope (app.security.scopes)."""

from flask_appbuilder.models.filters import BaseFilter

from .scopes import scope


class RowScope(BaseFilter):
    name = "按用户范围"
    arg_name = "scope"

    def apply(self, query, value):
        return scope(self.model, query)


def scoped(column: str = "id") -> list[list]:
    """`base_filters` value for a view whose rows are scoped to the user."""
    return [[column, RowScope, None]]
