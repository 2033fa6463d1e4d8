"""The two costliest parts of every list page, rendered once instead of per item (issue 8).

The profile of a 100-row list (BENCHMARKS.md) put half of a page's time in FAB's per-row button
macro (three `url_for`, seven translations and an inline script per row) and a sixth in the
navigation menu (a permission check, a `url_for` and a translation per menu item). Both give the
same HTML as FAB's templates, built once per page or once per role set and language:

- `award_crud_buttons`: one `url_for` per button kind, the row's key substituted into it, titles
  translated once; deletes use one delegated click handler (in the list widget) instead of a
  script per row.
- `award_list_rows`: the list's rows (issue 20): each row's selection box and cells built in
  Python with the column formatters looked up once per page, instead of a Jinja loop per cell
  (the cell loop was 42–56% of a 100-row page). The HTML is FAB's widget's, less whitespace.
- `award_menu`: the rendered menu, kept per (roles, language, script root) for `MENU_TTL_S`
  seconds, in the app's own state (app/app_state.py `MENUS`). Menu visibility depends only on the roles (FAB_ROLES, read from code), so the cache
  is never wrong for longer than the TTL even if an administrator edits a role's permissions.
"""

from __future__ import annotations

import time
from urllib.parse import quote

from flask import current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from jinja2.filters import do_striptags, do_truncate
from markupsafe import Markup, escape

from app import app_state

MENU_TTL_S = 60.0
_MARK = "AWARDPKMARK"
# werkzeug's default (string) converter quotes a path value with these characters kept.
_PATH_SAFE = "!$&'()*+,/:;=@"


def _role_key() -> tuple[str, ...]:
    if getattr(current_user, "is_authenticated", False):
        return tuple(sorted(role.name for role in current_user.roles))
    return ("",)


def award_menu(menu) -> Markup:
    """The navbar's menu items (FAB's appbuilder/navbar_menu.html), cached per role set."""
    key = (_role_key(), str(get_locale()), request.script_root)
    now = time.monotonic()
    menus = app_state.of(app_state.MENUS)
    hit = menus.get(key)
    if hit is not None and now - hit[0] < MENU_TTL_S:
        return hit[1]
    html = Markup(render_template("appbuilder/navbar_menu.html", menu=menu))
    menus[key] = (now, html)
    return html


def _url_template(endpoint: str) -> str | None:
    try:
        return url_for(endpoint, pk=_MARK)
    except Exception:  # noqa: BLE001 - FAB's safe_url_for: no such endpoint, no button
        return None


def _filters_suffix(filters) -> str:
    """FAB's `set_link_filters`: a related view's filters travel with the show/edit links."""
    parts = [
        f"_flt_0_{flt.column_name}={value}"
        for flt, value in filters.get_filters_values()
        if flt.is_related_view
    ]
    return "?" + "&".join(parts) if parts else ""


def award_crud_buttons(modelview_name, pks, filters, can_show, can_edit, can_delete):
    """Per row, the show/edit/delete button group of FAB's `lib.btn_crud`, as Markup."""
    suffix = _filters_suffix(filters)
    parts = []
    if can_show and (url := _url_template(modelview_name + ".show")):
        parts.append(
            f'<a href="{escape(url + suffix)}" class="btn btn-sm btn-default" '
            f'data-toggle="tooltip" rel="tooltip" title="{escape(_("Show record"))}">'
            f'<span class="sr-only">{escape(_("Show"))}</span><i class="fa fa-search"></i></a>'
        )
    if can_edit and (url := _url_template(modelview_name + ".edit")):
        parts.append(
            f'<a href="{escape(url + suffix)}" class="btn btn-sm btn-default" '
            f'data-toggle="tooltip" rel="tooltip" title="{escape(_("Edit record"))}">'
            f'<span class="sr-only">{escape(_("Edit"))}</span><i class="fa fa-edit"></i></a>'
        )
    if can_delete and (url := _url_template(modelview_name + ".delete")):
        question = escape(_("Are you sure you want to delete this item?"))
        parts.append(
            f'<a href="#" class="btn btn-sm btn-default confirm award-row-delete" rel="tooltip" '
            f'data-url="{escape(url)}" data-confirm="{question}" data-text="{question}" '
            f'title="{escape(_("Delete record"))}">'
            f'<span class="sr-only">{escape(_("Delete"))}</span><i class="fa fa-trash"></i></a>'
        )
    group = '<div class="btn-group btn-group-xs" style="display: flex;">' + "".join(parts)
    group += "</div>"
    return [Markup(group.replace(_MARK, escape(quote(str(pk), safe=_PATH_SAFE)))) for pk in pks]


_MISS = object()


def _formatted(fmt, value, memo: dict):
    """`fmt(value)`, once per distinct value on a page (an enum's label, a stage's name, a
    time); unhashable values are formatted each time. Keyed by type too: 1 and True differ."""
    if fmt is None:
        return value
    try:
        key = (type(value), value)
        shown = memo.get(key, _MISS)
    except TypeError:
        return fmt(value)
    if shown is _MISS:
        shown = memo[key] = fmt(value)
    return shown


def _for_page(fmt):
    """A formatter with a `for_page` makes the page's own formatter once (what every row
    shares, a translated link text, prepared once); any other formatter is used as it is."""
    prepare = getattr(fmt, "for_page", None)
    return prepare() if prepare is not None else fmt


def award_list_rows(items, pks, columns, formatters, actions, buttons, button_cell):
    """Per row, the HTML before and after the row's extra buttons (a screen's `row_buttons`
    block): `<tr>`, the selection box (with actions), the buttons' cell (`button_cell`) with
    the row's show/edit/delete group (`buttons`, from `award_crud_buttons`, or none), then one
    cell per column, formatted as the widget's template did (`formatter(value)`, escaped).
    A column's formatter is looked up (and prepared, `_for_page`) once per page and called
    once per distinct value."""
    env = current_app.jinja_env
    select_label = escape(_("选择本行"))
    cells_fmt = [(column, _for_page(formatters.get(column)), {}) for column in columns]
    rows = []
    for index, item in enumerate(items):
        shown = [_formatted(fmt, item[column], memo) for column, fmt, memo in cells_fmt]
        head = ["<tr>"]
        if actions:
            pk = escape(pks[index])
            label = select_label
            if shown:
                # The template's `|string|striptags|truncate(40)` of the first column.
                first = shown[0]
                text = do_truncate(
                    env, do_striptags(first if hasattr(first, "__html__") else str(first)), 40
                )
                label = f"{label}：{escape(text)}"
            head.append(
                f'<td><input id="{pk}" class="action_check" name="rowid" value="{pk}" '
                f'type="checkbox" aria-label="{label}"></td>'
            )
        tail = []
        if button_cell:
            head.append("<td><center>")
            if buttons:
                head.append(buttons[index])
            tail.append("</center></td>")
        tail += [f"<td>{escape(value)}</td>" for value in shown]
        tail.append("</tr>")
        rows.append((Markup("".join(head)), Markup("".join(tail))))
    return rows


def html_lang() -> str:
    """The page's language for `<html lang>` (WCAG 3.1.1): zh-Hans, or en under the English
    catalogue."""
    return "en" if str(get_locale()).startswith("en") else "zh-Hans"


def register(app) -> None:
    app.add_template_global(html_lang, "html_lang")
    app.add_template_global(award_menu, "award_menu")
    app.add_template_global(award_crud_buttons, "award_crud_buttons")
    app.add_template_global(award_list_rows, "award_list_rows")
