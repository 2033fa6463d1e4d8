"""Counting the SQL statements a page or a call costs (issue 8, issue 20): every statement the
engine sends while the counter is open, so a test can hold a page to a bound that does not
grow with its rows."""

from sqlalchemy import event


class Counter:
    """`with Counter(engine) as counter: …` then `counter.count`, and `counter.sent`: each
    statement with its parameters, in order."""

    def __init__(self, engine):
        self.engine, self.sent = engine, []

    @property
    def count(self) -> int:
        return len(self.sent)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on)

    def _on(self, _conn, _cursor, statement, parameters, *_):
        self.sent.append((statement, parameters))


def engine_of(app):
    from app.extensions import db

    with app.app_context():
        return db.engine


def page_sent(app, client, path: str) -> tuple[str, list[tuple[str, object]]]:
    """The page's HTML and the statements (with their parameters) one GET of `path` sends
    after a first, warming GET (caches filled)."""
    assert client.get(path).status_code == 200, path
    with Counter(engine_of(app)) as counter:
        page = client.get(path)
    assert page.status_code == 200, path
    return page.get_data(as_text=True), counter.sent


def page_statements(app, client, path: str) -> int:
    """The statements one GET of `path` costs after a first, warming GET (caches filled)."""
    return len(page_sent(app, client, path)[1])
