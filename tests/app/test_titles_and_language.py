"""Look and language (issue 10): every screen in Simplified Chinese with its own titles, forms
grouped into fieldsets with help from the regulation, and an English switch."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel.speaklater import LazyString
from sqlalchemy import inspect, select

from app.domain import enums
from views import MENU
from views.labels import COLUMN_LABELS

REPO = Path(__file__).resolve().parents[2]
FAB_ZH = Path(__import__("flask_appbuilder").__file__).parent / "translations/zh/LC_MESSAGES"
CJK = re.compile(r"[\u4e00-\u9fff]")
GENERATED_TITLE = re.compile(r"^(List|Show|Add|Edit) [A-Z]")
# FAB's own security screens an Admin reaches from the menu. Its group screen is left out: FAB
# labels that screen's columns with names made from the attributes, which no catalogue reaches.
FAB_LISTS = [
    "/users/list/",
    "/roles/list/",
    "/groups/list/",
    "/permissions/list/",
    "/viewmenus/list/",
]


def fab_english() -> set[str]:
    """Every string FAB shows in English unless a catalogue translates it."""
    with open(FAB_ZH / "messages.po", "rb") as f:
        ids = {m.id for m in read_po(f) if m.id and isinstance(m.id, str)}
    return ids | {"OK", "Cancel", "Edit", "Show", "Delete", "Back", "Add"}


class Visible(HTMLParser):
    """Text nodes and the attributes a user reads (tooltips, placeholders), scripts left out."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "data-original-title") and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(page: str) -> list[str]:
    parser = Visible()
    parser.feed(page)
    return parser.texts


def screens():
    for _category, _label, _icon, items in MENU:
        for view_cls, _item_label, _item_icon in items:
            if getattr(view_cls, "model", None) is not None:  # not the applicant's portal pages
                yield view_cls


def allowed(view_cls, permission: str) -> bool:
    return view_cls.base_permissions is None or permission in view_cls.base_permissions


def first_pk(app, view_cls):
    from app.extensions import db

    with app.app_context():
        key = inspect(view_cls.model).primary_key[0]
        return db.session.scalar(select(key).order_by(key).limit(1))


def pages_of(app, view_cls) -> list[str]:
    from flask import url_for

    name = view_cls.__name__
    pk = first_pk(app, view_cls)
    with app.test_request_context():
        pages = [url_for(f"{name}.list")]
        if allowed(view_cls, "can_add"):
            pages.append(url_for(f"{name}.add"))
        if pk is not None:
            pages += [
                url_for(f"{name}.{p}", pk=pk)
                for p in ("show", "edit")
                if allowed(view_cls, f"can_{p}")
            ]
    return pages


def test_no_screen_shows_a_fab_english_default_title_or_button_in_chinese(app, demo, browser):
    """Every list, show, add and edit page of every resource, as Admin on the demo data."""
    admin = browser("admin")
    english = fab_english()
    found: dict[str, set[str]] = {}
    visited = 0
    for view_cls in screens():
        for path in pages_of(app, view_cls):
            resp = admin.get(path)
            assert resp.status_code == 200, path
            visited += 1
            for text in visible_texts(resp.get_data(as_text=True)):
                if text in english or GENERATED_TITLE.match(text) or " object at 0x" in text:
                    found.setdefault(text, set()).add(path)
    for path in FAB_LISTS:
        resp = admin.get(path)
        assert resp.status_code == 200, path
        for text in visible_texts(resp.get_data(as_text=True)):
            if text in english or GENERATED_TITLE.match(text):
                found.setdefault(text, set()).add(path)
    assert visited > 140
    assert not found, {text: sorted(paths)[:3] for text, paths in found.items()}


def test_list_show_add_and_edit_pages_carry_the_chinese_title_of_their_record(app, demo, browser):
    from views.cycles import AwardCycleView
    from views.review import ReviewerView

    admin = browser("admin")

    def texts(path):
        return visible_texts(admin.get(path).get_data(as_text=True))

    assert "组织列表" in texts("/organizationview/list/")
    assert "查看评定年度" in texts(f"/awardcycleview/show/{first_pk(app, AwardCycleView)}")
    assert "新增申报" in texts("/applicationview/add")
    assert "编辑评审员" in texts(f"/reviewerview/edit/{first_pk(app, ReviewerView)}")


FORMS = {
    # view endpoint: (fieldset names, help texts drawn from the regulation)
    "organizationview": (["基本信息", "住所（M-11.1）", "联系方式"], ["M-11.1", "M-2"]),
    "individualview": (["基本信息", "从事质量工作（M-12.1）", "联系方式"], ["M-12.1"]),
    "awardcycleview": (["时间安排（M-17）", "名额与奖金（M-4、M-20）"], ["M-4", "M-20"]),
    "applicationview": (["申报信息（M-18）", "纸质材料"], ["M-2", "M-18"]),
    "reviewerview": (["基本信息", "评审员条件（M-10、M-25）"], ["M-10.2", "M-10.3"]),
}


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_main_forms_are_grouped_into_fieldsets_with_help_from_the_regulation(
    app, demo, browser, endpoint
):
    admin = browser("admin")
    groups, rules = FORMS[endpoint]
    view_cls = next(v for v in screens() if v.__name__.lower() == endpoint)
    assert view_cls.add_fieldsets and view_cls.edit_fieldsets
    pk = first_pk(app, view_cls)
    for path in (f"/{endpoint}/add", f"/{endpoint}/edit/{pk}"):
        page = admin.get(path).get_data(as_text=True)
        headings = re.findall(r'class="accordion-toggle"[^>]*>([^<]+)<', page)
        assert [g for g in groups if g in headings] == groups, (path, headings)
        help_texts = " ".join(re.findall(r'class="help-block"[^>]*>([^<]+)<', page))
        assert all(rule in help_texts for rule in rules), (path, help_texts)
    # Every form column sits in a fieldset, and the edit form keeps the stale-form guard.
    for fieldsets, columns in (
        (view_cls.add_fieldsets, view_cls.add_columns),
        (view_cls.edit_fieldsets, view_cls.edit_columns),
    ):
        grouped = [f for _name, spec in fieldsets for f in spec["fields"]]
        assert sorted(grouped) == sorted(c for c in columns if c != "version_check")
    page = admin.get(f"/{endpoint}/edit/{pk}").get_data(as_text=True)
    assert 'name="version_check"' in page


def test_a_fieldset_edit_form_still_saves_and_refuses_a_stale_version(app, demo, browser):
    """The hidden version travels outside the fieldsets (the stale-form guard)."""
    from app.extensions import db
    from models import Organization

    admin = browser("admin")
    with app.app_context():
        org = db.session.scalar(select(Organization).order_by(Organization.id).limit(1))
        pk, version = org.id, org.version
        form = {
            c: getattr(org, c)
            for c in ("name", "credit_code", "legal_form", "district", "registered_address")
        }
        form["industry"] = org.industry_code
    form = {k: "" if v is None else str(v) for k, v in form.items()}
    page = f"/organizationview/edit/{pk}"
    saved = admin.post(page, {**form, "contact_name": "王芳", "version_check": version})
    assert saved.status_code == 302
    stale = admin.post(
        page, {**form, "contact_name": "李强", "version_check": version}, follow_redirects=True
    )
    assert "已被他人修改" in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Organization, pk).contact_name == "王芳"


def test_the_english_switch_translates_menu_and_titles_and_chinese_comes_back(app, demo, browser):
    office = browser("office")
    zh = visible_texts(office.get("/applicationview/list/").get_data(as_text=True))
    assert "申报列表" in zh and "申报受理" in zh and "Application list" not in zh
    assert office.get("/lang/en").status_code == 302
    en = visible_texts(office.get("/applicationview/list/").get_data(as_text=True))
    assert {"Application list", "Intake", "Award cycle", "Search", "Record Count:"} <= set(en)
    assert "申报列表" not in en and "申报受理" not in en
    dashboard = visible_texts(office.get("/").get_data(as_text=True))
    assert "Dashboard" in dashboard and "Applications by status" in dashboard
    assert office.get("/lang/zh").status_code == 302
    back = visible_texts(office.get("/applicationview/list/").get_data(as_text=True))
    assert "申报列表" in back and "Application list" not in back
    assert "工作台" in visible_texts(office.get("/").get_data(as_text=True))


def _lazy_strings():
    """Every label, title, menu entry, fieldset name, help text and action of the screens."""
    yield from COLUMN_LABELS.values()
    for _category, category_label, _icon, items in MENU:
        yield category_label
        for view_cls, label, _item_icon in items:
            yield label
            yield from (
                getattr(view_cls, a) for a in ("title", "list_title", "show_title", "add_title")
            )
            yield view_cls.edit_title
            yield from (view_cls.label_columns or {}).values()
            yield from (view_cls.description_columns or {}).values()
            for fieldsets in (view_cls.show_fieldsets, view_cls.add_fieldsets):
                yield from (name for name, _spec in fieldsets or [])
            for attr in dir(view_cls):
                # FAB's @action keeps (name, text, confirmation, icon, ...) on the method.
                spec = getattr(getattr(view_cls, attr, None), "_action", None)
                if spec:
                    yield from spec[1:3]


def test_every_label_title_menu_entry_and_help_text_has_english(app):
    lazy = [s for s in _lazy_strings() if isinstance(s, LazyString)]
    assert len(lazy) > 400
    with app.test_request_context("/?_l_=en"):
        untranslated = sorted({str(s) for s in lazy if CJK.search(str(s))})
    assert untranslated == []


def test_every_enum_label_a_page_shows_has_english():
    with open(REPO / "app/translations/en/LC_MESSAGES/messages.po", "rb") as f:
        catalogue = read_po(f)
    missing = []
    for enum_cls in vars(enums).values():
        if isinstance(enum_cls, type) and issubclass(enum_cls, enums.LabeledEnum):
            if enum_cls is enums.LabeledEnum:
                continue
            for _value, label in enum_cls.choices():
                entry = catalogue.get(label)
                if entry is None or not entry.string:
                    missing.append(label)
    assert missing == []


def test_english_translations_never_carry_quotes_that_would_break_a_page():
    """Translations are rendered unescaped (lazy strings and newstyle gettext are markup-safe),
    some inside JavaScript confirmations: no ASCII quotes or angle brackets."""
    with open(REPO / "app/translations/en/LC_MESSAGES/messages.po", "rb") as f:
        catalogue = list(read_po(f))
    # A plural entry's translation is one string per form.
    forms = [
        (m.id, s) for m in catalogue if m.id for s in (m.string if m.pluralizable else [m.string])
    ]
    bad = [msgid for msgid, string in forms if re.search(r"[\"'<>&]", string or "")]
    assert bad == []


def test_the_readme_shows_the_dashboard_and_score_entry_screenshots_taken_by_the_suite():
    """Issue 10: two screenshots from the browser suite (UPDATE_SCREENSHOTS=1), 1366 px wide."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\((docs/screenshots/[\w-]+\.png)\)", readme)
    assert shown[:2] == ["docs/screenshots/dashboard.png", "docs/screenshots/score-entry.png"]
    # Issue 16: each role's journey (tests/browser/test_role_journeys.py) adds its own.
    assert {
        "docs/screenshots/reviewer-score-entry.png",
        "docs/screenshots/auditor-audit-log.png",
    } <= set(shown)
    for path in shown:
        header = (REPO / path).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(header[16:20], "big") == 1366  # the width
