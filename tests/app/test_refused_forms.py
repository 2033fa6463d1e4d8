"""A refused add or edit comes back as the form, with everything typed and the rule's message
beside the field; nothing is saved (issue 16, defect 2)."""

from datetime import date

import lxml.html
from sqlalchemy import func, select

from models import AwardCycle, Organization
from tests import factories as f


def _office(app, db, browser):
    f.user(app, "office", "Office")
    db.session.commit()
    return browser("office")


def _field_errors(page: str, name: str) -> str:
    """The text of the error beside field `name` (FAB renders it after the input)."""
    doc = lxml.html.fromstring(page)
    field = doc.xpath(f'//*[@name="{name}"]')
    assert field, f"表单中没有字段 {name}"
    cell = field[0].xpath("ancestor::td[1]")[0]
    return " ".join(cell.xpath('.//*[contains(@class, "alert-danger")]//text()'))


def _value(page: str, name: str) -> str:
    doc = lxml.html.fromstring(page)
    field = doc.xpath(f'//*[@name="{name}"]')
    assert field, f"表单中没有字段 {name}"
    node = field[0]
    if node.tag == "textarea":
        return node.text_content().strip()
    if node.tag == "select":
        chosen = node.xpath(".//option[@selected]/@value")
        return chosen[0] if chosen else ""
    return node.get("value") or ""


def test_a_refused_organization_comes_back_with_what_was_typed_and_the_rule_beside_the_field(
    app, db, browser
):
    """GB 32100-2015: credit code 12345 is refused; the clerk does not retype the form."""
    b = _office(app, db, browser)
    resp = b.post(
        "/organizationview/add",
        {
            "name": "伊宁市某乳业有限公司",
            "credit_code": "12345",
            "legal_form": "legal_person",
            "industry": "C",
            "address": "伊宁市解放路 1 号",
        },
    )
    assert resp.status_code == 200, resp.headers.get("Location")
    page = resp.get_data(as_text=True)
    assert _value(page, "name") == "伊宁市某乳业有限公司"
    assert _value(page, "credit_code") == "12345"
    assert _value(page, "legal_form") == "legal_person"
    beside = _field_errors(page, "credit_code")
    assert "18 位" in beside and "GB 32100-2015" in beside
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 0


def test_a_bad_check_character_keeps_the_form_too(app, db, browser):
    """GB 32100-2015: the 18th character is a check character."""
    b = _office(app, db, browser)
    good = f.credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    resp = b.post(
        "/organizationview/add",
        {"name": "伊宁市某公司", "credit_code": bad, "legal_form": "legal_person", "industry": "C"},
    )
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert _value(page, "credit_code") == bad
    assert "校验位错误" in _field_errors(page, "credit_code")


def _cycle_form(cycle) -> dict:
    from views.cycles import AwardCycleView

    values = {
        "version_check": str(cycle.version),
        "criteria_version": str(cycle.criteria_version_id),
    }
    for column in AwardCycleView.edit_columns:
        if column in ("criteria_version", "version_check"):
            continue
        value = getattr(cycle, column)
        if isinstance(value, bool):
            if value:
                values[column] = "y"
        elif value is not None:
            values[column] = str(value)
    return values


def test_a_refused_cycle_edit_comes_back_with_the_typed_dates_and_nothing_changes(app, db, browser):
    """Dates in order (M-3): an application start after the deadline is refused on the form."""
    b = _office(app, db, browser)
    cycle = f.cycle(db.session, year=2030, stage="draft")
    db.session.commit()
    form = {**_cycle_form(cycle), "opens_on": "2031-02-01", "name": "改过的名称"}
    resp = b.post(f"/awardcycleview/edit/{cycle.id}", form)
    assert resp.status_code == 200, resp.headers.get("Location")
    page = resp.get_data(as_text=True)
    assert _value(page, "opens_on") == "2031-02-01"
    assert _value(page, "name") == "改过的名称"
    assert "早于" in _field_errors(page, "deadline") + _field_errors(page, "opens_on")
    db.session.expire_all()
    kept = db.session.get(AwardCycle, cycle.id)
    assert kept.opens_on == date(2030, 1, 1) and kept.name != "改过的名称"


def test_a_refused_cycle_add_comes_back_and_adds_nothing(app, db, browser):
    b = _office(app, db, browser)
    cycle = f.cycle(db.session, year=2030, stage="draft")
    db.session.commit()
    form = {**_cycle_form(cycle), "year": "2040", "opens_on": "2041-02-01"}
    form.pop("version_check")
    form["deadline"] = "2040-12-31"
    resp = b.post("/awardcycleview/add", form)
    assert resp.status_code == 200, resp.headers.get("Location")
    assert _value(resp.get_data(as_text=True), "year") == "2040"
    assert db.session.scalar(select(func.count()).select_from(AwardCycle)) == 1


def test_an_accepted_add_still_goes_back_to_the_list(app, db, browser):
    b = _office(app, db, browser)
    resp = b.post(
        "/organizationview/add",
        {
            "name": "伊宁市某公司",
            "credit_code": f.credit_code(),
            "legal_form": "legal_person",
            "industry": "C",
        },
    )
    assert resp.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 1


def test_a_relation_selects_empty_choice_reads_please_choose_not_none(app, db, browser):
    """Issue 16, defect 4: `__None` was shown in the organization and individual selects."""
    b = _office(app, db, browser)
    page = b.get("/incidentview/add").get_data(as_text=True)
    doc = lxml.html.fromstring(page)
    blanks = doc.xpath('//option[@value="__None"]')
    assert blanks and all(o.text_content().strip() == "（请选择）" for o in blanks)
    assert ">__None<" not in page
