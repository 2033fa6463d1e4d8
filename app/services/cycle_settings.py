"""Cycle settings: a plain edit may not touch what the current stage froze (screen and API
alike); an amendment may, with the Committee's decision, recorded and audited (M-3, M-17)."""

from datetime import date

from sqlalchemy import inspect, select

from app.domain import cycle_settings as rules
from app.domain.enums import Stage
from app.domain.errors import InvalidInput
from app.extensions import db
from app.services import audit
from app.services.transactions import atomic
from models import AwardCycle, CycleAmendment
from models.base import utcnow


def _same(old, new) -> bool:
    # An empty text box submits "" where the row holds NULL: not a change.
    return (old in (None, "")) and (new in (None, "")) or old == new


def _history(state, name):
    hist = state.attrs[name].history
    if not hist.has_changes():
        return None
    old = hist.deleted[0] if hist.deleted else None
    new = hist.added[0] if hist.added else None
    return old, new


def changed_settings(cycle: AwardCycle) -> list[str]:
    """The settings of FREEZES this unit of work changes on a stored cycle."""
    state = inspect(cycle)
    if state.transient or state.pending:
        return []
    changed = []
    for name in rules.FREEZES:
        if name == "criteria_version":
            if _criteria_version_changed(state, cycle):
                changed.append(name)
            continue
        values = _history(state, name)
        if values is not None and not _same(*values):
            changed.append(name)
    return changed


def _criteria_version_changed(state, cycle: AwardCycle) -> bool:
    ids = _history(state, "criteria_version_id")
    old_id = ids[0] if ids else cycle.criteria_version_id
    new_id = ids[1] if ids else cycle.criteria_version_id
    related = state.attrs.criteria_version.history
    if related.added and related.added[0] is not None:
        new_id = related.added[0].id
    return old_id != new_id


def stage_before_edit(cycle: AwardCycle) -> Stage:
    """The stage the stored cycle is in, whatever the edit sets it to."""
    values = _history(inspect(cycle), "stage")
    return Stage(values[0] if values and values[0] else cycle.stage)


def ensure_edit_allowed(cycle: AwardCycle) -> None:
    """Refuse a plain edit (screen form or API PUT) of a setting its stage has frozen."""
    rules.ensure_settings_open(changed_settings(cycle), stage_before_edit(cycle))


def _shown(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _lock(cycle) -> AwardCycle:
    cycle_id = cycle.id if isinstance(cycle, AwardCycle) else cycle
    row = db.session.execute(
        select(AwardCycle)
        .where(AwardCycle.id == cycle_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if row is None:
        raise InvalidInput("评定年度不存在")
    return row


def _username(user) -> str | None:
    if user is None:
        return audit.current_username()
    return user if isinstance(user, str) else getattr(user, "username", None)


@atomic
def amend_cycle(
    cycle, field: str, new_value, reason: str, decision_ref: str, user=None, today=None
) -> CycleAmendment:
    """Change a frozen setting by the Committee's decision: refuse a field that may not be
    amended at this stage, keep the old and new value, audit it and commit once."""
    from app.services.intake import check_cycle_values  # intake calls back into this module

    today = today or date.today()
    row = _lock(cycle)
    freeze = rules.ensure_amendable(field, Stage(row.stage), reason, decision_ref)
    value = rules.parse_amended_value(field, new_value)
    old = getattr(row, field)
    if _same(old, value):
        raise InvalidInput(f"「{freeze.label}」的新值与原值相同，无需变更")
    if field == "deadline":
        rules.ensure_deadline_not_past(value, today)
    setattr(row, field, value)
    check_cycle_values(row)
    username = _username(user)
    amendment = CycleAmendment(
        cycle_id=row.id,
        field=field,
        old_value=_shown(old),
        new_value=_shown(value),
        reason=reason.strip(),
        decision_ref=decision_ref.strip(),
        amended_at=utcnow(),
        amended_by=username,
    )
    db.session.add(amendment)
    db.session.flush()
    audit.record(
        "amend_cycle",
        row,
        f"{row.name}「{freeze.label}」由 {_shown(old) or '（空）'} 变更为 {_shown(value)}"
        f"（{amendment.decision_ref}）",
        reason=amendment.reason,
        details={
            "field": field,
            "old": amendment.old_value,
            "new": amendment.new_value,
            "decision_ref": amendment.decision_ref,
            "amendment_id": amendment.id,
        },
        cycle_id=row.id,
        username=username,
    )
    return amendment


def field_label(field: str) -> str:
    freeze = rules.FREEZES.get(field)
    return freeze.label if freeze else field


def amendable_choices() -> list[tuple[str, str]]:
    return [(name, rules.FREEZES[name].label) for name in rules.AMENDABLE]
