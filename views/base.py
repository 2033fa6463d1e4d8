"""The base of every screen: Chinese titles and labels, enum selects, safe saves and deletes,
row scopes that also bind actions (FAB's actions ignore base_filters, FAB-NOTES)."""

import tempfile

from flask import abort, flash, g, redirect, request, send_file, url_for
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.actions import action as fab_action
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.filters import FilterEqual, SQLAFilterConverter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from sqlalchemy import Boolean, DateTime, inspect
from sqlalchemy.orm import aliased, defer, joinedload
from sqlalchemy.sql.elements import BinaryExpression
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import DataRequired, Optional

from app.domain.errors import RuleViolation, StaleRecord
from app.errors import refuse
from app.extensions import db
from app.security.filters import scoped
from app.security.scopes import sees_all
from app.services import exports, records
from app.services import personal_info as pii
from models.encrypted import EncryptedString

from . import list_memory, readable, refusals
from .labels import COLUMN_LABELS, TABLE_LABELS


class StaleForm(StaleRecord):
    rule = "并发保护"
    default_message = "该记录已被他人修改，请刷新页面后重新编辑，您的修改未保存"


class AwardFilterConverter(SQLAFilterConverter):
    """An encrypted column is searched for an exact value only (through its keyed hash,
    models/encrypted.py): "contains" or "starts with" cannot look inside ciphertext."""

    conversion_table = (
        ("is_encrypted", [FilterEqual]),
        *SQLAFilterConverter.conversion_table,
    )

    def convert(self, col_name):
        """A column's filters, converted once per model interface (issue 20).

        FAB builds a `Filters` (every column of the model converted to its filters) three or
        four times per list page and API call; the answer depends only on the model and the
        column, and a filter holds nothing else (FAB shares the view's own between requests).
        Each caller gets its own list: `Filters` extends a column's list in place."""
        kept = self.datamodel.converted_filters
        if col_name not in kept:
            kept[col_name] = super().convert(col_name)
        found = kept[col_name]
        return None if found is None else list(found)


ESTIMATE_ABOVE = 100_000  # unfiltered PostgreSQL lists of more rows show an estimated count


class EstimatedCount(int):
    """A list's row count taken from PostgreSQL's statistics (`pg_class.reltuples`), shown as
    "约 N" on the page; pagination uses it as a number. An exact `count(*)` of 920,000 score
    lines was most of that list page's time (BENCHMARKS.md, issue 20)."""

    def __str__(self) -> str:
        return gettext("约 %(n)s", n=f"{int(self):,}")

    __html__ = __str__


def estimated_rows(session, table: str) -> int | None:
    """PostgreSQL's estimate of a table's rows (None elsewhere, or before the first ANALYZE)."""
    from sqlalchemy import text

    if session.get_bind().dialect.name != "postgresql":
        return None
    rows = session.scalar(
        text("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(:t)"), {"t": table}
    )
    return rows if rows is not None and rows >= 0 else None


class AwardInterface(SQLAInterface):
    """Eager-loads the many-to-one columns a list shows: no N+1 queries per row.

    `eager` names relations, or dotted paths to what a related row's label reads
    (`"application.organization"`: a scoresheet shows its application, which names its
    applicant), so a page costs the same queries at 25 or 100 rows (issue 8)."""

    # What a row's label (`__str__`) reads, by model: loaded with every eager relation to it.
    LABEL_PATHS: dict[str, tuple[str, ...]] = {
        "Application": ("organization", "individual"),
        "Award": ("application.organization", "application.individual"),
        "Scoresheet": ("application.organization", "application.individual", "reviewer"),
        "ReviewAssignment": ("group", "application.organization", "application.individual"),
        "ReviewGroupMember": ("group", "reviewer"),
        "FollowUpReport": ("award.application.organization", "award.application.individual"),
    }

    filter_converter_class = AwardFilterConverter

    def __init__(
        self, obj, session=None, eager: tuple[str, ...] = (), labelled: tuple[str, ...] = ()
    ):
        super().__init__(obj, session)
        self.eager = eager
        # Eager relations a list shows by their label alone (AwardModelView: a list column
        # with no formatter and no dotted column under it).
        self.labelled = labelled
        self.converted_filters: dict = {}  # column -> its filters (AwardFilterConverter)
        self.relation_aliases: dict = {}  # relation -> its (alias, join) (_query_join_relation)

    def _query_join_relation(self, query, root_relation, aliases_mapping=None):
        """FAB 5.3's, with each relation's alias and join condition made once per interface
        instead of on every call: the API's list made them anew for its page and again for
        its count, and building an alias's columns was about half of such a request (issue
        20). An alias is a fixed, named construct that any number of queries may use."""
        if aliases_mapping is None:
            aliases_mapping = {}
        for model_relation, relation_join in self.get_related_model_and_join(root_relation):
            if not hasattr(relation_join, "clauses"):  # not a custom relation: use the alias
                model_relation, relation_join = self._relation_alias(
                    root_relation, model_relation, relation_join
                )
                aliases_mapping[root_relation] = model_relation
            query = query.join(model_relation, relation_join, isouter=True)
        return query

    def _relation_alias(self, root_relation, model_relation, relation_join):
        key = (root_relation, model_relation)
        if key not in self.relation_aliases:
            alias = aliased(model_relation, name=root_relation)
            relation_pk = self.get_pk(alias)
            near = relation_join.left if relation_join.left.foreign_keys else relation_join.right
            self.relation_aliases[key] = (
                alias,
                BinaryExpression(near, relation_pk, relation_join.operator),
            )
        return self.relation_aliases[key]

    def is_encrypted(self, col_name: str) -> bool:
        column = self.list_columns.get(col_name)
        return column is not None and isinstance(getattr(column, "type", None), EncryptedString)

    def _target(self, path: str):
        model = self.obj
        for name in path.split("."):
            model = getattr(model, name).property.mapper.class_
        return model

    def eager_paths(self) -> list[str]:
        paths: list[str] = []
        for path in self.eager:
            label = self.LABEL_PATHS.get(self._target(path).__name__, ())
            paths += [path, *(f"{path}.{sub}" for sub in label)]
        return list(dict.fromkeys(paths))

    # What a row's label reads of its own columns, for rows joined only to name another (a
    # LABEL_PATHS path): the score-line list joined each line's organization with all its 25
    # columns (about 1.9 kB a row on PostgreSQL) to show its name, and each line's application
    # with its self-assessment and declarations (JSON, parsed per row) to show its number
    # (issue 20). The relations a label reads are joined by their own paths.
    LABEL_COLUMNS: dict[str, tuple[str, ...]] = {
        "Organization": ("name",),
        "Individual": ("name",),
        "Reviewer": ("code", "name"),
        "Application": ("number",),
        "Award": ("certificate_no",),
        "Scoresheet": (),  # named by its application and reviewer, joined by their paths
    }

    def eager_options(self, listing: bool = False) -> list:
        """`joinedload` per path. A row joined only for a label (a path the view did not name
        itself, or on a list page one the view shows as its label alone: `labelled`) loads the
        columns that label reads (`LABEL_COLUMNS`); any other joined row leaves its encrypted
        columns unloaded: no label reads them, and each loaded one was decrypted, once per row
        (issue 20). A record's own page (`get`) loads its relations whole, for its template."""
        named = {prefix for path in self.eager for prefix in _prefixes(path)}
        if listing:
            named -= set(self.labelled)
        # A label path's inner rows (a score line's sheet's application) get an option each,
        # so that their columns can be chosen; SQLAlchemy merges the overlapping joins.
        paths = list(dict.fromkeys(p for path in self.eager_paths() for p in _prefixes(path)))
        options = []
        for path in paths:
            model, option = self.obj, None
            for name in path.split("."):
                attr = getattr(model, name)
                option = joinedload(attr) if option is None else option.joinedload(attr)
                model = attr.property.mapper.class_
            label_only = path not in named
            columns = self.LABEL_COLUMNS.get(model.__name__) if label_only else None
            if columns is not None:
                keep = columns or tuple(c.key for c in model.__mapper__.primary_key)
                option = option.load_only(*(getattr(model, c) for c in keep))
            else:
                secret = [
                    defer(getattr(model, column.key))
                    for column in model.__table__.columns
                    if isinstance(column.type, EncryptedString)
                ]
                option = option.options(*secret) if secret else option
            options.append(option)
        return options

    def get_values_item(self, item, show_columns):
        """Empty fields show as blank, not FAB's "None"."""
        return [_shown(v) for v in super().get_values_item(item, show_columns)]

    def get_values(self, lst, list_columns):
        rows = super().get_values(lst, list_columns)
        return [{k: _shown(v) for k, v in row.items()} for row in rows]

    def query_count(self, query, filters=None, select_columns=None):
        """Exact when the list is filtered (a search, a row scope) or small; for a very large
        unfiltered table on PostgreSQL, the planner's estimate (`EstimatedCount`)."""
        if self._postgresql() and self._unfiltered(filters):
            estimate = estimated_rows(self.session, self.obj.__table__.name)
            if estimate is not None and estimate > ESTIMATE_ABOVE:
                return EstimatedCount(estimate)
        return super().query_count(query, filters, select_columns)

    def _unfiltered(self, filters) -> bool:
        """No search, and a row scope (if any) that leaves every row to this user."""
        from app.security.filters import RowScope

        if filters is None or not filters.filters:
            return True
        return all(isinstance(f, RowScope) for f in filters.filters) and not self._scope_narrows(
            filters
        )

    def apply_all(
        self,
        query,
        filters=None,
        order_column="",
        order_direction="",
        page=None,
        page_size=None,
        select_columns=None,
        outer_default_load=False,
    ):
        """A page of a list with eager relations is one statement in two steps: the page's keys
        from the base table alone (filtered, ordered, LIMIT/OFFSET), then the joins for those
        keys only. Joined flat, the database joined every row in the filter before sorting and
        cutting the page: a reviewer's score-line list joined ~8,000 lines to 6 tables on SQLite
        to show 25 (issue 20; BENCHMARKS.md). The row scope and the search are in the keys, so
        they hold for the rows shown; the outer query orders the same way. Other lists (no
        eager relations, no page, a dotted sort or chosen columns) take FAB's own path."""
        pk = self.get_pk()
        keys_first = (
            self.eager
            and page_size
            and order_column
            and "." not in order_column
            and not select_columns
            and pk is not None
        )
        if not keys_first:
            query = super().apply_all(
                query,
                filters,
                order_column,
                order_direction,
                page,
                page_size,
                select_columns,
                outer_default_load,
            )
            listing = bool(page_size)
            return query.options(*self.eager_options(listing)) if self.eager else query
        # FAB's filtering and ordering, then the page's keys alone, then the joins.
        keys = super().apply_all(query, filters, order_column, order_direction).with_entities(pk)
        if order_column == pk.key and self._postgresql() and self._scope_narrows(filters):
            keys = keys.order_by(None).order_by(_sorted_as_value(pk, order_direction))
        keys = self.apply_pagination(keys, page, page_size).statement
        outer = self.session.query(self.obj).filter(pk.in_(keys))
        outer = self.apply_order_by(outer, order_column, order_direction, add_pk=True)
        return outer.options(*self.eager_options(listing=True))

    def _postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _scope_narrows(self, filters) -> bool:
        """A row scope that leaves this user only some rows (a reviewer's, an agency's)."""
        from app.security.filters import RowScope

        probe = self.session.query(self.obj)
        return any(
            isinstance(flt, RowScope) and flt.apply(probe, None) is not probe
            for flt in (filters.filters if filters is not None else ())
        )


def _prefixes(path: str) -> list[str]:
    """ "a.b.c" -> ["a", "a.b", "a.b.c"]."""
    names = path.split(".")
    return [".".join(names[: i + 1]) for i in range(len(names))]


def _sorted_as_value(pk, direction: str):
    """The primary key as a value to sort, not an index to walk: a scoped list's rows are
    found through the scope's index and then sorted. Walking the primary key backwards and
    testing each row against the scope, PostgreSQL passed 63,503 score lines for a reviewer's
    first 25 (they sit among the oldest of 920,000; issue 20). A scope is bounded by the
    user's own records (a reviewer's groups), so the sort is over a few thousand keys.
    PostgreSQL only: SQLite already finds them through the scope's index, and sorting an
    expression there cost it 5 ms more than sorting the key (8,000 keys; issue 20)."""
    value = pk + 0
    return value.desc() if direction == "desc" else value.asc()


def _shown(value):
    """Blank for empty; a to-many relation as its rows' names, not a list of Python reprs
    (JSON lists stay as they are)."""
    if value is None:
        return ""
    if isinstance(value, list) and value and all(hasattr(v, "__tablename__") for v in value):
        return "、".join(_row_name(v) for v in value)
    return value


def _row_name(row) -> str:
    if type(row).__str__ is not object.__str__:
        return str(row)
    return f"{TABLE_LABELS.get(row.__tablename__, type(row).__name__)} {getattr(row, 'id', '')}"


def enum_columns(model) -> dict:
    return {c.key: c.info["enum"] for c in model.__table__.columns if "enum" in c.info}


class AwardModelView(ModelView):
    """Declare `model`, `title` and the column lists; the rest is derived."""

    model = None
    title = ""
    eager: tuple[str, ...] = ()
    scoped_rows = False
    page_size = 25
    # The list belongs to one cycle: those who see every cycle open it on the current one,
    # with these search arguments for it (views/list_memory.py).
    cycle_filter = None  # a function of the cycle to a dict of list arguments

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is None:
            return
        columns = cls.list_columns or []
        labelled = tuple(
            path
            for path in cls.eager
            if path in columns
            and path not in (cls.formatters_columns or {})
            and not any(c.startswith(f"{path}.") for c in columns)
        )
        cls.datamodel = AwardInterface(cls.model, eager=cls.eager, labelled=labelled)
        # Chinese is the msgid; titles translate when the page renders (English switch).
        if not isinstance(cls.title, LazyString):
            cls.title = lazy_gettext(cls.title)
        cls.list_title = cls.list_title or lazy_gettext("%(title)s列表", title=cls.title)
        cls.show_title = cls.show_title or lazy_gettext("查看%(title)s", title=cls.title)
        cls.add_title = cls.add_title or lazy_gettext("新增%(title)s", title=cls.title)
        cls.edit_title = cls.edit_title or lazy_gettext("编辑%(title)s", title=cls.title)
        labels = dict(COLUMN_LABELS)
        labels.update(cls.label_columns or {})
        cls.label_columns = labels
        descriptions = cls.description_columns or {}
        enums = enum_columns(cls.model)
        formatters = dict(cls.formatters_columns or {})
        add_extra = dict(cls.add_form_extra_fields or {})
        edit_extra = dict(cls.edit_form_extra_fields or {})
        for name, enum_cls in enums.items():
            formatters.setdefault(name, _enum_formatter(enum_cls))
            column = cls.model.__table__.c[name]
            validators = [Optional()] if column.nullable else [DataRequired()]
            field = SelectField(
                labels.get(name, name),
                choices=[(value, lazy_gettext(label)) for value, label in enum_cls.choices()],
                validators=validators,
                widget=Select2Widget(),
                description=descriptions.get(name, ""),
            )
            add_extra.setdefault(name, field)
            edit_extra.setdefault(name, field)
        for name in readable.PEOPLE_COLUMNS & set(cls.model.__table__.c.keys()):
            formatters.setdefault(name, readable.person)  # a login shows as the full name
        for name in pii.pii_columns(cls.model):
            # Masked for every role but the Office, on the list, show and export (PIPL).
            formatters.setdefault(name, _masked(name))
        for column in cls.model.__table__.columns:
            if isinstance(column.type, DateTime):
                formatters.setdefault(column.key, _local_time)  # local, to the minute
            # FAB makes non-nullable booleans required, so an unticked box fails validation.
            if isinstance(column.type, Boolean):
                formatters.setdefault(column.key, _yes_no)
                field = BooleanField(
                    labels.get(column.key, column.key),
                    validators=[Optional()],
                    description=descriptions.get(column.key, ""),
                )
                add_extra.setdefault(column.key, field)
                edit_extra.setdefault(column.key, field)
        if "version" in cls.model.__table__.c:
            edit_extra["version_check"] = HiddenField()
            if cls.edit_columns:
                cls.edit_columns = [*cls.edit_columns, "version_check"]
        cls.formatters_columns = formatters
        cls.add_form_extra_fields = add_extra
        cls.edit_form_extra_fields = edit_extra
        if cls.scoped_rows:
            cls.base_filters = scoped()
        if cls.base_order is None and "id" in cls.model.__table__.c:
            cls.base_order = ("id", "desc")  # the most recent records first
        if cls.search_columns is None and cls.list_columns:
            # Relation columns in search render every related row (FAB-NOTES): plain only.
            cls.search_columns = [
                c for c in cls.list_columns if c in cls.model.__table__.c and c != "version"
            ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for form in (self.add_form, self.edit_form):
            _label_blank_choices(form)

    def _init_properties(self):
        super()._init_properties()
        # FAB takes a form's columns from its fieldsets; the stale-form guard's hidden field
        # is rendered by the form's hidden_tag(), outside any fieldset.
        if self.edit_fieldsets and "version_check" in self.edit_form_extra_fields:
            self.edit_columns = [*self.edit_columns, "version_check"]

    # --- saves: the rule's message, never a 500, nothing half-saved ---------------------
    def pre_add(self, item):
        self._guarded(item, self.validate, adding=True)

    def pre_update(self, item):
        submitted = getattr(item, "_submitted_version", None)
        if submitted not in (None, "") and int(submitted) != item.version:
            db.session.rollback()
            raise StaleForm()
        self._guarded(item, self.validate, adding=False)

    def validate(self, item, adding: bool) -> None:
        """The record's rules, shared with the REST API (app/services/records.py)."""
        records.validate(item, adding)

    def _guarded(self, item, check, adding: bool) -> None:
        try:
            records.save(item, adding, check)
        except StaleForm as exc:
            refusals.attach(g.get("award_form"), exc)
            raise
        except StaleRecord:
            raise StaleForm() from None
        except RuleViolation as exc:
            refusals.attach(g.get("award_form"), exc)
            raise

    def process_form(self, form, is_created):
        refusals.keep_form(form)
        super().process_form(form, is_created)

    def post_add(self, item):
        refusals.mark_saved()
        records.after_save(item)

    def post_update(self, item):
        refusals.mark_saved()
        records.after_save(item)

    # --- a refused save shows the form again, as typed (issue 16) -------------------------
    def post_add_redirect(self):
        form = refusals.refused_form()
        if form is None:
            return super().post_add_redirect()
        widget = self.add_widget(
            form=form,
            include_cols=self.add_columns,
            exclude_cols=self._filters.get_relation_cols(),
            fieldsets=self.add_fieldsets,
        )
        return self.render_template(
            self.add_template, title=self.add_title, widgets={"add": widget}
        )

    def post_edit_redirect(self):
        form = refusals.refused_form()
        if form is None:
            return super().post_edit_redirect()
        widget = self.edit_widget(
            form=form,
            include_cols=self.edit_columns,
            exclude_cols=self._filters.get_relation_cols(),
            fieldsets=self.edit_fieldsets,
        )
        return self.render_template(
            self.edit_template, title=self.edit_title, widgets={"edit": widget}
        )

    def pre_delete(self, item):
        records.check_delete(item)

    def post_delete(self, item):
        records.after_delete(item)

    @staticmethod
    def try_service(call, success) -> bool:
        """Run one use case: flash its refusal (rolled back) or the success message (a string,
        or a function of the result). True when it succeeded."""
        try:
            result = call()
        except RuleViolation as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return False
        flash(success(result) if callable(success) else success, "success")
        return True

    def run_service(self, call, success, back=None):
        """`try_service` for an action, then back to `back` (default: the record's page for a
        one-record action, so its message shows there; else where the user was)."""
        self.try_service(call, success)
        return redirect(back or self.record_page())

    def record_page(self) -> str:
        """The page of the record a one-record action ran on (issue 16: a refusal is shown
        on the record, not on a page visited earlier); the list page's history otherwise."""
        pk = g.get("award_action_pk")
        if pk is not None:
            return url_for(f"{type(self).__name__}.show", pk=pk)
        return self.get_redirect()

    @expose("/list/")
    @has_access
    def list(self):
        """The list as asked; opened from elsewhere, the user's last filters or the current
        cycle (views/list_memory.py)."""
        back = list_memory.start_where_work_is(self, self._current_cycle_args)
        return back or super().list()

    def _current_cycle_args(self) -> dict | None:
        if self.cycle_filter is None or not sees_all():
            return None
        from app.services.dashboard import current_cycle

        cycle = current_cycle()
        return self.cycle_filter(cycle) if cycle else None

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        page = super().show(pk)  # a row outside the user's scope is a 404 before this
        if pii.pii_columns(self.model) and pii.sees_full():
            item = self._scoped_item(pk)
            pii.log_full_view(self.model, self.datamodel.get_pk_value(item), "页面")
        return page

    # --- actions honour the row scope ----------------------------------------------------
    def _scoped_item(self, pk):
        column = inspect(self.model).primary_key[0]
        try:
            # Ids arrive from URLs and forms as text; PostgreSQL won't compare them to integers.
            pk = column.type.python_type(pk)
        except (TypeError, ValueError):
            return None
        query = db.session.query(self.model).filter(column == pk)
        return self.row_filters().apply_all(query).one_or_none()

    def row_filters(self):
        """The screen's row scope (`base_filters`) as FAB applies it to list, show and edit,
        built through its public data model interface."""
        return self.datamodel.get_filters().add_filter_list(self.base_filters or [])

    def _action_allowed(self, name) -> bool:
        return name in self.actions and self.appbuilder.sm.has_access(
            self.get_action_permission_name(name), self.class_permission_name
        )

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name, pk):
        if request.method == "GET":
            flash("操作必须通过表单提交", "danger")
            return redirect(self.get_redirect())
        if not self._action_allowed(name):
            abort(403)
        if not self.actions[name].single:
            refuse("该操作针对多条记录，请在列表中勾选记录后执行，未作任何修改")
        item = self._scoped_item(pk)
        if item is None:
            abort(404)
        g.award_action_pk = self.datamodel.get_pk_value(item)
        return super().action(name, pk)

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        name = request.form.get("action", "")
        if not self._action_allowed(name):
            abort(403)
        if not self.actions[name].multiple:
            refuse("该操作针对单条记录，请在记录的详情页执行，未作任何修改")
        pks = request.form.getlist("rowid")
        if any(self._scoped_item(pk) is None for pk in pks):
            abort(404)
        return super().action_post()

    # --- export of the selected rows, as listed (issue 7; logged for M-25) ---------------
    @fab_action(
        "export_xlsx", lazy_gettext("导出所选到 Excel"), None, "fa-file-excel-o", single=False
    )
    def export_xlsx(self, items):
        file = tempfile.TemporaryFile()  # streamed to disk, not held in memory
        exports.screen_export(self, items, file)
        file.seek(0)
        return send_file(
            file,
            mimetype=exports.XLSX_MIMETYPE,
            as_attachment=True,
            download_name=exports.selected_filename(self.title),
        )


BLANK_CHOICE = lazy_gettext("（请选择）")


def _label_blank_choices(form) -> None:
    """A relation select's empty choice reads （请选择）: with WTForms 3.3 an empty label shows
    its value, "__None" (issue 16)."""
    from flask_appbuilder.fields import QuerySelectField
    from wtforms.fields.core import UnboundField

    for name in dir(form):
        unbound = getattr(form, name, None)
        if isinstance(unbound, UnboundField) and unbound.field_class is QuerySelectField:
            if not unbound.kwargs.get("blank_text"):
                unbound.kwargs["blank_text"] = BLANK_CHOICE


def _enum_formatter(enum_cls):
    def fmt(value):
        try:
            return gettext(enum_cls(value).label)
        except ValueError:
            return value or ""

    return fmt


def _masked(column: str):
    def fmt(value):
        return pii.shown(column, value)

    return fmt


def _local_time(value) -> str:
    return readable.when(value) if hasattr(value, "astimezone") else (value or "")


def _yes_no(value) -> str:
    """Flags read 是/否 rather than FAB's True/False."""
    return gettext("是") if value else gettext("否")
