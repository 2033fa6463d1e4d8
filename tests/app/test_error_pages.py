"""Every error page is Chinese, in the app's layout with its menu, and says what happened and
what to do (issue 16, defect 5)."""

import re

import lxml.html
import pytest
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests

from tests import factories as f

ENGLISH = re.compile(
    r"Forbidden|Not Found|Too Many Requests|per \d+ minute|Method Not Allowed|"
    r"Bad Request|Internal Server Error|Service Unavailable|Request Entity Too Large",
    re.I,
)


def _content(resp) -> tuple[str, str]:
    """(the page's main text, its menu text)."""
    doc = lxml.html.fromstring(resp.get_data(as_text=True))
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    main = " ".join(" ".join(doc.xpath('//*[@id="award-error"]//text()')).split())
    menu = " ".join(" ".join(doc.xpath('//*[contains(@class, "navbar")]//text()')).split())
    return main, menu


def _check(resp, status: int, what: str, todo: str):
    assert resp.status_code == status
    main, menu = _content(resp)
    assert what in main, main
    assert todo in main, main
    assert "返回首页" in main
    assert "评定年度" in menu or "我的通知" in menu, "the error page keeps the app's menu"
    assert not ENGLISH.search(resp.get_data(as_text=True)), ENGLISH.search(
        resp.get_data(as_text=True)
    )


@pytest.fixture
def office(app, db, browser):
    f.user(app, "office", "Office")
    f.user(app, "rev", "Reviewer")
    db.session.commit()
    return browser("office")


def test_403_says_the_role_may_not_and_whom_to_ask(app, db, browser, office):
    resp = browser("rev").get("/users/list/")
    _check(resp, 403, "没有权限", "系统管理员")


def test_404_says_the_page_or_record_does_not_exist(office):
    _check(office.get("/nope"), 404, "不存在", "检查地址")


def test_405_says_the_address_does_not_take_that_method(office):
    _check(office.client.delete("/awardcycleview/list/"), 405, "不支持", "从页面上的按钮")


def test_400_csrf_says_to_reload_the_page(office):
    resp = office.client.post("/awardcycleview/add", data={"year": "2040"})
    _check(resp, 400, "安全令牌", "刷新页面")


def _raising(app, monkeypatch, exc):
    def boom(*_a, **_kw):
        raise exc

    monkeypatch.setitem(app.view_functions, "AwardCycleView.list", boom)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


def test_413_says_the_upload_is_too_large(app, office, monkeypatch):
    _raising(app, monkeypatch, RequestEntityTooLarge())
    _check(office.get("/awardcycleview/list/"), 413, "过大", "压缩")


def test_429_of_any_limiter_is_chinese_not_flask_limiters_text(app, office, monkeypatch):
    """The bare "Too Many Requests / 10 per 5 minute" page is gone (身份鉴别)."""
    _raising(app, monkeypatch, TooManyRequests("10 per 5 minute"))
    _check(office.get("/awardcycleview/list/"), 429, "过于频繁", "稍等")


def test_500_says_nothing_was_changed_and_what_to_do(app, office, monkeypatch):
    _raising(app, monkeypatch, RuntimeError("boom"))
    _check(office.get("/awardcycleview/list/"), 500, "内部错误", "市质评办")


def test_503_says_the_database_is_away_and_to_try_again(app, office, monkeypatch):
    _raising(app, monkeypatch, OperationalError("select 1", {}, Exception("gone")))
    resp = office.get("/awardcycleview/list/")
    assert resp.status_code == 503
    main, _menu = _content(resp)
    assert "数据库暂时无法连接" in main and "稍后" in main
    assert not ENGLISH.search(resp.get_data(as_text=True))
