"""An applicant's journey in a real browser (issue 18): registers, is approved by the Office
(M-8), applies online with the live checklist and autosave (M-18), is returned for a supplement
by the Office (M-19.1), supplements only what was asked and resubmits; and a winner files its
annual report online (M-27, M-22, M-23)."""

import re

from app.domain.identifiers import make_credit_code
from tests.browser.conftest import follow

from .test_office_journey import flashes, list_rows

PASSWORD = "Yining#2027abc"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BASIC = {
    "registered_address": "伊宁市解放西路88号",
    "legal_representative": "马建新",
    "operating_since": "2014-05-01",
    "employees": "86",
    "contact_name": "马建新",
    "contact_phone": "0999-8030303",
}


def _logout(journey):
    journey.go("/logout/")


def _wait_saved(page):
    page.wait_for_function(
        "document.getElementById('autosave-state').textContent.indexOf('已自动保存') >= 0"
    )


def test_an_applicant_registers_applies_is_returned_supplements_and_resubmits(journey):
    """M-8, M-18, M-19.1 in one browser: nothing but the asked part may change on return."""
    page = journey.go("/public/register")
    page.fill("#name", "伊宁市天润包装有限公司")
    page.fill("#credit_code", make_credit_code("91654002MA7TRB101"))
    page.select_option("#industry_code", "C")
    page.fill("#contact_name", "马建新")
    page.fill("#email", "tianrun@example.cn")
    page.fill("#username", "tianrun")
    page.fill("#password", PASSWORD)
    follow(page, "#register-submit")
    assert "待市质评办核实" in page.inner_text("#registered")
    journey.shot("registered")

    journey.login("office")
    page = journey.go("/applicantaccountview/list/")
    newest = list_rows(page)[0]
    follow(page, f"a[href='{newest['show']}']")
    assert "伊宁市天润包装有限公司" in page.content()
    follow(page, "#approve-account")
    assert "已开通申报账户 tianrun" in flashes(page)
    _logout(journey)

    journey.login("tianrun", PASSWORD)
    page = journey.go("/applicant/")
    assert "伊宁市天润包装有限公司" in page.inner_text("#applicant-home")
    assert page.locator(".award-deadline").count() >= 1  # the deadline from the first page
    page.select_option("select[name=prize]", "award")
    follow(page, "text=开始网上申报")
    form_url = page.url
    pk = re.search(r"/applicant/application/(\d+)", form_url)[1]
    assert "M-11.2" in page.inner_text("#checklist")
    for field, value in BASIC.items():
        page.fill(f"#{field}", value)
    page.check("input[name=no_incidents]")
    page.check("input[name=truthful]")
    for key in ("leadership", "strategy", "customers", "resources", "processes", "measurement"):
        page.fill(f"#sa_{key}", f"本单位在{key}方面的做法和成效")
    page.fill("#sa_results", "近三年营业收入年均增长12%")
    page.select_option("#recommender_id", index=1)
    _wait_saved(page)
    journey.shot("draft-saved")
    for kind in ("registration", "certificate", "trademark", "accounts"):
        page.select_option("#upload-form select[name=kind]", kind)
        page.set_input_files(
            "#upload-form input[name=file]",
            {"name": f"{kind}.png", "mimeType": "image/png", "buffer": PNG},
        )
        follow(page, "#upload-form button[type=submit]")
    assert "缺" not in page.inner_text("#checklist")
    follow(page, "#submit-application")
    assert "已提交" in flashes(page)
    assert page.locator("#draft-form fieldset[disabled]").count() == 4  # read-only now
    journey.shot("submitted")
    _logout(journey)

    journey.login("office")
    page = journey.go(f"/applicationview/checklist/{pk}")
    page.check("#outcome-form input[value=returned_incomplete]")
    page.fill("#outcome-form textarea[name=missing_items]", "自评报告“结果”部分缺少近三年质量指标")
    page.check("#supplement-sections input[value=self_assessment]")
    follow(page, "#outcome-form button[type=submit]")
    assert "退回补正" in flashes(page)
    _logout(journey)

    journey.login("tianrun", PASSWORD)
    page = journey.go("/applicant/")
    assert "缺少近三年质量指标" in page.inner_text("#my-applications")
    page = journey.go(form_url.removeprefix(journey.base))
    assert "M-19.1" in page.inner_text("#supplement-notice")
    assert page.locator("#registered_address").is_disabled()  # only what was asked
    page.fill("#sa_results", "近三年营业收入年均增长12%；产品一次交验合格率99.3%")
    _wait_saved(page)
    journey.shot("supplemented")
    follow(page, "#submit-application")
    assert "已提交" in flashes(page)
    assert "已提交" in page.inner_text("#standing")
    journey.shot("resubmitted")


def test_a_winner_files_its_annual_report_online(app, journey):
    """M-27 with the new goals (M-22) and the experience shared (M-23)."""
    from tests.app.test_applicants_online import _winner_account

    report_id, _version = _winner_account(app)  # applicant2 stands for a winner owing one
    journey.login("applicant2")
    page = journey.go("/applicant/")
    follow(page, f"#my-reports a[href='/applicant/report/{report_id}']")
    page.fill("#revenue", "12800000")
    page.fill("#profit", "960000")
    page.fill("#quality_results", "顾客满意度92分")
    page.fill("#experience_shared", "在全市质量大会上交流卓越绩效经验")
    follow(page, "#submit-report")
    assert "M-22" in flashes(page)
    page.fill("#improvement_goals", "两年内产品一次合格率达到99.5%")
    follow(page, "#submit-report")
    assert "年度报告已提交" in flashes(page)
    journey.shot("report-filed")
