"""The third-party agency's journey in a real browser (M-6, M-10, M-25): agency1 forms a
material review group for the 2025 cycle its agency runs, with an industry expert as leader
and two more qualified reviewers without conflicts, and assigns an eligible application; the
blank scoresheets are made for every member."""

from sqlalchemy import func, select

from tests.app.test_agency import new_eligible_application, serving_reviewers
from tests.browser.conftest import follow
from tests.browser.test_office_journey import flashes, list_rows


def _pick(page, select_id, text):
    option = page.locator(f"select#{select_id} option", has_text=text).first
    page.select_option(f"select#{select_id}", value=option.get_attribute("value"), force=True)


def _save(journey, page, list_path):
    follow(page, "button[type=submit], input[type=submit]")
    assert "记录已添加" in flashes(page), (
        list_path,
        flashes(page),
        page.locator(".has-error, .text-danger, .help-block").all_inner_texts(),
    )


def test_the_agency_forms_a_group_without_conflicts_and_assigns_an_application_m6_m25(app, journey):
    from app.extensions import db
    from models import ReviewAssignment, Scoresheet

    with app.app_context():
        application = new_eligible_application(2025)
        number = application.number
        expert, others = serving_reviewers()
        members = [expert.code, others[0].code, others[1].code]
        db.session.remove()

    journey.login("agency1")
    page = journey.go("/awardcycleview/list/")
    names = [r["cells"]["名称"] for r in list_rows(page)]
    assert any(n.startswith("2025年度") for n in names) and not any(
        n.startswith("2026年度") for n in names
    ), names  # only the cycles its agency runs (M-6)
    journey.shot("cycles")

    page = journey.go("/reviewgroupview/add")
    _pick(page, "cycle", "2025年度")
    page.fill("#name", "2025年材料评审第三组（第三方机构组建）")
    page.select_option("select#stage", "material", force=True)
    journey.shot("group-form")
    _save(journey, page, "/reviewgroupview/list/")

    for code in members:
        page = journey.go("/reviewgroupmemberview/add")
        _pick(page, "group", "第三方机构组建")
        _pick(page, "reviewer", code)
        if code == expert.code:
            page.check("#is_leader")
        _save(journey, page, "/reviewgroupmemberview/list/")
    journey.shot("members")

    page = journey.go("/reviewassignmentview/add")
    _pick(page, "group", "第三方机构组建")
    _pick(page, "application", number)
    page.select_option("select#stage", "material", force=True)
    journey.shot("assignment-form")
    _save(journey, page, "/reviewassignmentview/list/")
    page = journey.go("/reviewassignmentview/list/?psize_ReviewAssignmentView=100")
    assert any(number in r["cells"].get("申报", "") for r in list_rows(page))
    journey.shot("assigned")

    with app.app_context():
        assignment = db.session.scalar(
            select(ReviewAssignment).where(ReviewAssignment.application_id == application.id)
        )
        assert assignment is not None and assignment.stage == "material"
        sheets = db.session.scalar(
            select(func.count())
            .select_from(Scoresheet)
            .where(Scoresheet.group_id == assignment.group_id)
        )
        assert sheets == 3
        db.session.remove()
