"""Show pages whose action buttons follow the record's state: the actions its stage or status
allows as buttons, the others disabled with the reason (issue 16, defect 7). The services
still refuse the same actions by their rules; the page only stops offering them."""

from flask_appbuilder.widgets import ShowWidget
from sqlalchemy import inspect

from app.extensions import db


class StateAwareShowWidget(ShowWidget):
    """`unavailable(row) -> {action name: reason}` says which actions are shown disabled."""

    template = "award/show_actions_widget.html"
    model = None

    @staticmethod
    def unavailable(row) -> dict[str, str]:
        return {}

    @classmethod
    def for_model(cls, model, unavailable):
        """A show widget class for `model` with its `unavailable` rule."""
        return type(
            f"{model.__name__}ShowWidget",
            (cls,),
            {"model": model, "unavailable": staticmethod(unavailable)},
        )

    def __init__(self, **kwargs):
        kwargs["unavailable"] = self.unavailable(row) if (row := self._row(kwargs)) else {}
        super().__init__(**kwargs)

    def _row(self, kwargs):
        column = inspect(self.model).primary_key[0]
        try:
            # The id arrives from the URL as text; PostgreSQL won't compare it to an integer.
            key = column.type.python_type(kwargs.get("pk"))
        except (TypeError, ValueError):
            return None
        return db.session.get(self.model, key)
