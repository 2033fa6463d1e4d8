"""A refused add or edit comes back as the form: everything typed kept, the rule's message beside
the fields it names (issue 16). FAB 5.3's `_add`/`_edit` flash a `pre_add`/`pre_update` refusal
and return no widget, and `add`/`edit` then call the public `post_add_redirect` /
`post_edit_redirect`: there the form of the request (kept by `process_form`) is rendered again
instead of the redirect. tests/app/test_fab_seams.py checks that FAB still works this way."""

from flask import g

from app.extensions import db


def keep_form(form) -> None:
    """`process_form`: the submitted form, for a refusal to render again."""
    g.award_form = form
    g.pop("award_saved", None)


def mark_saved() -> None:
    g.award_saved = True


def refused_form():
    """The form of this request when its save was refused (None when saved or not posted)."""
    form = g.get("award_form")
    if form is None or g.get("award_saved"):
        return None
    db.session.rollback()  # nothing of the refused save stays in the session
    return form


def attach(form, exc) -> None:
    """Put the refusal's message beside the fields it concerns: the fields the error names
    (`RuleViolation.fields`), else the fields whose label the message quotes."""
    if form is None:
        return
    message = str(exc)
    named = getattr(exc, "fields", None) or {}
    targets = {name: f"{text}" for name, text in named.items() if name in form}
    if not targets:
        labels = {
            field.name: str(field.label.text)
            for field in form
            if field.type not in ("HiddenField", "CSRFTokenField") and field.label.text
        }
        quoted = {name: label for name, label in labels.items() if label and label in message}
        # A label inside a longer quoted label ("日期" in "申报截止日期") is not the one meant.
        targets = {
            name: message
            for name, label in quoted.items()
            if not any(label != other and label in other for other in quoted.values())
        }
    for name, text in targets.items():
        errors = form[name].errors
        if isinstance(errors, tuple):
            errors = list(errors)
        errors.append(text)
        form[name].errors = errors
