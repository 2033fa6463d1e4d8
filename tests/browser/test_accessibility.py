"""Accessibility (issue 16; GB/T 37668-2019 and WCAG 2.1 AA): axe-core, in real Chromium, finds
no serious or critical violation on any page a demo role reaches, nor on the public pages; and
the main content is usable at 200% zoom (no horizontal scrolling at 683 CSS pixels).

The pages are taken from the URL map, as tests/app/test_route_walk.py does: every GET page
without an argument, and for each list the role can open, its first row's show page, edit page
and the view's own pages for one row (score entry, group composition, ...). Only the pages
that answer 200 with HTML to the role are checked."""

import json
import re
from collections import defaultdict

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import ARTIFACTS, outside, sign_in

ROLES = (
    "office",
    "leader1",
    "reviewer1",
    "committee1",
    "recommender1",
    "sysadmin",
    "auditor1",
    "agency1",  # issue 18: the third-party agency
    "applicant1",  # issue 18: an applicant's own portal
    "admin",
)
BLOCKING = ("serious", "critical")
# Never opened: they change state, download a file, sign out, or switch the language.
SKIP = re.compile(
    r"(^static$|\.static$|\.(delete|action|action_post|download)$|^AuthDBView\.logout$"
    r"|^LocaleView\.)"
)
ONE_ROW = re.compile(r"^<(?:int:)?pk>$")
# The roles that open the most pages have their walk split by view into this many parts (about
# two minutes each whole, 15–30 s a part), so that xdist's workers share them (issue 20).
PARTS = {"admin": 6, "office": 6, "committee1": 2, "agency1": 2, "leader1": 2, "reviewer1": 2}
WALKS = [(username, part) for username in ROLES for part in range(PARTS.get(username, 1))]


def _rules(app, part=0, parts=1):
    """The GET page rules, of every view or, split in `parts`, of the views dealt to `part`
    (the views in name order, dealt round like cards; a view's pages stay together, as its
    list page gives the row its other pages open)."""
    rules = [
        rule
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
        if "GET" in rule.methods
        and not rule.rule.startswith("/api/")
        and not SKIP.search(rule.endpoint)
    ]
    views = sorted({_view(rule) for rule in rules})
    dealt = {view: i % parts for i, view in enumerate(views)}
    return [rule for rule in rules if dealt[_view(rule)] == part]


def _view(rule) -> str:
    return rule.endpoint.split(".")[0]


def _html(client, path) -> str | None:
    resp = client.get(path)
    if resp.status_code == 200 and resp.mimetype == "text/html":
        return resp.get_data(as_text=True)
    return None


def pages_for(app, client, part=0, parts=1) -> list[str]:
    """The HTML pages this client's user opens: argument-less pages, and per view the pages of
    the first row of its list (of the views in `part` of `parts`)."""
    rules = _rules(app, part, parts)
    found, first_row = [], {}
    for rule in rules:
        if rule.arguments:
            continue
        html = _html(client, rule.rule)
        if html is None:
            continue
        found.append(rule.rule)
        if rule.endpoint.endswith(".list"):
            base = rule.rule.removesuffix("list/")
            match = re.search(re.escape(base) + r"(?:show|edit)/(\d+)", html)
            if match:
                first_row[_view(rule)] = match.group(1)
    for rule in rules:
        pk = first_row.get(_view(rule))
        if pk is None or len(rule.arguments) != 1:
            continue
        path = re.sub(r"<(?:int:)?pk>", pk, rule.rule)
        if path != rule.rule and _html(client, path) is not None:
            found.append(path)
    return found


def check(page, base, paths) -> tuple[list[dict], dict]:
    """Runs axe on each page; returns the serious and critical findings and a count by impact.

    axe-core is given to the browser context once, as a script every page runs before its own
    (axe-playwright-python's `Axe.run` sends its 500 KB to each page again); it is then run with
    that library's own options (violations only)."""
    page.context.add_init_script(Axe().axe_script)
    findings, counts, rules = [], defaultdict(int), defaultdict(int)
    for path in paths:
        page.goto(base + path)  # returns once the page has loaded
        response = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        for violation in response["violations"]:
            impact = violation.get("impact") or "minor"
            counts[impact] += len(violation["nodes"])
            rules[f"{impact} {violation['id']}"] += len(violation["nodes"])
            if impact in BLOCKING:
                for node in violation["nodes"]:
                    findings.append(
                        {
                            "page": path,
                            "rule": violation["id"],
                            "impact": impact,
                            "node": " ".join(map(str, node["target"])),
                            "html": node["html"][:160],
                        }
                    )
    return findings, {**counts, "by_rule": dict(rules)}


def report(who, paths, findings, counts) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    summary = {
        "who": who,
        "pages": len(paths),
        "pages_failing": len({f["page"] for f in findings}),
        "nodes_by_impact": counts,
        "findings": findings,
    }
    (ARTIFACTS / f"axe-{who}.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    by_rule = defaultdict(list)
    for f in findings:
        by_rule[(f["impact"], f["rule"])].append(f)
    lines = [
        f"{who}：{len(paths)} 个页面中 {summary['pages_failing']} 个有严重或关键的无障碍问题"
        f"（{counts}）"
    ]
    for (impact, rule), items in sorted(by_rule.items()):
        pages = sorted({f["page"] for f in items})
        lines.append(f"- [{impact}] {rule}: {len(items)} 处，{len(pages)} 个页面，如 {pages[:3]}")
        for f in items[:3]:
            lines.append(f"    {f['page']}  {f['node']}  {f['html']}")
    return "\n".join(lines)


@pytest.fixture
def blocked_outside(chromium, live_server):
    """A browser context at 1366x768; requests outside 127.0.0.1 are refused by the browser
    (tests/browser/conftest.py LAUNCH_ARGS), and a test fails if a page made any."""

    def make(**kw):
        context = chromium.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN", **kw
        )
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        return page

    contexts, requests = [], []
    yield make
    for context in contexts:
        context.close()
    away = outside(requests)
    assert not away, f"页面访问了外部地址：{away[:10]}"


def drafts_of(app, username) -> list[str]:
    """Score entry with its inputs: the user's draft scoresheets (a submitted one shows text)."""
    from sqlalchemy import select

    from app.extensions import db
    from models import Reviewer, Scoresheet, User

    with app.app_context():
        sheet = db.session.scalar(
            select(Scoresheet.id)
            .join(Reviewer, Reviewer.id == Scoresheet.reviewer_id)
            .join(User, User.id == Reviewer.user_id)
            .where(User.username == username, Scoresheet.status == "draft")
            .order_by(Scoresheet.id)
        )
        db.session.remove()
    return [f"/scoresheetview/entry/{sheet}"] if sheet else []


@pytest.mark.parametrize(
    "username, part", WALKS, ids=[f"{u}-{k + 1}" if u in PARTS else u for u, k in WALKS]
)
def test_axe_finds_no_serious_or_critical_violation_on_any_page_of_a_role(
    app, browser, blocked_outside, live_server, username, part
):
    """GB/T 37668-2019 / WCAG 2.1 AA (issue 16): every page a demo role opens passes axe-core
    (the role's pages in one walk, or for the widest roles in PARTS walks that together open
    every page)."""
    parts = PARTS.get(username, 1)
    paths = pages_for(app, browser(username).client, part, parts)
    assert len(paths) >= (5 if parts == 1 else 1), paths
    if part == 0:
        paths += [p for p in drafts_of(app, username) if p not in paths]
    page = blocked_outside()
    sign_in(page, live_server, username)
    findings, counts = check(page, live_server, paths)
    who = f"{username}-{part + 1}" if parts > 1 else username
    message = report(who, paths, findings, counts)
    assert not findings, message


def test_the_parts_of_a_walk_together_open_every_page_once(app):
    """The split walk loses no page and opens none twice: the parts' rules are, together,
    exactly the rules of the whole walk, and each view's rules (its list, whose first row the
    view's other pages open) fall in one part."""
    whole = _rules(app)
    for parts in set(PARTS.values()):
        dealt = [_rules(app, k, parts) for k in range(parts)]
        assert sorted(r.rule for part in dealt for r in part) == sorted(r.rule for r in whole)
        assert all(dealt), [len(part) for part in dealt]
        owners = {}
        for k, part in enumerate(dealt):
            for rule in part:
                assert owners.setdefault(_view(rule), k) == k, rule.endpoint


def test_axe_finds_no_serious_or_critical_violation_on_the_public_pages(
    app, blocked_outside, live_server
):
    """The public pages, the sign-in page and an error page, as an anonymous visitor."""
    paths = pages_for(app, app.test_client())
    assert "/public/winners" in paths and "/login/" in paths
    page = blocked_outside()
    paths = [*paths, "/no-such-page"]
    findings, counts = check(page, live_server, paths)
    message = report("anonymous", paths, findings, counts)
    assert not findings, message


def test_the_check_reports_a_page_that_breaks_the_rules(blocked_outside, live_server):
    """The walk above can fail: a page with an unlabelled image and button is reported, with
    the rule and the element (axe-core given once per context, run on each page)."""
    page = blocked_outside()
    bad = "<html lang='zh'><head><title>x</title></head><body><main><img src='x.png'>"
    bad += "<button></button></main></body></html>"
    page.route(
        live_server + "/axe-probe",
        lambda route: route.fulfill(status=200, content_type="text/html", body=bad),
    )
    findings, counts = check(page, live_server, ["/login/", "/axe-probe"])
    found = {(f["page"], f["rule"]) for f in findings}
    assert {("/axe-probe", "image-alt"), ("/axe-probe", "button-name")} <= found, found
    assert not [f for f in findings if f["page"] == "/login/"], findings


def test_the_browser_reaches_nothing_outside_loopback(chromium, live_server):
    """Pages load nothing from the internet (STYLE): the test browser cannot reach an outside
    name or address at all, and still reaches the app on 127.0.0.1."""
    from playwright.sync_api import Error

    context = chromium.new_context()
    try:
        for outside in ("http://example.com/", "https://93.184.215.14/"):
            with pytest.raises(Error, match="ERR_PROXY_CONNECTION_FAILED"):
                context.new_page().goto(outside, timeout=10_000)
        assert context.new_page().goto(live_server + "/login/").status == 200
    finally:
        context.close()


ZOOMED = {"width": 683, "height": 384}  # a 1366x768 screen at 200% zoom, in CSS pixels


@pytest.mark.parametrize(
    "username, paths",
    [
        (None, ["/login/", "/public/winners"]),
        ("office", ["/", "/applicationview/list/", "/applicationview/show/1"]),
        ("reviewer1", ["/", "/scoresheetview/list/"]),
    ],
    ids=["anonymous", "office", "reviewer1"],
)
def test_key_pages_are_usable_at_200_percent_zoom_without_scrolling_sideways(
    blocked_outside, live_server, username, paths
):
    """WCAG 1.4.4 and 1.4.10 (GB/T 37668): at 200% zoom a 1366 px screen is 683 CSS pixels wide;
    the page reflows into it (the menu folds behind its button; wide tables scroll inside their
    own box) and the menu still opens."""
    page = blocked_outside()
    page.set_viewport_size(ZOOMED)
    if username:
        sign_in(page, live_server, username)
    wide = []
    for path in paths:
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > ZOOMED["width"]:
            wide.append(f"{path}: {width}px")
    assert not wide, f"200% 缩放时需要横向滚动：{wide}"
    if username:
        page.click(".navbar-toggle")
        assert page.locator(".navbar-collapse .navbar-nav > li > a").first.is_visible()


FOCUS_JS = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {tag: el.tagName, text: (el.innerText || el.value || "").trim().slice(0, 20),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
          visible: box.width > 0 && box.height > 0};
}"""


def test_the_keyboard_starts_at_a_skip_link_and_every_focus_stop_shows_an_outline(
    blocked_outside, live_server
):
    """WCAG 2.4.1 and 2.4.7 (GB/T 37668): the first Tab shows a link to skip the menu, which
    moves to the main content; every focus stop after it is outlined."""
    page = blocked_outside()
    sign_in(page, live_server, "office")
    page.goto(live_server + "/applicationview/list/")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_JS)
    assert first["text"] == "跳到正文" and first["visible"], first
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.goto(live_server + "/applicationview/list/")
    unmarked = []
    for _ in range(25):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_JS)
        if stop["outline"] == "none" or stop["width"] < 2:
            unmarked.append(stop)
    assert not unmarked, f"没有可见焦点框的元素：{unmarked}"
