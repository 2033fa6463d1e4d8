"""Two language gaps users reported: the dashboard's charts stayed Chinese after switching to
English, and FAB's own user, role and group screens showed English words in the Chinese
interface."""

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from tests.app.test_titles_and_language import CJK, visible_texts

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def chart_texts(page: str) -> list[str]:
    """What the dashboard's SVG charts say: every <text> (with its <tspan>s) and <title>."""
    charts = re.findall(r'<svg[^>]*class="award-chart".*?</svg>', page, re.S)
    assert len(charts) == 3, "status, category and finalists' charts"
    texts = []
    for chart in charts:
        for element in ET.fromstring(chart).iter():
            if element.tag.rsplit("}", 1)[-1] in ("text", "title"):
                # a folded axis name: its lines (<tspan>) rejoined, Chinese ones without a space
                lines = [" ".join(t.split()) for t in element.itertext() if t.strip()]
                texts.append(("" if CJK.search("".join(lines)) else " ").join(lines))
    return texts


def names_in_the_data(app) -> list[str]:
    """Names users typed in, shown as they were registered in any language: cycles, review
    groups, applicants, people; and the system's name and the language menu's 简体中文."""
    from app.extensions import db
    from models import Application, AwardCycle, ReviewGroup, User

    with app.app_context():
        names = [
            *db.session.scalars(select(AwardCycle.name)),
            *db.session.scalars(select(ReviewGroup.name)),
            *(a.applicant_name for a in db.session.scalars(select(Application))),
            *(n for u in db.session.scalars(select(User)) for n in (u.first_name, u.last_name)),
            app.config["APP_NAME"],
            *(lang["name"] for lang in app.config["LANGUAGES"].values()),
        ]
        db.session.remove()
    return sorted(set(names), key=len, reverse=True)


def without(texts: list[str], names: list[str]) -> list[str]:
    """The texts with every name from the data taken out; what is left is the interface's."""
    for name in names:
        texts = [t.replace(name, "") for t in texts]
    return texts


@pytest.mark.parametrize("year", ["", "2025"])
def test_in_english_the_dashboard_and_its_charts_show_no_chinese_but_the_data(
    app, demo, browser, year
):
    office = browser("office")
    office.get("/lang/en")
    page = office.get(f"/?year={year}" if year else "/").get_data(as_text=True)
    names = names_in_the_data(app)
    charts = chart_texts(page)
    assert [t for t in without(charts, names) if CJK.search(t)] == []
    assert [t for t in without(visible_texts(page), names) if CJK.search(t)] == []
    assert {
        "Applications per status",
        "Share of points per category (submitted scoresheets)",
        "2024 finalists: share of points per category",
        "Leadership",  # the finalists' radar axes: GB/T 19580's English category names
        "Measurement, analysis and improvement",
    } <= set(charts)
    if year:  # the 2025 material review: statuses with counts, categories with their spread
        assert {"Eligible", "Eligible: 4 applications", "1 application", "4.1 Leadership"} <= set(
            charts
        )
        assert "4.1 Leadership: mean 71.8% (lowest 60.0%, highest 83.2%)" in charts
    else:  # 2027 at intake: nothing scored yet
        assert "No data yet" in charts


@pytest.mark.parametrize("year", ["", "2025"])
def test_in_chinese_the_dashboard_charts_carry_their_chinese_titles_and_labels(
    app, demo, browser, year
):
    page = browser("office").get(f"/?year={year}" if year else "/").get_data(as_text=True)
    charts = chart_texts(page)
    assert {"申报状态分布", "各类目得分率（已提交评分表）", "2024年度入围对象各类目得分率"} <= set(
        charts
    )
    assert {"领导", "测量、分析与改进"} <= set(charts)
    assert not [t for t in charts if ENGLISH_WORD.search(t)]
    if year:
        assert {"资格审查通过：4 件", "1 件", "4.1 领导"} <= set(charts)
        assert "4.1 领导：平均 71.8%（60.0%～83.2%）" in charts
    else:
        assert "暂无数据" in charts


def fab_labels(page: str) -> list[str]:
    """The words FAB's screens label things with: panel titles, table headers, form labels,
    help texts and the search filters' names; record values are left out."""
    found = []
    for pattern in (
        r'class="panel-title"[^>]*>(.*?)</',
        r"<th[^>]*>(.*?)</th>",
        r"<label[^>]*>(.*?)</label>",
        r'class="help-block"[^>]*>(.*?)</',
        r'<a href="#" name="\w+" class="filter">(.*?)</a>',
    ):
        for raw in re.findall(pattern, page, re.S):
            text = " ".join(re.sub(r"<[^>]+>|&#42;|\*", " ", raw).split())
            if text:
                found.append(text)
    return found


# FAB names the group screen's columns and the role screen's search filters after the attributes
# ("Name", "Label", "User"), outside any catalogue: app.security's manager hands FAB views that
# label them (RoleModelView, UserGroupModelView), and the catalogue has their Chinese.
SCREENS = {
    # screen: what its pages must show in Chinese, by page
    "users": {
        "list": {"用户列表", "用户名", "角色", "用户组"},
        "edit": {"不建议删除用户，停用即可"},
    },
    # The role list searches by name only (issue 20: its user and group filters listed every
    # user and every group on each page; a user's roles and groups are on the user list).
    "roles": {"list": {"角色列表", "名称", "权限"}, "show": {"显示角色"}},
    "groups": {"list": {"用户组列表", "名称", "标签", "角色"}, "show": {"说明", "用户"}},
}


@pytest.mark.parametrize(
    "screen",
    ["users", "roles", "groups"],
)
def test_fab_user_role_and_group_screens_show_no_english_in_chinese(app, demo, browser, screen):
    """As Admin: the list, add, edit and show pages of FAB's user, role and group screens."""
    from app.extensions import db

    with app.app_context():
        sm = app.appbuilder.sm
        group = sm.group_model(name="office-staff", label="市质评办", description="办公室人员")
        group.roles = [sm.find_role("Office")]
        db.session.add(group)
        db.session.commit()
        pk = {
            "users": sm.find_user(username="office").id,
            "roles": sm.find_role("Office").id,
            "groups": group.id,
        }[screen]
        db.session.remove()
    admin = browser("admin")
    pages = {
        "list": f"/{screen}/list/",
        "add": f"/{screen}/add",
        "edit": f"/{screen}/edit/{pk}",
        "show": f"/{screen}/show/{pk}",
    }
    english: dict[str, set[str]] = {}
    shown = {}
    for page, path in pages.items():
        resp = admin.get(path)
        assert resp.status_code == 200, path
        shown[page] = fab_labels(resp.get_data(as_text=True))
        for text in shown[page]:
            if ENGLISH_WORD.search(text) and not CJK.search(text):  # "LDAP认证" is Chinese
                english.setdefault(text, set()).add(path)
    assert english == {}
    for page, chinese in SCREENS[screen].items():  # the pages were read, their words are there
        assert chinese <= set(shown[page]), (page, shown[page])


def test_in_english_the_scoresheet_list_links_each_sheet_in_english(app, demo, browser):
    """The score-sheet list's per-row link was a Chinese literal in the English interface."""
    office = browser("office")
    office.get("/lang/en")
    page = office.get("/scoresheetview/list/").get_data(as_text=True)
    assert ">Open the scoresheet</a>" in page
    assert "打开评分表" not in page
