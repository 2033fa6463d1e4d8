"""Excel exports (issue 7): a cycle's summary workbook and any screen's selected rows.

Every export is logged in the audit (who, when, what, how many rows) for M-25's
confidentiality of applicant and review information.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from markupsafe import Markup
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, inspect
from sqlalchemy.orm import joinedload

from app.domain.errors import Forbidden, RecordNotFound
from app.extensions import db
from app.security.roles import ADMIN, COMMITTEE, OFFICE
from app.security.scopes import role_names
from models import AwardCycle
from models.base import ItemPoints, Money, Score

from . import audit
from .summary_workbook import POINTS, build_sheets, load_facts
from .xlsx import Column, SheetSpec, safe_text, write_workbook

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUMMARY_ROLES = {ADMIN, OFFICE, COMMITTEE}
REVIEWER_NAME_ROLES = {ADMIN, OFFICE}  # others see reviewers by code only (M-25)
YIELD_PER = 500

Target = str | os.PathLike[str] | IO[bytes]


class ExportRefused(Forbidden):
    rule = "M-25"
    default_message = "评审员和推荐单位无权导出评定汇总工作簿（申报和评审信息保密）"


class CycleNotFound(RecordNotFound):
    rule = "输入校验"
    default_message = "该评定年度不存在"


# --- the summary workbook of a cycle ---------------------------------------------------
@dataclass
class SummaryPlan:
    """The loaded sheets of one cycle's workbook, before writing; `rows` sizes a progress bar."""

    cycle: AwardCycle
    sheets: list[SheetSpec]
    rows: int
    reviewer_names: bool
    username: str | None
    exported_at: datetime

    @property
    def filename(self) -> str:
        return f"{self.cycle.year}年度质量奖评定汇总_{self.exported_at:%Y%m%d-%H%M}.xlsx"


def may_export_summary(user) -> bool:
    """Office, Admin and the Committee; `None` is the command line (the server's operator)."""
    return user is None or bool(role_names(user) & SUMMARY_ROLES)


def plan_summary(
    cycle_id: int,
    user,
    *,
    reviewer_names: bool | None = None,
    now: datetime | None = None,
) -> SummaryPlan:
    """Check the reader may have the workbook and load its sheets.

    Reviewers appear by name only for Office and Admin users; for the command line the
    caller decides (`reviewer_names`, default codes only).
    """
    if not may_export_summary(user):
        raise ExportRefused()
    cycle = db.session.get(AwardCycle, cycle_id)
    if cycle is None:
        raise CycleNotFound(f"评定年度（编号 {cycle_id}）不存在")
    if user is not None:
        reviewer_names = bool(role_names(user) & REVIEWER_NAME_ROLES)
    exported_at = now or datetime.now()
    sheets = build_sheets(
        load_facts(cycle), reviewer_names=bool(reviewer_names), today=exported_at.date()
    )
    return SummaryPlan(
        cycle=cycle,
        sheets=sheets,
        rows=sum(len(sheet.rows) for sheet in sheets),  # type: ignore[arg-type]
        reviewer_names=bool(reviewer_names),
        username=getattr(user, "username", None),
        exported_at=exported_at,
    )


def write_summary(
    plan: SummaryPlan,
    target: Target,
    *,
    progress: Callable[[int], None] | None = None,
    username: str | None = None,
) -> dict[str, int]:
    """Write the workbook, then log the export (M-25) and commit; returns rows per sheet."""
    # Charts need their cells kept in memory, so this workbook is not written in
    # constant_memory mode; it holds one cycle, a few hundred rows at most.
    counts = write_workbook(
        target,
        plan.sheets,
        exported_at=plan.exported_at,
        cycle_name=plan.cycle.name,
        progress=progress,
    )
    total = sum(counts.values())
    audit.record(
        "export",
        plan.cycle,
        f"导出{plan.cycle.name}汇总工作簿（{total} 行）",
        details={
            "export": "summary_workbook",
            "rows": total,
            "sheets": counts,
            "reviewer_names": plan.reviewer_names,
        },
        cycle_id=plan.cycle.id,
        username=username or plan.username,
    )
    db.session.commit()
    return counts


def summary_workbook(cycle_id: int, user, target: Target, **options: Any) -> dict[str, int]:
    """The whole use case: permission, sheets, file, audit entry."""
    progress = options.pop("progress", None)
    username = options.pop("username", None)
    plan = plan_summary(cycle_id, user, **options)
    return write_summary(plan, target, progress=progress, username=username)


# --- the selected rows of any list screen ----------------------------------------------
@dataclass(frozen=True)
class ListColumn:
    """A list screen's column: attribute name, the Chinese label, the screen's formatter."""

    name: str
    label: str
    formatter: Callable[[Any], Any] | None = None


def _joined(model, path: str):
    """`joinedload` along a relation or a dotted path of relations (`"case.award"`)."""
    option = None
    for name in path.split("."):
        attr = getattr(model, name)
        option = joinedload(attr) if option is None else option.joinedload(attr)
        model = attr.property.mapper.class_
    return option


def _kind(model, column: ListColumn) -> str:
    if column.formatter is not None:
        return "text"
    table_column = model.__table__.c.get(column.name)
    if table_column is None:
        return "text"  # a relation or a property: shown as its text
    kind = table_column.type
    if kind is Money:
        return "money"
    if kind is ItemPoints:
        return POINTS
    if kind is Score:
        return "score"
    if isinstance(kind, Boolean):
        return "bool"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Integer):
        return "int"
    if isinstance(kind, Numeric) and kind.scale == 2:
        return "money"  # two decimals, as entered
    return "text"


def _cell(item, column: ListColumn, kind: str):
    value = getattr(item, column.name, None)
    if column.formatter is not None:
        value = column.formatter(value)
        if isinstance(value, Markup):
            value = value.striptags()
    if value is None or kind != "text" or isinstance(value, str | bool | date):
        return value
    return safe_text(value)  # a related row: its display text


def _subject(model):
    """audit.record names the object by its type: a stand-in named after the exported table."""
    return type(model.__name__, (), {"id": None})()


def selected_rows_workbook(
    model,
    title: str,
    columns: Sequence[ListColumn],
    ids: Sequence[Any],
    target: Target,
    *,
    restrict: Callable[[Any], Any] | None = None,
    order: tuple[str, str] | None = None,
    eager: Sequence[str] = (),
    now: datetime | None = None,
) -> int:
    """Write the rows `ids` of `model` that `restrict` (the screen's row scope) lets through,
    with the screen's columns and labels; log the export (M-25) and commit.

    Rows are read in batches from a server-side cursor and written in constant_memory mode,
    so a large selection never sits in memory. Returns the number of rows written.
    """
    pk = inspect(model).primary_key[0]
    ids = list(dict.fromkeys(ids))
    query = db.session.query(model).filter(pk.in_(ids))
    if restrict is not None:
        query = restrict(query)
    if eager:
        query = query.options(*(_joined(model, path) for path in eager))
    if order and order[0] in model.__table__.c:
        attr = model.__table__.c[order[0]]
        query = query.order_by(attr.desc() if order[1] == "desc" else attr.asc(), pk)
    else:
        query = query.order_by(pk)
    kinds = [_kind(model, c) for c in columns]
    rows = (
        [_cell(item, c, k) for c, k in zip(columns, kinds, strict=True)]
        for item in query.yield_per(YIELD_PER)
    )
    exported_at = now or datetime.now()
    sheet = SheetSpec(
        title,
        f"{title}（所选记录）",
        [Column(c.label, k) for c, k in zip(columns, kinds, strict=True)],
        rows,
    )
    counts = write_workbook(target, [sheet], exported_at=exported_at, constant_memory=True)
    written = sum(counts.values())
    audit.record(
        "export",
        _subject(model),
        f"导出「{title}」所选 {written} 行到 Excel",
        details={"export": "selected_rows", "resource": model.__name__, "rows": written,
                 "ids": [str(i) for i in ids[:1000]]},
    )  # fmt: skip
    db.session.commit()
    return written


def selected_filename(title: str, now: datetime | None = None) -> str:
    return f"{title}_{(now or datetime.now()):%Y%m%d-%H%M}.xlsx"


def screen_export(view, items, target: Target, *, now: datetime | None = None) -> int:
    """A list screen's selected rows as the screen lists them: its `list_columns`,
    `label_columns` and `formatters_columns` (enum values as Chinese labels), under its
    row scope (`base_filters`, so a reviewer exports only their own rows)."""
    # Labels and titles are lazy translations: text in the page's language from here on.
    columns = [
        ListColumn(name, str(view.label_columns.get(name, name)), view.formatters_columns.get(name))
        for name in view.list_columns
    ]
    return selected_rows_workbook(
        view.model,
        str(view.title or view.model.__name__),
        columns,
        [view.datamodel.get_pk_value(item) for item in items if item is not None],
        target,
        restrict=view.row_filters().apply_all,
        order=view.base_order,
        eager=getattr(view, "eager", ()),
        now=now,
    )
