"""Generic CRUD of a business record - a screen's add, edit and delete forms and the REST API's
POST, PUT and DELETE - as one use case: the same checks whichever door the change comes in by.

`save` runs the record's rules (decision fields untouched, references in the user's scope,
the model's own validator below), adds and flushes; the caller (FAB) commits. `check_delete`
and `after_delete` do the same for deletes. The screens' hooks and the API call these; the
API no longer calls view methods on the class (issue 15)."""

from collections.abc import Callable

from flask import g
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.domain.errors import RuleViolation, StaleRecord
from app.extensions import db
from app.security.scopes import check_references, recommender_id_of, role_names, sees_all
from app.security.scopes import reviewer_id_of as _reviewer_id_of
from app.services import (
    aftercare,
    agency_acts,
    announcement,
    applicants,
    approvals,
    decisions,
    evaluation,
    intake,
    prizes,
    review_groups,
    reviewing,
    uploads,
)
from app.services.integrity import dependents_of, describe_integrity_error


def _user():
    return getattr(g, "user", None)


def _username() -> str | None:
    return getattr(_user(), "username", None)


def acting_recommender_id() -> int | None:
    """The recommender a signed-in Recommender acts for; None for the Office and Admin."""
    from app.security.roles import RECOMMENDER

    user = _user()
    if user is None or sees_all(user) or RECOMMENDER not in role_names(user):
        return None
    return recommender_id_of(user) or -1


def _decided_by(item, adding) -> None:
    item.decided_by = _username()


Validator = Callable[[object, bool], None]

# The rules of each record, by model name (what each screen's `validate` used to do).
VALIDATORS: dict[str, Validator] = {
    "FollowUpReport": lambda item, adding: aftercare.validate_report(item),
    "Recovery": lambda item, adding: aftercare.validate_recovery(item),
    "RevocationCase": aftercare.validate_case,
    "Certificate": lambda item, adding: applicants.validate_certificate(item),
    "Organization": lambda item, adding: applicants.validate_organization(item),
    "Individual": lambda item, adding: applicants.validate_individual(item),
    "Incident": lambda item, adding: applicants.validate_applicant_record(item, "occurred_on"),
    "SamplingResult": lambda item, adding: applicants.validate_applicant_record(item, "sampled_on"),
    "Penalty": lambda item, adding: applicants.validate_applicant_record(item, "decided_on"),
    "Ban": lambda item, adding: applicants.validate_applicant_record(item, "starts_on"),
    "AwardCycle": lambda item, adding: (
        intake.validate_cycle(item, adding),
        approvals.check_cycle(item),  # M-6 contract period, M-7 approved criteria
    ),
    "SatisfactionEvaluation": evaluation.validate_satisfaction,
    "CommitteeVote": evaluation.validate_vote,
    "Objection": announcement.validate_objection,
    "PublicNotice": announcement.validate_notice,
    "GovernmentApproval": announcement.validate_approval,
    "PrizePayment": prizes.validate_payment,
    "Recommendation": lambda item, adding: intake.validate_recommendation(
        item, adding, acting_recommender_id()
    ),
    "EligibilityJudgement": lambda item, adding: intake.validate_judgement(item),
    "Application": intake.validate_application,
    "ReviewerSanction": reviewing.check_sanction,
    "Reviewer": reviewing.check_reviewer,
    "InterestDeclaration": lambda item, adding: reviewing.check_declaration(
        item, adding, _reviewer_id_of(_user()), sees_all(_user())
    ),
    # M-6: the agency's staff act on the cycles their agency runs, within the contract.
    "ReviewGroupMember": lambda item, adding: (
        agency_acts.check_agency_act(item),
        review_groups.check_member(item, adding),
    ),
    "ReviewAssignment": lambda item, adding: (
        agency_acts.check_agency_act(item),
        review_groups.check_assignment(item, _username()),
    ),
    "ReviewGroup": lambda item, adding: (
        agency_acts.check_agency_act(item),
        review_groups.check_group(item, adding),
    ),
    "ReviewReport": lambda item, adding: review_groups.check_report(
        item, adding, _reviewer_id_of(_user())
    ),
}


# The change that follows a passed check, by model name: derived fields, rows that go with
# the record, the decision's audit entry. Runs inside `save`, before the one flush, so the
# record and its change are committed together or not at all. Validators only read.
APPLY: dict[str, Validator] = {
    "FollowUpReport": lambda item, adding: aftercare.apply_report(item),
    "Application": intake.apply_application,
    "Recovery": lambda item, adding: aftercare.apply_recovery(item),
    "RevocationCase": aftercare.apply_case,
    "SatisfactionEvaluation": evaluation.apply_satisfaction,
    "CommitteeVote": evaluation.apply_vote,
    "PrizePayment": prizes.apply_payment,
    "ReviewGroupMember": review_groups.apply_member,
    "ReviewAssignment": lambda item, adding: review_groups.apply_assignment(item, _username()),
    "Objection": announcement.apply_objection,
    "PublicNotice": announcement.apply_notice,
    "GovernmentApproval": announcement.apply_approval,
    "EligibilityJudgement": _decided_by,
    "ReviewerSanction": lambda item, adding: reviewing.apply_sanction(item, adding, _username()),
    "AwardCycle": approvals.apply_cycle,
}


def _no_dependents(item) -> None:
    blockers = dependents_of(item)
    if blockers:
        raise RuleViolation(
            f"「{item}」仍有{blockers}，删除会造成记录孤立，不能删除", rule="数据完整性"
        )


def _then_no_dependents(step):
    def check(item) -> None:
        step(item)
        _no_dependents(item)

    return check


# What a delete must pass (and do first), by model name; default: no dependent rows.
DELETE_CHECKS: dict[str, Callable[[object], None]] = {
    "ApplicationDocument": uploads.before_delete,
    "ReviewGroupMember": _then_no_dependents(
        lambda item: (agency_acts.check_agency_act(item), review_groups.remove_member(item))
    ),
    "ReviewAssignment": _then_no_dependents(
        lambda item: (
            agency_acts.check_agency_act(item),
            review_groups.remove_assignment(item, _username()),
        )
    ),
    "ReviewGroup": _then_no_dependents(agency_acts.check_agency_act),
}
AFTER_DELETE: dict[str, Callable[[object], None]] = {
    "ApplicationDocument": uploads.after_delete,
}


def validate(item, adding: bool) -> None:
    """The record's rules: raise a RuleViolation naming the broken rule."""
    rule = VALIDATORS.get(type(item).__name__)
    if rule is not None:
        rule(item, adding)


def apply(item, adding: bool) -> None:
    """The change a checked record brings with it (APPLY above); nothing when it has none."""
    step = APPLY.get(type(item).__name__)
    if step is not None:
        step(item, adding)


def save(item, adding: bool, check: Validator | None = None) -> None:
    """Check and stage an added or edited record (flushed, not committed): the rule's message,
    never a 500, nothing half-saved. The check only reads; then the record's change (APPLY),
    then one flush. `check` replaces the record's validator (a screen with its own)."""
    try:
        decisions.ensure_unchanged(item)
        check_references(item)
        (check or validate)(item, adding)
        apply(item, adding)
        if adding:
            db.session.add(item)
        db.session.flush()
    except RuleViolation:
        db.session.rollback()
        raise
    except IntegrityError as exc:
        db.session.rollback()
        raise RuleViolation(describe_integrity_error(exc), rule="数据完整性") from None
    except StaleDataError:
        db.session.rollback()
        raise StaleRecord() from None


def _conflict_recorded(item) -> None:
    # M-25.2, M-25.3: a tie recorded at any time takes the reviewer's sheets out of counting;
    # a closed group is recounted and the Office hears which groups need a replacement.
    from app.services import scoring_close

    scoring_close.conflict_recorded(item.reviewer_id, _username())


# What follows a committed add or edit, by model name (screens and API alike).
AFTER_SAVE: dict[str, Callable[[object], None]] = {
    "InterestDeclaration": _conflict_recorded,
    "ConsultingEngagement": _conflict_recorded,
}


def after_save(item) -> None:
    step = AFTER_SAVE.get(type(item).__name__)
    if step is not None:
        step(item)


def check_delete(item) -> None:
    DELETE_CHECKS.get(type(item).__name__, _no_dependents)(item)


def after_delete(item) -> None:
    step = AFTER_DELETE.get(type(item).__name__)
    if step is not None:
        step(item)
