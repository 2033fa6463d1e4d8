"""Counting the SQL statements a page or a call costs (issue 8, issue 20): every statement the
engine sends while the counter is open, so a test can hold a page to a bound that does not
grow with its rows."""

from sqlalchemy import event


class Counter:
    """`with Counter(engine) as counter: …` then `counter.count`."""

    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on)

    def _on(self, *args):
        self.count += 1


def page_statements(app, client, path: str) -> int:
    """The statements one GET of `path` costs after a first, warming GET (caches filled)."""
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    assert client.get(path).status_code == 200, path
    with Counter(engine) as counter:
        assert client.get(path).status_code == 200, path
    return counter.count
