"""Lists that start where the work is: each user's last filters and sort per list, restored
when the list is opened again from a menu or link; else, on a list that belongs to one cycle,
the current cycle preselected for those who see every cycle.

Kept in the signed-in user's session, keyed by user and list. Only a list opened from another
page (a menu click carries a Referer) is redirected: a list whose filters the user has just
removed on the list itself starts empty and forgets them, and a typed address is left alone."""

from urllib.parse import urlencode, urlparse

from flask import flash, g, redirect, request, session
from flask_babel import gettext

SESSION_KEY = "award_list_args"
MAX_LISTS = 40  # a bound on what the session cookie carries
FORGOTTEN = ("page_",)  # a restored list starts at its first page


def _key(view) -> str | None:
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return f"{user.id}:{type(view).__name__}"


def _kept_args() -> list[tuple[str, str]]:
    return [
        (k, v)
        for k, values in request.args.lists()
        for v in values
        if not k.startswith(FORGOTTEN) and not k.startswith("_l_")
    ]


def _from_this_list() -> bool:
    referrer = request.referrer
    return bool(referrer) and urlparse(referrer).path == request.path


def _from_elsewhere() -> bool:
    return bool(request.referrer) and not _from_this_list()


def start_where_work_is(view, current_cycle_args=lambda: None):
    """A redirect to the remembered (or current-cycle) list, or None to show the list as asked.

    Remembers the filters and sort of a list opened with arguments."""
    key = _key(view)
    if key is None:
        return None
    remembered: dict = dict(session.get(SESSION_KEY) or {})
    kept = _kept_args()
    if kept:
        query = urlencode(kept)
        if remembered.get(key) != query:
            remembered.pop(key, None)
            remembered[key] = query
            while len(remembered) > MAX_LISTS:
                remembered.pop(next(iter(remembered)))
            session[SESSION_KEY] = remembered
        return None
    if request.args:
        return None  # only a page number or language: show as asked
    if _from_this_list():
        if key in remembered:  # the user removed the filters on the list: forget them
            remembered.pop(key)
            session[SESSION_KEY] = remembered
        return None
    if not _from_elsewhere():
        return None
    if key in remembered:
        flash(
            gettext("已恢复您上次在本列表使用的筛选和排序条件；在搜索栏中移除条件即显示全部"),
            "info",
        )
        return redirect(f"{request.path}?{remembered[key]}")
    args = current_cycle_args()
    if args:
        flash(gettext("列表已按当前评定年度筛选；在搜索栏中移除该条件即显示全部年度"), "info")
        return redirect(f"{request.path}?{urlencode(args)}")
    return None
