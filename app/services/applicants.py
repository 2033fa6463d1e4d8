"""Checks on applicant records before they are saved (GB 32100, GB 11643, date order)."""

from datetime import date

from app.domain.errors import InvalidInput
from app.domain.identifiers import validate_credit_code, validate_id_number
from app.domain.stages import ensure_dates_in_order


def _not_future(value: date | None, label: str) -> None:
    if value and value > date.today():
        raise InvalidInput(f"{label}（{value}）不能晚于今天")


def validate_organization(org) -> None:
    org.credit_code = validate_credit_code(org.credit_code or "")
    if not (org.name or "").strip():
        raise InvalidInput("组织名称不能为空")
    _not_future(org.operating_since, "开始经营日期")
    if org.employees is not None and org.employees < 0:
        raise InvalidInput("从业人数不能为负数")


def validate_individual(person) -> None:
    info = validate_id_number(person.id_number or "")
    person.id_number = info.number
    if person.quality_work_since and person.quality_work_since < info.birth_date:
        raise InvalidInput("从事质量工作起始日期不能早于出生日期")
    _not_future(person.quality_work_since, "从事质量工作起始日期")


def validate_certificate(cert) -> None:
    ensure_dates_in_order([("有效期起", cert.valid_from), ("有效期止", cert.valid_to)])


def validate_applicant_record(record, date_field: str) -> None:
    has_org = record.organization is not None or record.organization_id is not None
    has_person = record.individual is not None or record.individual_id is not None
    if has_org == has_person:
        raise InvalidInput("须且只能选择一个申报主体：组织或个人")
    if date_field != "starts_on":
        _not_future(getattr(record, date_field), "日期")
    if hasattr(record, "ends_on"):
        ensure_dates_in_order([("开始日期", record.starts_on), ("结束日期", record.ends_on)])
