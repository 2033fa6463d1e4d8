"""Applicants (organizations, individuals) and the records screened by M-11 to M-13 and M-28."""

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import (
    AuthorityLevel,
    BanReason,
    Degree,
    IncidentKind,
    LegalForm,
    Severity,
)

from .base import Model, Timestamps, Versioned, enum_check, enum_col
from .encrypted import HASH_LENGTH, EncryptedString, blind_indexed

ONE_APPLICANT = CheckConstraint(
    "(organization_id IS NULL) <> (individual_id IS NULL)", name="one_applicant"
)


class Organization(Versioned, Timestamps, Model):
    """An applicant unit (M-2): legal person, unincorporated body, branch or front-line team."""

    __tablename__ = "organization"
    __table_args__ = (enum_check(LegalForm, "legal_form"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True, nullable=False)
    legal_form: Mapped[str] = enum_col(LegalForm, LegalForm.LEGAL_PERSON)
    parent_name: Mapped[str | None] = mapped_column(String(200))
    district: Mapped[str | None] = mapped_column(String(100), index=True)
    registered_address: Mapped[str | None] = mapped_column(String(300))
    domicile_evidence: Mapped[str | None] = mapped_column(Text)
    industry_code: Mapped[str] = mapped_column(
        ForeignKey("industry.code"), nullable=False, index=True
    )
    operating_since: Mapped[date | None] = mapped_column(Date)
    trademark_exempt: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    compulsory_licence_required: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False
    )
    compulsory_licence_no: Mapped[str | None] = mapped_column(String(100))
    legal_representative: Mapped[str | None] = mapped_column(String(50))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    contact_email: Mapped[str | None] = mapped_column(String(120))
    employees: Mapped[int | None] = mapped_column(Integer)
    industry = relationship("Industry")
    certificates: Mapped[list["Certificate"]] = relationship(back_populates="organization")
    trademarks: Mapped[list["Trademark"]] = relationship(back_populates="organization")

    def __str__(self) -> str:
        return self.name


class Certificate(Timestamps, Model):
    """A management-system certificate (ISO 9001 etc.) with its validity (M-11.2)."""

    __tablename__ = "certificate"
    __table_args__ = (CheckConstraint("valid_to >= valid_from", name="validity_order"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id"), nullable=False, index=True
    )
    standard: Mapped[str] = mapped_column(String(100), nullable=False)
    number: Mapped[str] = mapped_column(String(100), nullable=False)
    issuer: Mapped[str | None] = mapped_column(String(200))
    is_management_system: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    valid_from: Mapped[date] = mapped_column(Date, nullable=False)
    valid_to: Mapped[date] = mapped_column(Date, nullable=False)
    organization: Mapped[Organization] = relationship(back_populates="certificates")

    def __str__(self) -> str:
        return f"{self.standard} {self.number}"


class Trademark(Timestamps, Model):
    """A registered trademark of leading products or services (M-11.4)."""

    __tablename__ = "trademark"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    registration_no: Mapped[str] = mapped_column(String(50), nullable=False)
    registered_on: Mapped[date | None] = mapped_column(Date)
    organization: Mapped[Organization] = relationship(back_populates="trademarks")

    def __str__(self) -> str:
        return f"{self.name}（{self.registration_no}）"


@blind_indexed("id_number", "id_number_hash")
class Individual(Versioned, Timestamps, Model):
    """A person applying for the nomination prize (M-12)."""

    __tablename__ = "individual"
    __table_args__ = (enum_check(Degree, "education"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    # Encrypted at rest; unique and searchable through its keyed hash (issue 17).
    id_number: Mapped[str] = mapped_column(EncryptedString(), nullable=False)
    id_number_hash: Mapped[str] = mapped_column(
        String(HASH_LENGTH), info={"blind_index": True}, unique=True, nullable=False
    )
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    employer_name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(100))
    works_in_yining: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    quality_work_since: Mapped[date | None] = mapped_column(Date)
    education: Mapped[str] = enum_col(Degree, Degree.BACHELOR)
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(120))
    employer = relationship("Organization")

    def __str__(self) -> str:
        return self.name


class _ApplicantRecord:
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    individual_id: Mapped[int | None] = mapped_column(ForeignKey("individual.id"), index=True)

    @property
    def applicant_name(self) -> str:
        return str(self.organization or self.individual)  # type: ignore[attr-defined]


class Incident(_ApplicantRecord, Timestamps, Model):
    """An accident or major quality complaint (M-11.5, M-13.3, M-26.3)."""

    __tablename__ = "incident"
    __table_args__ = (
        ONE_APPLICANT,
        enum_check(IncidentKind, "kind"),
        enum_check(Severity, "severity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = enum_col(IncidentKind)
    severity: Mapped[str] = enum_col(Severity, Severity.MINOR)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    responsible: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    source: Mapped[str | None] = mapped_column(String(200))
    organization = relationship("Organization")
    individual = relationship("Individual")


class SamplingResult(_ApplicantRecord, Timestamps, Model):
    """A supervision-sampling (监督抽查) result at some level (M-11.5, M-13.3, M-26.2)."""

    __tablename__ = "sampling_result"
    __table_args__ = (ONE_APPLICANT, enum_check(AuthorityLevel, "level"))
    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = enum_col(AuthorityLevel, AuthorityLevel.CITY)
    sampled_on: Mapped[date] = mapped_column(Date, nullable=False)
    product: Mapped[str] = mapped_column(String(200), nullable=False)
    passed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    serious: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    organization = relationship("Organization")
    individual = relationship("Individual")


class Penalty(_ApplicantRecord, Timestamps, Model):
    """An administrative penalty (organization) or sanction (individual) (M-13.4)."""

    __tablename__ = "penalty"
    __table_args__ = (ONE_APPLICANT,)
    id: Mapped[int] = mapped_column(primary_key=True)
    decided_on: Mapped[date] = mapped_column(Date, nullable=False)
    authority: Mapped[str] = mapped_column(String(200), nullable=False)
    document_no: Mapped[str | None] = mapped_column(String(100))
    major_quality: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    organization = relationship("Organization")
    individual = relationship("Individual")


class Ban(_ApplicantRecord, Timestamps, Model):
    """A bar on applying: the rest of the year (M-19.1) or five years (M-28)."""

    __tablename__ = "ban"
    __table_args__ = (
        ONE_APPLICANT,
        enum_check(BanReason, "reason"),
        CheckConstraint("ends_on >= starts_on", name="ban_order"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = enum_col(BanReason)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    revocation_case_id: Mapped[int | None] = mapped_column(
        ForeignKey("revocation_case.id"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)
    organization = relationship("Organization")
    individual = relationship("Individual")
