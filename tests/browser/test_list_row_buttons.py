"""The row buttons of a list page in a real browser: the list widget builds them once per page
and one click handler serves every delete button (issue 8), so check that a clerk can still
open, edit and delete a row, and that a delete which would orphan records is refused."""

from datetime import date

from sqlalchemy import select

from tests.browser.conftest import follow


def _add_holiday(app, day, name):
    from app.extensions import db
    from models import NoticeHoliday

    with app.app_context():
        holiday = NoticeHoliday(day=day, name=name)
        db.session.add(holiday)
        db.session.commit()
        return holiday.id


def _holiday_exists(app, pk) -> bool:
    from app.extensions import db
    from models import NoticeHoliday

    with app.app_context():
        db.session.expire_all()
        return db.session.scalar(select(NoticeHoliday.id).where(NoticeHoliday.id == pk)) is not None


def test_a_clerk_opens_edits_and_deletes_a_row_from_its_buttons(app, journey):
    keep = _add_holiday(app, date(2031, 10, 1), "国庆节")
    gone = _add_holiday(app, date(2031, 10, 2), "国庆节（第二天）")
    journey.login("office")
    page = journey.go("/noticeholidayview/list/")
    row = page.locator("tr", has_text="国庆节（第二天）")

    # Show and edit open the row's own record.
    follow(page, row.locator("a[title='查看记录'], a[href*='/show/']").first)
    assert f"/show/{gone}" in page.url
    page.go_back()
    follow(page, row.locator("a[href*='/edit/']"))
    assert f"/edit/{gone}" in page.url
    page.go_back()

    # Delete asks first (cancel keeps the row), then deletes only that row.
    row.locator(".award-row-delete").click()
    page.wait_for_selector("#modal-confirm", state="visible")
    assert "删除" in page.locator("#modal-confirm .modal-body").inner_text()
    page.click("#modal-confirm button[data-dismiss=modal]")
    page.wait_for_selector("#modal-confirm", state="hidden")
    assert _holiday_exists(app, gone)

    row.locator(".award-row-delete").click()
    page.wait_for_selector("#modal-confirm", state="visible")
    journey.shot("confirm-delete")
    follow(page, "#modal-confirm-ok")
    assert not _holiday_exists(app, gone)
    assert _holiday_exists(app, keep)
    assert page.locator("tr", has_text="国庆节（第二天）").count() == 0


def test_deleting_an_organization_with_applications_is_refused_from_the_list(app, journey):
    """A delete that would orphan records is refused with a message naming them."""
    from app.extensions import db
    from models import Application, Organization

    with app.app_context():
        org = db.session.scalars(
            select(Organization).join(Application, Application.organization_id == Organization.id)
        ).first()
        name, pk = org.name, org.id
    journey.login("office")
    page = journey.go(f"/organizationview/list/?_flt_0_name={name}")
    page.locator("tr", has_text=name).locator(".award-row-delete").click()
    page.wait_for_selector("#modal-confirm", state="visible")
    follow(page, "#modal-confirm-ok")
    message = " ".join(page.locator(".alert").all_inner_texts())
    assert "申报" in message, message
    with app.app_context():
        db.session.expire_all()
        assert db.session.get(Organization, pk) is not None
