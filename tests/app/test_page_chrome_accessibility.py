"""The page chrome every screen shares, for assistive technology (issue 16; GB/T 37668-2019,
WCAG 2.1 AA): the page's language on <html>, landmarks and one <h1>, no invalid ARIA role, a
named language menu, named list checkboxes. The browser suite runs axe-core over every page
(tests/browser/test_accessibility.py); these say the same of the HTML, without a browser."""

import re


def _page(client, path):
    resp = client.get(path)
    assert resp.status_code == 200, path
    return resp.get_data(as_text=True)


def test_html_lang_follows_the_language_wcag_3_1_1(app, demo, browser):
    office = browser("office")
    assert '<html lang="zh-Hans">' in _page(office.client, "/")
    office.client.get("/lang/en")
    assert '<html lang="en">' in _page(office.client, "/applicationview/list/")


def test_every_screen_has_a_main_landmark_one_h1_and_no_invalid_header_role_wcag_1_3_1(
    app, demo, browser
):
    office = browser("office")
    for path in ("/", "/applicationview/list/", "/awardcycleview/list/", "/users/userinfo/"):
        html = _page(office.client, path)
        assert 'role="header"' not in html, path
        assert len(re.findall(r"<main\b", html)) == 1, path
        assert len(re.findall(r"<h1\b", html)) == 1, path
        assert 'href="#main-content"' in html, path


def test_the_language_menu_and_list_checkboxes_have_names_wcag_4_1_2(app, demo, browser):
    html = _page(browser("office").client, "/applicationview/list/")
    toggle = re.search(r'<a class="dropdown-toggle"[^>]*>\s*<span class="f16">', html)
    assert toggle and "aria-label=" in toggle.group(0)
    boxes = re.findall(r'<input id="[^"]+" class="action_check[^>]*>', html, re.S)
    assert boxes and all("aria-label=" in box for box in boxes), boxes[:2]
