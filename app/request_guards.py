"""Query arguments that Flask-AppBuilder reads without checking, checked before it does
(issue 15, item 7): a 400 with a Chinese message instead of a 500.

- the API's `?q=` (Rison, or JSON as FAB's fallback): prison raised `RecursionError` on deep
  nesting and `ValueError` on a number with an exponent (`1e+5`);
- a list page's `_oc_<View>` (order column: any SQL text reached `ORDER BY`), `_od_<View>`,
  `page_<View>` and `psize_<View>` (`int()` of anything, negative offsets)."""

import json
import re

import prison
from flask import abort, current_app, request
from sqlalchemy import Boolean

from app.errors import refuse

MAX_SCREEN_PAGE_SIZE = 100  # FAB's list offers 25, 50, 75, 100
MAX_PAGE = 10**6
_DIGITS = re.compile(r"\d{1,7}")


def register_request_guards(app) -> None:
    app.before_request(check_query_arguments)


def check_query_arguments() -> None:
    if request.path.startswith("/api/"):
        if request.args:
            check_rison(request.args.get("q"))
        return
    view = _endpoint_view()
    if view is not None:
        check_row_ids(view)
    if request.args:
        check_list_arguments(request.args, view)


def _endpoint_view():
    if request.url_rule is None or "." not in (request.endpoint or ""):
        return None
    return _views_by_name().get(request.endpoint.split(".", 1)[0])


def check_row_ids(view) -> None:
    """A screen's `<pk>` (and an action's rows) that no row can have is a 404: FAB passed
    2**63 to SQLite (OverflowError) or a word to PostgreSQL. An action the view does not
    have is a 404 too (FAB's own views failed on `None.func`)."""
    from app.api_fields import row_key

    model = getattr(getattr(view, "datamodel", None), "obj", None)
    method = request.endpoint.rsplit(".", 1)[1]
    if method in ("action", "action_post"):
        name = request.view_args.get("name") if method == "action" else None
        if method == "action_post" and request.method == "POST":
            name = request.form.get("action", "")
        if name is not None and name not in (getattr(view, "actions", None) or {}):
            abort(404)
    group_by = (request.view_args or {}).get("group_by")
    if group_by is not None and not _chart_offers(view, group_by):
        abort(404)
    if model is None:
        return
    keys = []
    if "pk" in (request.view_args or {}):
        keys.append(request.view_args["pk"])
    if method == "action_post" and request.method == "POST":
        keys += request.form.getlist("rowid")
    if any(row_key(model, key) is None for key in keys):
        abort(404)


def parse_rison(value: str):
    """What FAB's `@rison` will read, or a 400 naming the problem."""
    try:
        return prison.loads(value)
    except prison.decoder.ParserException:
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            pass
    except (ValueError, RecursionError, IndexError, TypeError, KeyError):
        pass
    refuse(
        "查询参数 q 不是有效的 Rison 或 JSON（数字不能用指数形式，括号不能嵌套过深），未作任何修改"
    )


def check_rison(value: str | None) -> None:
    if not value:
        return
    args = parse_rison(value)
    if not isinstance(args, dict):
        return  # FAB's schema check answers it
    for key, least in (("page", 0), ("page_size", 1)):
        if key in args and not _whole_at_least(args[key], least):
            refuse(f"查询参数 {key} 应为不小于 {least} 的整数，未作任何修改")


def _whole_at_least(value, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and least <= value < 2**31


def _views_by_name() -> dict:
    views = current_app.extensions.get("award_views_by_name")
    if views is None:
        views = {type(v).__name__: v for v in current_app.appbuilder.baseviews}
        current_app.extensions["award_views_by_name"] = views
    return views


def _chart_offers(view, group_by: str) -> bool:
    """A chart's `<group_by>`: FAB's group-by charts take an index into their definitions
    (`int()` of anything before), the others a column name."""
    definitions = getattr(view, "definitions", None)
    if definitions is not None:
        return group_by.isdigit() and int(group_by) < len(definitions)
    columns = getattr(view, "group_by_columns", None) or getattr(view, "direct_columns", None)
    return columns is None or group_by in columns


def _filter_values_fit(view, column: str, values: list[str]) -> bool:
    """FAB passes a flag's filter text unconverted unless it is "y", which PostgreSQL refuses
    to compare (boolean = varchar: a 500)."""
    model = getattr(getattr(view, "datamodel", None), "obj", None)
    col = model.__table__.c.get(column) if model is not None else None
    if col is None:
        return True
    if isinstance(col.type, Boolean):
        return all(v == "y" for v in values)
    return True


_FILTER = re.compile(r"_flt_(\d)_(.*)")  # as FAB reads it


def check_list_arguments(args, view=None) -> None:
    views = None
    filters = getattr(view, "_filters", None)
    for key in args:
        match = _FILTER.match(key)
        if match and filters is not None:
            index, column = int(match.group(1)), match.group(2)
            offered = filters._all_filters.get(column)  # noqa: SLF001 - what FAB indexes
            if offered is not None and index >= len(offered):
                refuse("请求参数中的筛选条件无效，请在列表的搜索栏中选择条件")
            if offered is not None and not _filter_values_fit(view, column, args.getlist(key)):
                refuse("请求参数中的筛选值与该列的类型不符（是否只能为 y）")
        if key.startswith("_oc_"):
            views = views or _views_by_name()
            view = views.get(key[4:])
            column = args.get(key)
            if view is not None and column not in (getattr(view, "order_columns", None) or []):
                refuse("请求参数中的排序字段无效，只能按列表中可排序的列排序")
            if args.get(f"_od_{key[4:]}", "asc") not in ("asc", "desc"):
                refuse("请求参数中的排序方向无效，只能是 asc 或 desc")
        elif key.startswith("page_"):
            if not _DIGITS.fullmatch(args.get(key, "")) or int(args[key]) > MAX_PAGE:
                refuse("请求参数中的页码无效，应为不小于 0 的整数")
        elif key.startswith("psize_"):
            value = args.get(key, "")
            if not _DIGITS.fullmatch(value) or not 1 <= int(value) <= MAX_SCREEN_PAGE_SIZE:
                refuse(f"请求参数中的每页条数无效，应为 1 到 {MAX_SCREEN_PAGE_SIZE} 的整数")
