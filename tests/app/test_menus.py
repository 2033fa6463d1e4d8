"""No role sees an empty menu category (issue 16, defect 6): a category shows only when the role
may open at least one of its screens, in the navbar and in the menu API."""

import lxml.html
import pytest

DEMO_USERS = (
    "admin",
    "office",
    "leader1",
    "reviewer1",
    "committee1",
    "recommender1",
    "sysadmin",
    "auditor1",
)


@pytest.mark.parametrize("username", DEMO_USERS)
def test_no_menu_category_of_a_demo_role_is_empty(demo, browser, api, username):
    page = browser(username).get("/").get_data(as_text=True)
    doc = lxml.html.fromstring(page)
    empty = [
        " ".join(li.xpath("./a//text()")).strip()
        for li in doc.xpath('//ul[contains(@class, "navbar-nav")]/li[contains(@class, "dropdown")]')
        if not li.xpath(
            './ul[contains(@class, "dropdown-menu")]/li[not(contains(@class, "divider"))]'
        )
        and li.xpath('./ul[contains(@class, "dropdown-menu")]')
    ]
    assert not empty, f"{username} 看到空菜单：{empty}"
    menu = api(username).get("/api/v1/menu/").get_json()["result"]
    assert not [m["label"] for m in menu if "childs" in m and not m["childs"]]


def test_a_reviewer_sees_review_but_not_applicants_or_awards(demo, browser):
    page = browser("reviewer1").get("/").get_data(as_text=True)
    assert "专家评审" in page
    for empty in ("申报主体", "评议与表彰", "获奖后管理"):
        assert f"{empty}<b" not in page.replace("\n", "")
