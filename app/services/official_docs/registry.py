"""The official documents the system writes, by kind: what each is built for (a cycle's year,
an application, a revocation case), who issues it, and the stage it needs.

Each kind module registers itself with `register(...)`; `KIND_MODULES` lists them, so a new
kind is one module and one line here."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from app.domain import report_rules
from app.domain.errors import RuleViolation

TARGETS = {"year": "年度", "application": "申报", "case": "撤销案件"}


class DocumentKindUnknown(RuleViolation):
    rule = "公文"
    default_message = "没有这种文档"
    status = 404


# A document asked for before the stage that produces it: the one rule error, in the domain.
DocumentStageNotReached = report_rules.DocumentStageNotReached


@dataclass(frozen=True)
class Spec:
    kind: str
    label_zh: str
    target: str  # 'year' | 'application' | 'case'
    # builder(record, number=None, dated=None) -> .docx bytes; `number` is the 发文字号 and
    # `dated` the 成文日期 of an issued document (reports may ignore both)
    builder: Callable[..., bytes]
    load: Callable[[int], object]  # target id (year, application id, case id) -> record
    stage_check: Callable[[object], None]  # raises DocumentStageNotReached
    issuer: str = ""  # 发文机关; empty for reports, which are not issued with a number
    number_prefix: str = ""  # 伊市质评 -> 伊市质评〔2025〕3号
    rule: str = ""
    year_of: Callable[[object], int] | None = None  # the record -> the cycle's year
    # the Office numbers its own documents; the city government's numbers come from its
    # registry, typed in by the Office before issuing
    auto_number: bool = True


KINDS: dict[str, Spec] = {}

# one module per kind (or family of kinds); docsreports adds its modules to this list
KIND_MODULES = [
    "app.services.official_docs.announcement",
    "app.services.official_docs.notice",
    "app.services.official_docs.request",
    "app.services.official_docs.decision",
    "app.services.official_docs.revocation",
    "app.services.official_docs.reports",  # material-report, onsite-report, evaluation-report
    "app.services.official_docs.feedback",
    "app.services.official_docs.certificates",
]


def register(spec: Spec) -> Spec:
    KINDS[spec.kind] = spec
    return spec


def _load_all() -> None:
    for name in KIND_MODULES:
        importlib.import_module(name)


def spec_of(kind: str) -> Spec:
    _load_all()
    try:
        return KINDS[kind]
    except KeyError:
        known = "、".join(KINDS)
        raise DocumentKindUnknown(f"没有「{kind}」这种文档，可用的有：{known}") from None


def kinds() -> dict[str, Spec]:
    _load_all()
    return dict(KINDS)


def load(kind: str, target_id):
    """The record a document is built from, after its stage check."""
    spec = spec_of(kind)
    record = spec.load(target_id)
    spec.stage_check(record)
    return spec, record


def build(kind: str, target_id, **options) -> bytes:
    """The .docx of `kind` for `target_id` (year, application id or case id)."""
    spec, record = load(kind, target_id)
    return spec.builder(record, **options)
