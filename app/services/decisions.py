"""Decision fields: status, decision dates and deciders, outcomes and totals. Only a use case
sets them (resolve, submit, confirm, rank, ...); generic CRUD - a screen's form or the REST
API's POST and PUT - never does, on any resource (issue 15: `PUT /api/v1/objection/5
{"resolved_on": null}` un-resolved a resolved objection).

The list is derived per model from the column names, plus what a model's use cases alone set."""

from sqlalchemy import inspect

from app.domain.errors import RuleViolation

# Whatever the model: a status, an outcome, a computed total or result, a decision's date.
NAMES = {
    "status",
    "outcome",
    "total",
    "total_points",
    "passed",
    "revoked",
    "revoked_on",
    "resolved_on",
    "supplement_deadline",
}
# `*_at` (when it was decided) and `*_by` (who decided), except the row's own timestamps.
SUFFIXES = ("_at", "_by")
NOT_DECISIONS = {"created_at", "updated_at"}

# What only a model's use cases set, beyond the names above.
EXTRA: dict[str, set[str]] = {
    "AwardCycle": {"stage", "eligibility_confirmation_note"},
    "Award": {"prize", "certificate_no", "awarded_on", "amount"},
    "RevocationCase": {
        "approved_on",
        "approval_document_no",
        "dismissed_reason",
        "published",
        "verification_note",
        "review_note",
    },
    "Disqualification": {"active", "previous_status", "reinstate_reason"},
    "Scoresheet": {"reopened_reason"},
    "StageScore": {"method", "categories", "sheets"},
    "ScoreLine": {"points"},
}
# Records whose generic form *is* the use case that records the decision: the Office's
# judgement of one eligibility condition (app/services/eligibility.validate_judgement).
EXEMPT: dict[str, set[str]] = {"EligibilityJudgement": {"status"}}

# The use case that sets a model's decisions, for the refusal's message: (what, rule).
USE_CASES: dict[str, tuple[str, str]] = {
    "Objection": ("「处理完毕」操作（POST /api/v1/objection/<pk>/resolve）", "M-19.6"),
    "AwardCycle": ("阶段推进、资格确认等操作（POST /api/v1/award_cycle/<pk>/<action>）", "M-17"),
    "Application": ("资格审查、取消资格等操作（POST /api/v1/application/<pk>/<action>）", "M-19.1"),
    "Scoresheet": ("评分表的保存、提交与退回（/api/v1/scoresheet/<pk>/<action>）", "M-19.2"),
    "ReviewGroup": ("结束评审组评审（POST /api/v1/review_group/<pk>/close）", "M-19.2"),
    "PublicNotice": ("发布公示（POST /api/v1/public_notice/<pk>/publish）", "M-19.6"),
    "CommitteeVote": ("表决结果由表决票数计算", "M-19.6"),
    "RevocationCase": ("撤销程序的各步骤（POST /api/v1/revocation_case/<pk>/<step>）", "M-26"),
    "FollowUpReport": ("年度报告审核（POST /api/v1/follow_up_report/<pk>/<action>）", "M-27"),
    "Award": ("颁发奖项（POST /api/v1/award_cycle/<pk>/awards）", "M-19.8"),
}


class DecisionField(RuleViolation):
    rule = "M-3"
    default_message = "决定性字段只能由相应的业务操作设置，不能直接修改"


def decision_fields(model) -> set[str]:
    """The decision columns of `model` (column keys)."""
    name = model.__name__
    out = set(EXTRA.get(name, ()))
    for column in model.__table__.columns:
        key = column.key
        if key in NOT_DECISIONS or column.foreign_keys:
            continue
        if key in NAMES or key.endswith(SUFFIXES):
            out.add(key)
    return out - EXEMPT.get(name, set())


def refusal(model, names) -> DecisionField:
    what, rule = USE_CASES.get(model.__name__, ("相应的业务操作", "M-3"))
    names = sorted(names)
    text = f"只能通过{what}设置，不能直接修改"
    return DecisionField(
        f"{'、'.join(names)} 为决定性字段，{text}，未作任何修改",
        rule=rule,
        fields={n: f"决定性字段，{text}" for n in names},
    )


def ensure_not_given(model, data) -> None:
    """The REST API's POST and PUT: a body naming a decision field is refused as a whole."""
    if not isinstance(data, dict):
        return
    given = set(data) & decision_fields(model)
    if given:
        raise refusal(model, given)


def ensure_unchanged(item) -> None:
    """A screen form or an API body must not have changed a decision field of `item` (checked
    before the record's own rules run: they may set decisions themselves, e.g. `decided_by`)."""
    state = inspect(item)
    changed = set()
    for key in decision_fields(type(item)):
        if key not in state.attrs:
            continue
        history = state.attrs[key].history
        if state.persistent and history.has_changes():
            changed.add(key)
        elif not state.persistent and any(v is not None for v in history.added):
            changed.add(key)
    if changed:
        raise refusal(type(item), changed)
