"""Show pages whose action buttons follow the record's state: the actions its stage or status
allows as buttons, the others disabled with the reason (issue 16, defect 7). The services
still refuse the same actions by their rules; the page only stops offering them."""

from flask_appbuilder.widgets import ShowWidget

from app.extensions import db


class StateAwareShowWidget(ShowWidget):
    """`unavailable(row) -> {action name: reason}` says which actions are shown disabled."""

    template = "award/show_actions_widget.html"
    model = None

    @staticmethod
    def unavailable(row) -> dict[str, str]:
        return {}

    def __init__(self, **kwargs):
        row = db.session.get(self.model, kwargs.get("pk")) if kwargs.get("pk") else None
        kwargs["unavailable"] = self.unavailable(row) if row is not None else {}
        super().__init__(**kwargs)


def state_aware(model, unavailable):
    """A show widget class for `model` with its `unavailable` rule."""
    return type(
        f"{model.__name__}ShowWidget",
        (StateAwareShowWidget,),
        {"model": model, "unavailable": staticmethod(unavailable)},
    )
