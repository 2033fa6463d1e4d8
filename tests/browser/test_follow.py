"""The browser tests' `follow` waits for the page a click loads, also when the click first
changes only the address's hash, as Flask-AppBuilder's action buttons (`<a href="#">` whose
script posts a hidden form) do. A fresh-clone CI run failed when the wait ended on the hash."""

from tests.browser.conftest import follow

FIRST = """<!doctype html><html lang="zh-CN"><head><title>一</title></head><body>
<form id="action_form" method="post" action="/second"></form>
<a id="act" href="#" onclick="setTimeout(function () {
  document.getElementById('action_form').submit(); }, 300)">执行</a>
</body></html>"""
SECOND = (
    '<!doctype html><html lang="zh-CN"><head><title>二</title></head><body>已到达</body></html>'
)


def test_follow_returns_on_the_posted_forms_page_not_on_the_hash_change(chromium):
    context = chromium.new_context()
    try:
        page = context.new_page()
        # Served by the route, never by the network: nothing listens on port 1.
        page.route(
            "http://127.0.0.1:1/**",
            lambda route: route.fulfill(
                content_type="text/html; charset=utf-8",
                body=SECOND if route.request.url.endswith("/second") else FIRST,
            ),
        )
        page.goto("http://127.0.0.1:1/first")
        follow(page, "#act")
        assert page.url.endswith("/second")
        assert "已到达" in page.inner_text("body")
    finally:
        context.close()
