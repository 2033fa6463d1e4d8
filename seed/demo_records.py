"""Demo applicant records screened by M-11.5, M-13.3 and M-13.4, and the individual applicants (M-12)."""

from datetime import date

from app.domain.enums import AuthorityLevel, Degree, IncidentKind, Severity
from app.domain.identifiers import make_id_number
from models import Incident, Individual, Penalty, SamplingResult

from .context import DemoContext

# key: (name, birth date, sequence digits, employer key, position, quality work since, degree)
INDIVIDUALS = {
    "li_jianhua": (
        "李建华",
        date(1975, 3, 12),
        "031",
        "tianshan",
        "质量总监",
        date(2003, 7, 1),
        Degree.MASTER,
    ),
    "ayigul": (
        "阿依古丽·买买提",
        date(1982, 7, 8),
        "064",
        "lab_team",
        "检验科主任、质量控制班组组长",
        date(2010, 8, 1),
        Degree.MASTER,
    ),
    "wang_zhigang": (
        "王志刚",
        date(1979, 11, 23),
        "157",
        "tianhe",
        "质量安全部部长",
        date(2008, 4, 1),
        Degree.BACHELOR,
    ),
    "ma_xiaoyan": (
        "马晓燕",
        date(1988, 5, 2),
        "228",
        "silu",
        "质量管理部经理",
        date(2019, 9, 1),
        Degree.BACHELOR,
    ),
    "zhao_wenbo": (
        "赵文博",
        date(1978, 9, 14),
        "093",
        "jinggong",
        "质量部部长",
        date(2004, 3, 1),
        Degree.BACHELOR,
    ),
    "nurgul": (
        "努尔古丽·阿不都热依木",
        date(1983, 2, 19),
        "146",
        "heating",
        "客户服务中心主任",
        date(2009, 10, 1),
        Degree.MASTER,
    ),
}
PHONES = {
    "li_jianhua": "13899512031",
    "ayigul": "13909992064",
    "wang_zhigang": "13565712157",
    "ma_xiaoyan": "18999328228",
    "zhao_wenbo": "13899587093",
    "nurgul": "13579926146",
}


def _records(ctx: DemoContext) -> None:
    """Accidents, samplings and penalties screened by M-11.5, M-13.3 and M-13.4."""
    o = ctx.orgs
    ctx.add(
        # Within 3 years of the 2026 deadline; the ground of the 2021 award's revocation (M-26.3).
        Incident(
            organization_id=o["hengxin"].id,
            kind=IncidentKind.SAFETY_ACCIDENT.value,
            severity=Severity.MAJOR.value,
            occurred_on=date(2023, 8, 17),
            responsible=True,
            description="伊宁市某住宅小区二期工程施工现场脚手架坍塌，造成2人死亡、3人受伤",
            source="伊宁市应急管理局《事故调查报告》",
        ),
        Penalty(
            organization_id=o["hengxin"].id,
            decided_on=date(2023, 12, 5),
            authority="伊宁市应急管理局",
            document_no="伊应急罚〔2023〕41号",
            major_quality=False,
            description="对较大生产安全事故负有责任，处罚款人民币85万元",
        ),
        Incident(
            organization_id=o["jinggong"].id,
            kind=IncidentKind.QUALITY_COMPLAINT.value,
            severity=Severity.MINOR.value,
            occurred_on=date(2024, 9, 3),
            responsible=True,
            description="用户反映一批农机齿轮箱异响，已召回更换并完成整改",
            source="12315投诉举报平台",
        ),
        # Failed, but more than 3 years before any deadline it is judged against.
        SamplingResult(
            organization_id=o["heating"].id,
            level=AuthorityLevel.CITY.value,
            sampled_on=date(2019, 10, 15),
            product="集中供热循环水水质",
            passed=False,
            serious=False,
            note="浊度超标，已于2019年11月整改复检合格",
        ),
        SamplingResult(
            organization_id=o["heating"].id,
            level=AuthorityLevel.PREFECTURE.value,
            sampled_on=date(2024, 11, 20),
            product="集中供热室温",
            passed=True,
        ),
        SamplingResult(
            organization_id=o["tianshan"].id,
            level=AuthorityLevel.REGION.value,
            sampled_on=date(2024, 6, 11),
            product="巴氏杀菌乳",
            passed=True,
        ),
        SamplingResult(
            organization_id=o["tianshan"].id,
            level=AuthorityLevel.NATIONAL.value,
            sampled_on=date(2025, 4, 8),
            product="发酵乳",
            passed=True,
        ),
        SamplingResult(
            organization_id=o["xuelian"].id,
            level=AuthorityLevel.PREFECTURE.value,
            sampled_on=date(2024, 5, 16),
            product="风味熏马肠",
            passed=True,
        ),
    )


def load_records_and_individuals(ctx: DemoContext) -> None:
    _records(ctx)
    for key, (name, born, seq, employer, position, since, degree) in INDIVIDUALS.items():
        employer_org = ctx.orgs[employer]
        ctx.people[key] = ctx.add(
            Individual(
                name=name,
                id_number=make_id_number(f"654002{born:%Y%m%d}{seq}"),
                employer_id=employer_org.id,
                employer_name=employer_org.parent_name or employer_org.name,
                position=position,
                works_in_yining=True,
                quality_work_since=since,
                education=degree.value,
                phone=PHONES[key],
            )
        )
