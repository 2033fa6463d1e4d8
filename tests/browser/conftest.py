"""Real headless Chromium (Debian's package) against the app served on loopback with demo data.

Every request the browser makes is recorded; a test fails if any leaves 127.0.0.1."""

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

from tests.conftest import DEMO_PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    # Nothing outside loopback is reachable: every other address goes to a proxy that is not
    # there (port 9, discard), so a page that loads from the internet fails at once instead of
    # waiting. Chromium itself, unlike a Playwright route, keeps its cache: a page's CSS and
    # scripts are fetched once per context (config.TestingConfig lets it keep them).
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1;localhost",
]


@pytest.fixture
def live_server(app, demo):
    """The session's app, with the demo data, served on a free port of 127.0.0.1."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "未找到 Debian 的 chromium：运行 `apt-get install -y chromium fonts-noto-cjk`"
            "（.ci/run 会自动安装）"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


def outside(urls) -> list[str]:
    """The addresses among `urls` that leave the app on loopback (data:, blob: and about:
    pages stay in the browser; any other scheme, WebSockets included, must be loopback)."""
    parsed = [(u, urlparse(u)) for u in urls]
    return [
        u
        for u, p in parsed
        if p.scheme not in ("data", "blob", "about")
        and p.hostname not in ("127.0.0.1", "localhost")
    ]


def follow(page, target):
    """Clicks `target` (a selector, or a locator), which loads a page, and returns when that
    page has loaded. Playwright discourages waiting for the network to fall silent instead
    ("networkidle"): that waits half a second after every step, and a page that keeps a
    request open never settles.

    It waits for the new document's load event, not for Playwright's `expect_navigation`: that
    also resolves on a same-document navigation, and Flask-AppBuilder's action buttons are
    `<a href="#">` links whose script then posts a form, so the hash change would end the
    wait before the posted form's page arrived."""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_event("load"):
        locator.click()
    return page


def sign_in(page, base, username, password=DEMO_PASSWORD):
    """Signs in through the real form and returns when the page after it has loaded."""
    page.goto(base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    follow(page, "input[type=submit], button[type=submit]")


class Journey:
    """A page plus the requests it made and numbered screenshots of each step."""

    def __init__(self, page, base, name):
        self.page, self.base, self.name = page, base, name
        self.requests: list[str] = []
        self.step = 0
        page.on("request", lambda r: self.requests.append(r.url))

    def go(self, path):
        self.page.goto(self.base + path)
        return self.page

    def login(self, username, password=DEMO_PASSWORD):
        sign_in(self.page, self.base, username, password)

    def shot(self, label):
        self.step += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{self.step:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def publish(self, label, name):
        """A step's screenshot; with UPDATE_SCREENSHOTS=1 also what a 1366x768 screen shows,
        as the README's docs/screenshots/NAME.png (CI leaves the README's files alone)."""
        path = self.shot(label)
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        return path

    def outside_requests(self):
        return outside(self.requests)


@pytest.fixture
def journey(chromium, live_server, request):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    j = Journey(page, live_server, request.node.name.removeprefix("test_")[:60])
    yield j
    context.close()
    assert not j.outside_requests(), f"页面访问了外部地址：{j.outside_requests()}"
