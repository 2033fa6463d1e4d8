"""Signed-in clients for the app tests, each request in its own app context: the `db` fixture
holds one open and Flask 3 would reuse it, leaking `g` and the signed-in user from one user's
client to the next (FAB-NOTES). The fixtures `as_user` and `as_api` (tests/app/conftest.py)
hand these out by username."""


def isolate(app, client):
    """Run each request of a test client in its own app context."""
    original = client.open

    def open_(*args, **kwargs):
        with app.app_context():
            return original(*args, **kwargs)

    client.open = open_
    return client


def web(app, browser, username):
    """A logged-in browser whose requests never see another user's `g`."""
    b = browser()
    isolate(app, b.client)
    b.username = username
    b.login(username)
    return b


def rest(app, api, username):
    """A JWT client whose requests never see another user's `g`."""
    client = api(username)
    isolate(app, client.client)
    return client
