"""The test harness itself: two signed-in clients in one test stay two different users."""

from tests import factories as f


def test_two_clients_in_one_test_act_as_their_own_users(app, db, browser):
    f.user(app, "office", "Office")
    f.user(app, "committee1", "Committee")
    db.session.commit()
    office = browser("office")
    committee = browser("committee1")
    assert office.get("/organizationview/add").status_code == 200
    assert committee.get("/organizationview/add").status_code == 403
    assert office.get("/organizationview/add").status_code == 200
