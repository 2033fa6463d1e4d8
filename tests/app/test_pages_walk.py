"""Every page of every demo role, walked through the app's own URL map (issue 16, done means):

- no page loads anything from outside the app's host (no `src`/`href`/`action`/CSS `url()` to
  another host; defect 12: FAB's user statistics page loaded a chart script from the internet);
- the Chinese UI of every list and show page carries no English chrome, raw enum codes,
  Python reprs or database ids."""

import re

import lxml.html
import pytest
from sqlalchemy import select

DEMO_USERS = ("admin", "office", "reviewer1", "committee1", "recommender1", "sysadmin", "auditor1")
SKIP = re.compile(r"^/(static|appbuilder/static|api/|logout|lang/|login)|/download/|/delete/")
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|data-url)\s*=\s*["']?\s*|url\(\s*["']?)((?:https?:)?//[^"')\s>]+)""",
    re.I,
)
LOCAL_HOSTS = ("localhost", "127.0.0.1")
# A local script that fetches code from the internet when it runs (FAB's google_charts.js
# loads www.gstatic.com/charts): the page loads from outside as surely as with a remote src.
REMOTE_LOADER = re.compile(
    r"""["'](?:https?:)?//[^"']*(?:gstatic|googleapis|google\.com|jsdelivr|unpkg|cdnjs)""", re.I
)
SCRIPT_SRC = re.compile(r"""<script[^>]*\bsrc\s*=\s*["']([^"']+)["']""", re.I)


def _pk_of(app, view) -> str | None:
    from app.extensions import db

    model = getattr(getattr(view, "datamodel", None), "obj", None)
    if model is None:
        return None
    key = model.__mapper__.primary_key[0]
    with app.app_context():
        found = db.session.scalar(select(key).order_by(key.desc()).limit(1))
        db.session.remove()
    return None if found is None else str(found)


def _view(app, endpoint):
    name = endpoint.split(".")[0]
    return next((v for v in app.appbuilder.baseviews if type(v).__name__ == name), None)


def pages(app, only=None) -> list[tuple[str, str]]:
    """(endpoint, path) of every GET page of the screens, ids filled with a real row's."""
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or SKIP.search(rule.rule):
            continue
        if only and not only(rule.endpoint):
            continue
        args = set(rule.arguments)
        path = rule.rule
        if args:
            if args != {"pk"}:
                continue
            pk = _pk_of(app, _view(app, rule.endpoint))
            if pk is None:
                continue
            path = path.replace("<pk>", pk).replace("<int:pk>", pk)
        out.append((rule.endpoint, path))
    return out


def _external(html: str) -> list[str]:
    found = []
    for url in EXTERNAL.findall(html):
        host = re.sub(r"^(?:https?:)?//", "", url).split("/")[0].split(":")[0]
        if host not in LOCAL_HOSTS:
            found.append(url)
    return found


def _remote_loaders(client, html: str, cache: dict) -> list[str]:
    found = []
    for src in SCRIPT_SRC.findall(html):
        if src.startswith(("http:", "https:", "//")):
            continue  # already reported by _external
        if src not in cache:
            resp = client.get(src.split("?")[0])
            cache[src] = bool(REMOTE_LOADER.search(resp.get_data(as_text=True)))
        if cache[src]:
            found.append(f"{src}（运行时从互联网加载脚本）")
    return found


@pytest.mark.parametrize("username", DEMO_USERS)
def test_no_page_of_any_role_loads_anything_from_outside_the_app(app, demo, browser, username):
    """Defect 12 and the README's promise: pages load nothing from the internet."""
    client = browser(username)
    seen, failures, scripts = 0, [], {}
    for _endpoint, path in pages(app):
        resp = client.get(path)
        if resp.status_code != 200 or "html" not in (resp.content_type or ""):
            continue
        seen += 1
        html = resp.get_data(as_text=True)
        bad = _external(html) + _remote_loaders(client.client, html, scripts)
        if bad:
            failures.append(f"{path}: {bad[:3]}")
    assert seen > 5
    assert not failures, f"{username}：{len(failures)} 个页面引用外部地址：\n" + "\n".join(failures)


def test_the_external_check_sees_a_script_from_the_internet():
    """The check itself: FAB's user statistics page's chart script is found."""
    page = '<script src="https://www.gstatic.com/charts/loader.js"></script><a href="/x">x</a>'
    assert _external(page) == ["https://www.gstatic.com/charts/loader.js"]
    assert _external('<a href="http://127.0.0.1:5000/a">a</a>') == []
    assert REMOTE_LOADER.search('x.src="https://www.gstatic.com/charts/loader.js"')


# --- the Chinese UI ----------------------------------------------------------------------
# Latin words allowed in the Chinese UI: standards, codes and file kinds, and what users typed
# in the demo data (emails and web addresses are removed before the check).
ALLOWED_WORDS = {
    "ZLJ", "GB", "ISO", "IATF", "OHSAS", "HACCP", "PDF", "Excel", "XLSX", "xlsx", "DOCX",
    "JPG", "PNG", "SVG", "ZIP", "ID", "TOTP", "API", "JSON", "CSV",
    "English",  # the language menu's entry, in its own language
    "HMAC", "SM3", "SHA",  # the audit log's MAC algorithm (GB/T 22239)
    "CNAS", "IEC", "GAP", "XJZL",  # certificate bodies and numbers of the demo data
}  # fmt: skip
WORD = re.compile(r"(?<![A-Za-z0-9_@.\-])[A-Za-z][A-Za-z_]{2,}(?![A-Za-z0-9_@])")
REPR = re.compile(r"\{'|\[\{|\bNone\b|object at 0x|\bTrue\b|\bFalse\b|<[A-Za-z_.]+ object")
# Data, not UI: e-mail and web addresses, and a logged request's method and path.
EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|(?:(?:GET|POST|PUT|DELETE|PATCH) )?/[\w/.-]+")


def visible_text(html: str) -> str:
    """What a reader sees or hears: text, titles, placeholders and labels for screen readers;
    no scripts, styles or hidden inputs."""
    doc = lxml.html.fromstring(html)
    for node in doc.xpath("//script|//style|//noscript|//head"):
        node.drop_tree()
    parts = [" ".join(doc.xpath("//body//text()"))]
    parts += doc.xpath("//body//@title|//body//@placeholder|//body//@aria-label")
    return " ".join(" ".join(parts).split())


def _enum_codes() -> set[str]:
    import enum

    from app.domain import enums

    codes = set()
    for value in vars(enums).values():
        if isinstance(value, type) and issubclass(value, enum.Enum) and value is not enum.Enum:
            codes |= {str(m.value) for m in value if str(m.value).isascii()}
    return codes


def _row_id_labels() -> re.Pattern:
    from views.labels import TABLE_LABELS

    labels = "|".join(sorted(map(re.escape, map(str, TABLE_LABELS.values())), key=len)[::-1])
    return re.compile(rf"(?:{labels}) \d+(?![-\d./年月日])")


def findings(text: str, codes: set[str], ids: re.Pattern) -> list[str]:
    text = EMAIL_OR_URL.sub(" ", text)
    found = [f"repr {m.group(0)!r}" for m in REPR.finditer(text)]
    found += [f"id {m.group(0)!r}" for m in ids.finditer(text)]
    for word in WORD.findall(text):
        if word in ALLOWED_WORDS:
            continue
        found.append(f"{'代码' if word in codes else '英文'} {word!r}")
    return list(dict.fromkeys(found))


# FAB's permission screens name the code's views and permissions (UserDBModelView,
# can_list): the system administrator's technical vocabulary, not a translation gap.
PERMISSION_SCREENS = re.compile(r"^/(roles|permissionviews|permissions|viewmenus)/")


def _list_or_show(endpoint: str) -> bool:
    return endpoint.rsplit(".", 1)[-1] in ("list", "show")


def _logins(app) -> set[str]:
    """The accounts' logins: data on the user administration screens."""
    from flask_appbuilder.security.sqla.models import User

    from app.extensions import db

    with app.app_context():
        names = set(db.session.scalars(select(User.username)))
        db.session.remove()
    return names


@pytest.mark.parametrize("username", DEMO_USERS)
def test_list_and_show_pages_carry_no_english_codes_reprs_or_ids(app, demo, browser, username):
    """Issue 16, done means: the Chinese UI of every list and show page of every role."""
    client = browser(username)
    codes, ids, logins = _enum_codes(), _row_id_labels(), _logins(app)
    seen, failures = 0, []
    for _endpoint, path in pages(app, only=_list_or_show):
        if PERMISSION_SCREENS.match(path):
            continue
        resp = client.get(path)
        if resp.status_code != 200 or "html" not in (resp.content_type or ""):
            continue
        seen += 1
        bad = findings(visible_text(resp.get_data(as_text=True)), codes, ids)
        if path.startswith("/users/"):
            bad = [b for b in bad if b.split("'")[1] not in logins]
        if bad:
            failures.append(f"{path}: {'、'.join(bad[:12])}")
    assert seen >= 3
    assert not failures, f"{username}：{len(failures)} 个页面：\n" + "\n".join(failures)


def test_the_chinese_ui_check_finds_english_codes_reprs_and_ids():
    codes, ids = {"committee_vote", "draft"}, _row_id_labels()
    text = "阶段 committee_vote → public_notice Edit record [{'a': 1}] None 评分表 30 ZLJ a@b.cn"
    found = findings(text, codes, ids)
    assert "代码 'committee_vote'" in found and "英文 'Edit'" in found
    assert any(f.startswith("repr") for f in found) and "id '评分表 30'" in found
    assert not [f for f in found if "ZLJ" in f or "b.cn" in f]
