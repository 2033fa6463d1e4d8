"""The inbox: a bell with the unread count on every page, marking read, each user's own
notices only (another user's notice is a 404 on the screen and through the API), and the
e-mail preference."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.statements import page_sent

BELL = re.compile(r'id="award-bell-count">(\d+)<')
DAY = date(2026, 11, 24)  # the demo's day: reviewer2 has one sheet assigned and overdue


@pytest.fixture
def reminded(app, demo):
    """The demo after `remind`; yields {username: [notice ids]}."""
    from app.extensions import db
    from app.services import notifications as svc
    from models import Notification, User

    with app.app_context():
        svc.remind(DAY)
        rows = db.session.execute(
            select(User.username, Notification.id)
            .join(User, User.id == Notification.user_id)
            .order_by(Notification.id)
        ).all()
        db.session.remove()
    ids: dict[str, list[int]] = {}
    for username, notice_id in rows:
        ids.setdefault(username, []).append(notice_id)
    return ids


def bell(page) -> int | None:
    found = BELL.findall(page.get_data(as_text=True))
    return int(found[0]) if found else None


def test_the_bell_shows_the_unread_count_on_every_page(app, reminded, browser):
    reviewer = browser("reviewer2")
    assert len(reminded["reviewer2"]) == 2
    for path in ("/", "/applicationview/list/", "/notificationview/list/"):
        page = reviewer.get(path)
        assert page.status_code == 200, path
        assert bell(page) == 2, path
        assert 'id="award-bell"' in page.get_data(as_text=True)
    office = browser("office")
    assert bell(office.get("/")) == len(reminded["office"])
    committee = browser("committee1")
    page = committee.get("/")
    # The demo's committee-vote cycle has a candidate whose vote is not recorded yet.
    assert bell(page) == len(reminded["committee1"]) == 1


def test_the_bell_is_not_shown_to_a_visitor_who_is_not_signed_in(app, reminded):
    page = app.test_client().get("/login/").get_data(as_text=True)
    assert 'id="award-bell"' not in page


def test_the_bell_costs_one_query_per_page(app, reminded, browser):
    reviewer = browser("reviewer2")
    _page, sent = page_sent(app, reviewer.client, "/")
    assert len([s for s, _params in sent if "notification" in s]) == 1


def test_opening_a_notice_reads_it_and_mark_read_reads_the_selected_ones(app, reminded, browser):
    first, second = reminded["reviewer2"]
    reviewer = browser("reviewer2")
    page = reviewer.get(f"/notificationview/show/{first}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "/scoresheetview/entry/" in text and "2025年材料评审第一组" in text
    assert bell(page) == 1
    done = reviewer.post(
        "/notificationview/action_post",
        {"action": "mark_read", "rowid": [second]},
        token_from="/notificationview/preferences",
    )
    assert done.status_code == 302
    assert bell(reviewer.get("/")) is None
    listing = reviewer.get("/notificationview/list/").get_data(as_text=True)
    assert len(re.findall(r"/notificationview/show/\d+", listing)) == 2
    assert not re.search(r"<td>\s*未读\s*</td>", listing)


def test_a_user_sees_only_their_own_notices(app, reminded, browser, api):
    mine, theirs = reminded["reviewer2"], reminded["reviewer1"]
    reviewer = browser("reviewer2")
    listing = reviewer.get("/notificationview/list/").get_data(as_text=True)
    shown = {int(i) for i in re.findall(r"/notificationview/show/(\d+)", listing)}
    assert shown == set(mine)
    assert reviewer.get(f"/notificationview/show/{theirs[0]}").status_code == 404
    refused = reviewer.post(
        "/notificationview/action_post",
        {"action": "mark_read", "rowid": [theirs[0]]},
        token_from="/notificationview/preferences",
    )
    assert refused.status_code == 404

    client = api("reviewer2")
    listed = client.get("/api/v1/notification/").json
    assert {row["id"] for row in listed["result"]} == set(mine)
    assert client.get(f"/api/v1/notification/{theirs[0]}").status_code == 404
    assert client.post(f"/api/v1/notification/{theirs[0]}/mark_read").status_code == 404
    assert client.get(f"/api/v1/notification/{mine[0]}").status_code == 200
    done = client.post(f"/api/v1/notification/{mine[0]}/mark_read")
    assert done.status_code == 200 and done.json["unread"] == 1

    from app.extensions import db
    from models import Notification

    with app.app_context():
        assert db.session.get(Notification, theirs[0]).read_at is None
        db.session.remove()


def test_each_user_turns_email_off_and_on_for_themselves(app, reminded, browser, api):
    from app.extensions import db
    from app.services import notifications as svc
    from models import User

    reviewer = browser("reviewer2")
    page = reviewer.get("/notificationview/preferences")
    assert page.status_code == 200
    assert "reviewer2@award.yining.example" in page.get_data(as_text=True)
    saved = reviewer.post("/notificationview/preferences", {})  # box unticked
    assert saved.status_code == 302
    page = reviewer.get("/notificationview/preferences").get_data(as_text=True)
    assert re.search(r'id="email_enabled"\s*>', page)  # no longer checked
    with app.app_context():
        ids = dict(db.session.execute(select(User.username, User.id)).all())
        assert svc.email_enabled(ids["reviewer2"]) is False
        assert svc.email_enabled(ids["reviewer1"]) is True
        db.session.remove()

    client = api("reviewer2")
    assert client.get("/api/v1/notification/preferences").json["email_enabled"] is False
    turned = client.put("/api/v1/notification/preferences", json={"email_enabled": True})
    assert turned.status_code == 200 and turned.json["email_enabled"] is True
    assert (
        client.put("/api/v1/notification/preferences", json={"email_enabled": "yes"}).status_code
        == 400
    )
    with app.app_context():
        assert svc.email_enabled(ids["reviewer2"]) is True
        db.session.remove()
