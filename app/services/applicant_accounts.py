"""Applicant accounts (issue 18, M-8): registration (pending until the Office approves it),
one-time invitation codes, approval and refusal; and whose applicant the signed-in user is."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.domain.applicant_portal import AccountNotApproved, AccountStatus
from app.domain.enums import LegalForm
from app.domain.errors import InvalidInput, RecordNotFound, RuleViolation
from app.domain.identifiers import validate_credit_code, validate_id_number
from app.extensions import db
from app.security.passwords import PasswordRejected, check_password
from app.security.roles import APPLICANT
from app.services import audit, credentials
from app.services.transactions import atomic
from models import ApplicantAccount, ApplicantInvite, Individual, Industry, Organization
from models.base import utcnow

INVITE_DAYS = 30


class RegistrationClosed(RuleViolation):
    rule = "M-8"
    default_message = "本系统暂不开放自行注册，请使用市质评办发放的邀请码注册"


class InviteInvalid(RuleViolation):
    rule = "M-8"
    default_message = "邀请码无效、已使用或已过期"


@dataclass
class Registration:
    """What the registration form carries (plain values; checked here, not in the view)."""

    kind: str  # "organization" | "individual"
    username: str
    password: str
    name: str
    email: str
    credit_code: str = ""
    industry_code: str = ""
    id_number: str = ""
    contact_name: str = ""
    invite_code: str = ""


def _code_hash(code: str) -> str:
    return hashlib.sha256((code or "").strip().upper().encode()).hexdigest()


def _user_model():
    return current_app.appbuilder.sm.user_model


def _check_user_fields(reg: Registration) -> None:
    username = (reg.username or "").strip()
    if not username or len(username) > 64 or not username.replace("_", "").isalnum():
        raise InvalidInput("用户名须为 1 至 64 位字母、数字或下划线", fields={"username": "用户名"})
    if "@" not in (reg.email or "") or len(reg.email) > 120:
        raise InvalidInput("请填写有效的电子邮箱", fields={"email": "电子邮箱"})
    taken = db.session.scalar(
        select(_user_model().id).where(
            (_user_model().username == username) | (_user_model().email == reg.email.strip())
        )
    )
    if taken:
        raise InvalidInput("该用户名或电子邮箱已被使用", fields={"username": "用户名"})
    try:
        check_password(reg.password or "", username)
    except PasswordRejected as exc:
        raise InvalidInput(str(exc), fields={"password": "密码"}) from None


def _find_or_create_applicant(reg: Registration):
    """The organization (by its unified social credit code) or the individual (by ID number)
    already on record, or a new record; the Office checks the binding before approving."""
    if reg.kind == "organization":
        code = validate_credit_code(reg.credit_code or "")
        org = db.session.scalar(select(Organization).where(Organization.credit_code == code))
        if org is not None:
            return org, None
        if not (reg.name or "").strip():
            raise InvalidInput("请填写单位名称", fields={"name": "单位名称"})
        if db.session.get(Industry, reg.industry_code or "") is None:
            raise InvalidInput("请选择所属行业门类", fields={"industry_code": "行业"})
        org = Organization(
            name=reg.name.strip()[:200],
            credit_code=code,
            industry_code=reg.industry_code,
            legal_form=LegalForm.LEGAL_PERSON.value,
            contact_name=(reg.contact_name or "").strip()[:50] or None,
            contact_email=reg.email.strip(),
        )
        db.session.add(org)
        return org, None
    if reg.kind == "individual":
        info = validate_id_number(reg.id_number or "")
        person = db.session.scalar(select(Individual).where(Individual.id_number == info.number))
        if person is not None:
            return None, person
        if not (reg.name or "").strip():
            raise InvalidInput("请填写姓名", fields={"name": "姓名"})
        person = Individual(name=reg.name.strip()[:50], id_number=info.number, email=reg.email)
        db.session.add(person)
        return None, person
    raise InvalidInput("请选择申报主体类型：组织或个人", fields={"kind": "类型"})


@atomic
def register(reg: Registration, today: date | None = None) -> ApplicantAccount:
    """A new applicant account: pending until the Office approves it, or open at once with a
    valid one-time invitation code bound to its applicant (M-8)."""
    today = today or date.today()
    invite = None
    if (reg.invite_code or "").strip():
        invite = db.session.scalar(
            select(ApplicantInvite).where(ApplicantInvite.code_hash == _code_hash(reg.invite_code))
        )
        if invite is None or invite.used_at is not None or invite.expires_on < today:
            raise InviteInvalid(fields={"invite_code": "邀请码"})
    elif not current_app.config.get("APPLICANT_SELF_REGISTRATION", True):
        raise RegistrationClosed()
    _check_user_fields(reg)
    if invite is not None:
        org, person = invite.organization, invite.individual
    else:
        org, person = _find_or_create_applicant(reg)
    sm = current_app.appbuilder.sm
    hashed = credentials.hash_password(reg.password)
    user = sm.add_user(
        reg.username.strip(),
        (reg.contact_name or reg.name or reg.username).strip()[:64],
        "",
        reg.email.strip(),
        role=sm.find_role(APPLICANT),
        hashed_password=hashed,
        commit=False,
    )
    if not user:
        raise InvalidInput("账户创建失败，请检查填写的内容")
    db.session.flush()
    account = ApplicantAccount(
        user_id=user.id,
        organization=org,
        individual=person,
        status=(AccountStatus.APPROVED if invite else AccountStatus.PENDING).value,
        via_invite=invite is not None,
        contact_name=(reg.contact_name or "").strip()[:50] or None,
    )
    user.active = invite is not None
    if invite is not None:
        invite.used_at = utcnow()
        invite.used_by_user_id = user.id
        account.decided_at = utcnow()
        account.decided_by = invite.created_by
    db.session.add(account)
    db.session.flush()
    audit.record(
        "applicant_registered",
        account,
        f"申报账户 {user.username} 注册（{account.applicant_name}），"
        + ("凭邀请码直接开通" if invite else "待市质评办审核"),
        username=user.username,
    )
    return account


def _pending(account_id) -> ApplicantAccount:
    account = db.session.get(ApplicantAccount, account_id)
    if account is None:
        raise RecordNotFound()
    if account.status != AccountStatus.PENDING.value:
        raise RuleViolation(
            f"该申报账户状态为「{AccountStatus(account.status).label}」，不能再审核", rule="M-8"
        )
    return account


@atomic
def approve(account_id: int, username: str | None = None) -> ApplicantAccount:
    """The Office opens a pending account after checking who registered (M-8)."""
    account = _pending(account_id)
    account.status = AccountStatus.APPROVED.value
    account.decided_by = username or audit.current_username()
    account.decided_at = utcnow()
    account.user.active = True
    audit.record(
        "applicant_account_approved",
        account,
        f"开通申报账户 {account.user.username}（{account.applicant_name}）",
        username=account.decided_by,
    )
    return account


@atomic
def refuse(account_id: int, reason: str, username: str | None = None) -> ApplicantAccount:
    account = _pending(account_id)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("不予开通须写明理由（M-3）", fields={"reason": "理由"})
    account.status = AccountStatus.REFUSED.value
    account.refusal_reason = reason
    account.decided_by = username or audit.current_username()
    account.decided_at = utcnow()
    account.user.active = False
    audit.record(
        "applicant_account_refused",
        account,
        f"不予开通申报账户 {account.user.username}（{account.applicant_name}）",
        reason=reason,
        username=account.decided_by,
    )
    return account


@atomic
def invite(
    organization_id=None, individual_id=None, username=None, today: date | None = None
) -> str:
    """A one-time invitation code for a known applicant; only its hash is stored."""
    today = today or date.today()
    org = db.session.get(Organization, organization_id) if organization_id else None
    person = db.session.get(Individual, individual_id) if individual_id else None
    if (org is None) == (person is None):
        raise InvalidInput("请选择一个组织或个人")
    code = secrets.token_hex(5).upper()
    row = ApplicantInvite(
        code_hash=_code_hash(code),
        organization=org,
        individual=person,
        expires_on=today + timedelta(days=INVITE_DAYS),
        created_by=username or audit.current_username(),
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "applicant_invited",
        row,
        f"为 {org or person} 发放申报账户邀请码（{INVITE_DAYS} 天内有效）",
        username=row.created_by,
    )
    return code


def account_of(user) -> ApplicantAccount | None:
    """The signed-in user's applicant account, approved or not."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(ApplicantAccount).where(ApplicantAccount.user_id == user.id))


def approved_account(user) -> ApplicantAccount:
    account = account_of(user)
    if account is None or account.status != AccountStatus.APPROVED.value:
        raise AccountNotApproved()
    return account


def pending_accounts() -> list[ApplicantAccount]:
    return list(
        db.session.scalars(
            select(ApplicantAccount)
            .where(ApplicantAccount.status == AccountStatus.PENDING.value)
            .order_by(ApplicantAccount.id)
        )
    )
