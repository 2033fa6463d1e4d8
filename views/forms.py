"""The posted forms of the custom pages as Flask-WTF classes (issue 20): views read a form's
`data`, never `request.form`; dates and integers are parsed here, by the domain's one parser,
and a malformed one is refused naming its field, with what was typed kept."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from app.domain.dates import parse_date
from app.domain.errors import InvalidInput


class PostedForm(FlaskForm):
    """A form that also hands on the posted fields it does not declare (the score entries and
    the application form's sections are named per item; their use cases check them)."""

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        self.posted = self.meta.wrap_formdata(self, formdata)
        super().process(self.posted, obj, data, extra_filters, **kwargs)

    def sent(self, name: str) -> bool:
        """Whether the post carries `name` at all (a confirmation step, an optional reason)."""
        return self.posted is not None and name in self.posted


class VersionedForm(PostedForm):
    """A form on a versioned row: the version the page was read at, handed to the use case as
    typed; its version check (app/services/transactions.expect_version) refuses a stale or
    malformed one, so the rule has one home."""

    version = HiddenField("version")


class DayField(StringField):
    """A date typed as YYYY-MM-DD, parsed by app/domain/dates.parse_date; empty is None."""

    def process_formdata(self, valuelist):
        try:
            self.data = parse_date(
                valuelist[0] if valuelist else None, self.name, str(self.label.text)
            )
        except InvalidInput as exc:
            self.data = None
            raise ValueError(exc.message) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""


class WholeNumberField(StringField):
    """A whole number; empty is None; anything else is refused naming the field."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            if not raw.isdecimal():  # int() reads what isdecimal() accepts, and no sign
                raise ValueError(
                    gettext("%(label)s %(value)s 应为整数", label=self.label.text, value=raw)
                )
            self.data = int(raw)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


def IdsField():  # noqa: N802
    """Checked application ids from the page; the use case refuses unknown ones."""
    return SelectMultipleField("application_id", choices=[], validate_choice=False)


def refuse_invalid(form: FlaskForm) -> FlaskForm:
    """The form, once its validators pass (CSRF included); else the refusal naming each field,
    raised as InvalidInput so every page shows it as it shows a use case's refusal."""
    if form.validate_on_submit():
        return form
    named = {
        name: str(errors[0]) for name, errors in form.errors.items() if errors and name in form
    }
    if not named:
        raise InvalidInput(gettext("表单未提交或已过期，请刷新页面后重试"))
    raise InvalidInput("；".join(named.values()), fields=named)


class NoteForm(PostedForm):
    """A step whose only input is a note (sending a report back, storing the ranking)."""

    note = TextAreaField(_("说明"))


class ReasonForm(PostedForm):
    """A step whose only input is its reason (reinstating, reopening a sheet, refusing an
    account); the use case says when it is required."""

    reason = TextAreaField(_("理由"))


# --- the recommending body and the Committee's approvals (M-18, M-7): views/action_forms.py -
class SignRecommendationForm(VersionedForm):
    opinion = TextAreaField(_("推荐意见"))
    signatory = StringField(_("签署人（单位负责人）"))


class DeclineRecommendationForm(VersionedForm):
    reason = TextAreaField(_("不予推荐理由"))


class PaperCopiesForm(VersionedForm):
    paper_copies = WholeNumberField(_("接收份数"))
    paper_received_on = DayField(_("接收日期"))


class ApprovalForm(VersionedForm):
    reference = StringField(_("批准依据（如委员会会议纪要文号）"))


# --- after the award (M-27, M-26): views/after.py --------------------------------------------
class RevocationStepForm(PostedForm):
    note = TextAreaField(_("意见"))
    approved_on = DayField(_("市政府批准日期"))
    document_no = StringField(_("市政府批准文号"))


# --- the cycle's workflow (M-17, M-19.2, M-19.5, M-19.8): views/cycle_workflow.py ------------
class AdvanceStageForm(PostedForm):
    from_stage = HiddenField("from_stage")
    note = TextAreaField(_("说明"))


class ShortlistForm(PostedForm):
    application_id = IdsField()
    note = TextAreaField(_("说明"))


class DecideTieForm(PostedForm):
    application_id = IdsField()
    reason = TextAreaField(_("委员会决定依据"))


class AwardsForm(PostedForm):
    awarded_on = DayField(_("颁奖日期"))


class ReviewProposalForm(PostedForm):
    stage = StringField(_("评审阶段"))
    group_size = WholeNumberField(_("每组人数"))
    max_apps = WholeNumberField(_("每组至多申报数"))
    fingerprint = HiddenField("fingerprint")
    accept = HiddenField("accept")


# --- disqualification (M-3, M-19.1): views/disqualify.py -------------------------------------
class DisqualifyForm(PostedForm):
    ground = StringField(_("取消资格情形"))
    evidence = TextAreaField(_("证据材料"))


# --- intake: eligibility (M-19.1) and uploads: views/intake.py, views/documents.py ------------
class EligibilityOutcomeForm(VersionedForm):
    outcome = StringField(_("资格审查结论"))
    reasons = TextAreaField(_("理由"))
    missing_items = TextAreaField(_("需补正的材料"))
    supplement_deadline = DayField(_("补正期限"))
    sections = SelectMultipleField("sections", choices=[], validate_choice=False)


class EligibilityJudgementForm(PostedForm):
    rule = StringField(_("条件"))
    status = StringField(_("判定"))
    note = TextAreaField(_("说明"))


class EligibilitySupplementForm(VersionedForm):
    note = TextAreaField(_("补正说明"))


class DocumentUploadForm(PostedForm):
    application_id = HiddenField("application_id")
    application_number = StringField(_("申报编号"))
    kind = StringField(_("材料类别"), default="evidence")
    title = StringField(_("材料名称"))
    file = FileField(_("文件"))


# --- scoring (M-19.2, M-19.4): views/scoring.py ----------------------------------------------
class ScoresheetForm(VersionedForm):
    """The sheet's version and overall comment; its entries are named per item
    (`percent-<code>`, ...) and read by `score_entries`."""

    overall_comment = TextAreaField(_("总体评价"))

    def score_entries(self) -> dict[str, dict]:
        entries: dict[str, dict] = {}
        for key in self.posted or ():
            name, sep, code = key.partition("-")
            if sep and name in ("percent", "strengths", "improvements") and code:
                entries.setdefault(code, {})[name] = self.posted.get(key)
        return entries


# --- official documents (M-20, M-26): views/official_docs.py ---------------------------------
class DraftDocumentForm(PostedForm):
    kind = StringField(_("文种"))
    target = StringField("target")
    target_id = StringField("target_id")
    document_no = StringField(_("发文字号"))
    dated = DayField(_("成文日期"))


class RegenerateDocumentForm(PostedForm):
    document_no = StringField(_("发文字号"))
    dated = DayField(_("成文日期"))


# --- the applicants' portal (M-8, M-18, M-27): views/applicant_portal.py, applicant_accounts -
class StartApplicationForm(PostedForm):
    cycle_id = StringField(_("评定年度"))
    prize = StringField(_("奖项"))


class ApplicationVersionForm(VersionedForm):
    """Save or submit the application form, or upload to it: the version it was read at; the
    sections' fields are named by the form (`section` lists them) and read by `sections`."""

    kind = StringField(_("材料类别"))
    file = FileField(_("文件"))

    def sections(self) -> dict[str, dict]:
        if not self.posted:
            return {}
        typed = {k: v for k, v in self.posted.items() if isinstance(v, str)}  # not the files
        return {name: typed for name in self.posted.getlist("section")}


class InviteForm(PostedForm):
    key = StringField(_("统一社会信用代码或身份证号码"))


class NotifyPreferencesForm(PostedForm):
    email_enabled = BooleanField(_("邮件通知"))
