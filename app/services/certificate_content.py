"""What each certificate of a cycle says (M-19.8, M-21): the awardee, the prize, the year of
the award, the certificate number, the awarding government and the date; one per award not
revoked (M-26), in the order of the certificate numbers."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain.enums import ApplicantKind, Prize, Stage
from app.domain.errors import RecordNotFound, RuleViolation
from app.domain.report_rules import RESULT_PUBLIC_FROM, ensure_reached
from app.domain.zh_numbers import chinese_date
from app.extensions import db
from app.services.official_docs.common import GOVERNMENT
from models import Award, AwardCycle


@dataclass(frozen=True)
class Certificate:
    awardee: str
    prize: Prize
    year: int
    certificate_no: str
    government: str
    awarded_on: date
    individual: bool = False

    @property
    def title(self) -> str:
        return "荣誉证书"

    @property
    def prize_title(self) -> str:
        """M-21: the award is always named with its year."""
        return f"{self.year}年度伊宁市{self.prize.label}"

    @property
    def citation(self) -> str:
        whom = "你" if self.individual else "你单位"
        return f"{whom}荣获“{self.prize_title}”。特发此证，以资鼓励。"

    @property
    def date_text(self) -> str:
        return chinese_date(self.awarded_on)


@dataclass(frozen=True)
class CertificateSet:
    year: int
    cycle_name: str
    certificates: tuple[Certificate, ...]


def certificate_content(year: int) -> CertificateSet:
    """M-19.8: the certificates of the cycle's awards once the city announced them."""
    cycle = db.session.scalar(select(AwardCycle).where(AwardCycle.year == year))
    if cycle is None:
        raise RecordNotFound(f"没有{year}年度的评定")
    ensure_reached(Stage(cycle.stage), RESULT_PUBLIC_FROM, "获奖证书")
    awards = db.session.scalars(
        select(Award)
        .where(Award.cycle_id == cycle.id, Award.revoked.is_(False))
        .order_by(Award.prize, Award.certificate_no)
    ).all()
    if not awards:
        raise RuleViolation(f"{cycle.name}没有有效的获奖记录，无证书可出具", rule="M-19.8")
    return CertificateSet(
        year=cycle.year,
        cycle_name=cycle.name,
        certificates=tuple(
            Certificate(
                awardee=a.application.applicant_name,
                prize=Prize(a.prize),
                year=cycle.year,
                certificate_no=a.certificate_no,
                government=GOVERNMENT,
                awarded_on=a.awarded_on,
                individual=a.application.applicant_kind == ApplicantKind.INDIVIDUAL.value,
            )
            for a in awards
        ),
    )
