"""Values as a clerk reads them: local times to the minute, people by full name, stages and
codes by their Chinese labels (issue 16, readable records)."""

from types import SimpleNamespace

from flask_babel import gettext
from markupsafe import Markup, escape

from app.presentation import local
from app.presentation import when as when  # the screens' `readable.when`
from app.services.people import name_of

# Columns holding a login: shown as the person's full name.
PEOPLE_COLUMNS = {
    "username",
    "amended_by",
    "changed_by",
    "closed_by",
    "decided_by",
    "eligibility_confirmed_by",
    "moved_by",
    "opened_by",
    "recorded_by",
    "reinstated_by",
    "resolved_by",
    "reviewed_by",
    "uploaded_by",
    "verified_by",
}


def person(username: str | None) -> str:
    return name_of(username)


def enum_label(enum_cls, value) -> str:
    try:
        return gettext(enum_cls(value).label)
    except ValueError:
        return value or ""


def checklist_table(rows) -> Markup:
    """An eligibility checklist (a list of {rule, title, status, evidence}) as a table."""
    from app.domain.enums import CheckStatus

    if not rows:
        return Markup("")
    head = "".join(f"<th>{escape(gettext(h))}</th>" for h in ("条款", "条件", "结论", "依据"))
    body = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            escape(row.get("rule", "")),
            escape(row.get("title", "")),
            escape(enum_label(CheckStatus, row.get("status"))),
            escape(row.get("evidence") or ""),
        )
        for row in rows
        if isinstance(row, dict)
    )
    return Markup(
        f'<table class="table table-condensed award-checklist"><tr>{head}</tr>{body}</table>'
    )


def points_by_category(value) -> str:
    """A stage score's category points ({"4.1": "110.50", …}) as "4.1：110.50；…"."""
    if not value:
        return ""
    return "；".join(f"{code}：{points}" for code, points in value.items())


def stage_label(value) -> str:
    from app.domain.enums import Stage

    return enum_label(Stage, value)


def sheet_value(value) -> str:
    """A scoresheet history value: a status code reads as its label (草稿 → 已提交)."""
    from app.domain.enums import SheetStatus

    if value in {s.value for s in SheetStatus}:
        return enum_label(SheetStatus, value)
    return "" if value is None else value


SHEET_FIELDS = {
    "percent": "评分",
    "strengths": "优势",
    "improvements": "改进机会",
    "status": "状态",
    "overall_comment": "总体评价",
}


def sheet_field(value) -> str:
    return gettext(SHEET_FIELDS[value]) if value in SHEET_FIELDS else (value or "")


def score_change(change) -> SimpleNamespace:
    """A scoresheet history row as read: local time, the person's name, 草稿 → 已提交."""
    return SimpleNamespace(
        changed_at=local(change.changed_at),
        changed_by=person(change.changed_by),
        item_code=change.item_code,
        field=change.field,
        old_value=None if change.old_value is None else sheet_value(change.old_value),
        new_value=None if change.new_value is None else sheet_value(change.new_value),
        reason=change.reason,
    )
