"""Demo organizations in Yining City with their certificates and trademarks (M-2, M-11)."""

from datetime import date

from app.domain.enums import LegalForm
from app.domain.identifiers import make_credit_code
from models import Certificate, Organization, Trademark

from .context import DemoContext

CQC = "中国质量认证中心"
BCC = "北京新世纪检验认证有限公司"
CQM = "方圆标志认证集团有限公司"
CNAS = "中国合格评定国家认可委员会"
# key: (name, first 17 characters of the credit code, legal form, industry, operating since,
#       address, legal representative, contact, employees)
ORGANIZATIONS = {
    "tianshan": (
        "伊宁市天山乳业有限公司",
        "91654002738376915",
        LegalForm.LEGAL_PERSON,
        "C",
        date(2003, 5, 20),
        "伊宁市边境经济合作区北京路68号",
        "马永福",
        "韩雪梅",
        420,
    ),
    "hengxin": (
        "伊犁恒信建设工程有限公司",
        "91654002MA7759QJ4",
        LegalForm.LEGAL_PERSON,
        "E",
        date(2006, 9, 1),
        "伊宁市解放西路255号",
        "何志军",
        "杨春燕",
        680,
    ),
    "jinggong": (
        "伊宁市精工机械制造有限公司",
        "91654002229301847",
        LegalForm.LEGAL_PERSON,
        "C",
        date(1998, 4, 16),
        "伊宁市工业园区天山北路12号",
        "刘国庆",
        "曹磊",
        260,
    ),
    "lab_team": (
        "伊宁市人民医院检验科质量控制班组",
        "12654002457631280",
        LegalForm.TEAM,
        "Q",
        date(2008, 1, 1),
        "伊宁市斯大林街二巷1号",
        "阿依古丽·买买提",
        "阿依古丽·买买提",
        18,
    ),
    "silu": (
        "伊宁市丝路云数据科技有限公司",
        "91654002MA77U9D21",
        LegalForm.LEGAL_PERSON,
        "I",
        date(2015, 11, 3),
        "伊宁市新华东路199号创业大厦9层",
        "赵宇航",
        "马晓燕",
        135,
    ),
    "guoxiang": (
        "伊宁市果香园农业科技有限公司",
        "91654002MA7763WN8",
        LegalForm.LEGAL_PERSON,
        "A",
        date(2011, 3, 8),
        "伊宁市巴彦岱镇果园路6号",
        "努尔兰·卡德尔",
        "李娟",
        96,
    ),
    "xuelian": (
        "伊犁雪莲食品有限公司",
        "91654021MA78A2LB5",
        LegalForm.LEGAL_PERSON,
        "C",
        date(2012, 6, 18),
        "伊宁市伊犁河路西三巷18号",
        "王海涛",
        "张敏",
        310,
    ),
    "jindun": (
        "新疆金盾建材有限公司",
        "91650104MA775K1T3",
        LegalForm.LEGAL_PERSON,
        "C",
        date(2015, 7, 1),
        "乌鲁木齐市新市区北京南路416号",
        "冯建国",
        "吴磊",
        150,
    ),
    "kangyuan": (
        "伊宁市康源药业有限公司",
        "9165400268957732X",
        LegalForm.LEGAL_PERSON,
        "C",
        date(2009, 10, 12),
        "伊宁市工业园区合作区路25号",
        "孙德明",
        "高红",
        205,
    ),
    "heating": (
        "伊宁市城市供热有限公司",
        "91654002710841226",
        LegalForm.LEGAL_PERSON,
        "D",
        date(1999, 10, 1),
        "伊宁市飞机场路188号",
        "王建新",
        "刘海燕",
        540,
    ),
    "yixiang": (
        "伊宁市伊香园餐饮管理有限公司",
        "91654002MA79F0RU6",
        LegalForm.LEGAL_PERSON,
        "H",
        date(2017, 4, 22),
        "伊宁市阿合买提江街汉人街美食城3号",
        "买买提江·吐尔逊",
        "热娜",
        85,
    ),
    "xinda": (
        "伊犁鑫达建筑安装工程有限公司",
        "91654002MA77P4HJ0",
        LegalForm.LEGAL_PERSON,
        "E",
        date(2010, 5, 5),
        "伊宁市上海路166号",
        "张立平",
        "黄伟",
        330,
    ),
    "tianhe": (
        "伊宁市天和建设工程有限公司",
        "91654002MA7746E1Y",
        LegalForm.LEGAL_PERSON,
        "E",
        date(2008, 3, 27),
        "伊宁市江苏大道26号",
        "陈国华",
        "刘建平",
        450,
    ),
}
PARENTS = {"lab_team": "伊宁市人民医院"}
# Food, medicines and pressure equipment are under compulsory licensing (M-13.2).
LICENCES = {
    "tianshan": "SC10665400200123",
    "xuelian": "SC11665402100457",
    "kangyuan": "新20160012",
}
TRADEMARK_EXEMPT = {"lab_team"}  # a hospital's front-line team: a special industry (M-11.4)

ISO9001 = "ISO 9001:2015"
ISO15189 = "ISO 15189:2012 医学实验室认可"
# key: [(standard, number, issuer, valid from, valid to)], renewals included: the demonstration
# cycles of 2017 to 2023 judge M-11.2 on their own deadlines.
CERTIFICATES = {
    "tianshan": [
        (ISO9001, "00117Q31204R2M", CQC, date(2017, 3, 1), date(2020, 2, 29)),
        (ISO9001, "00120Q31877R3M", CQC, date(2020, 3, 1), date(2023, 2, 28)),
        (ISO9001, "00123Q30921R4M", CQC, date(2023, 3, 1), date(2026, 2, 28)),
        ("ISO 22000:2018", "001FSMS2300412", CQC, date(2023, 3, 1), date(2026, 2, 28)),
    ],
    "hengxin": [
        (ISO9001, "04716Q10087R0M", BCC, date(2016, 1, 10), date(2019, 1, 9)),
        (ISO9001, "04719Q10233R1M", BCC, date(2019, 1, 10), date(2022, 1, 9)),
        (ISO9001, "04722Q10118R2M", BCC, date(2022, 1, 10), date(2025, 1, 9)),
    ],
    "jinggong": [
        (ISO9001, "00116Q28102R1M", CQC, date(2016, 6, 1), date(2019, 5, 31)),
        (ISO9001, "00119Q28765R2M", CQC, date(2019, 6, 1), date(2022, 5, 31)),
        (ISO9001, "00122Q29874R3M", CQC, date(2022, 6, 1), date(2025, 5, 31)),
        (ISO9001, "00125Q27650R4M", CQC, date(2025, 5, 20), date(2028, 5, 19)),
    ],
    "lab_team": [
        (ISO15189, "CNAS MT0587", CNAS, date(2016, 9, 1), date(2022, 8, 31)),
        (ISO15189, "CNAS MT0587", CNAS, date(2022, 9, 1), date(2028, 8, 31)),
    ],
    "silu": [
        (ISO9001, "03819Q20117R0M", CQM, date(2019, 4, 1), date(2022, 3, 31)),
        (ISO9001, "03822Q20345R0M", CQM, date(2022, 4, 1), date(2025, 3, 31)),
        ("ISO/IEC 27001:2013", "03822I20346R0M", CQM, date(2022, 4, 1), date(2025, 3, 31)),
        (ISO9001, "03825Q20112R1M", CQM, date(2025, 4, 1), date(2028, 3, 31)),
    ],
    "guoxiang": [
        (ISO9001, "00121Q32011R0M", CQC, date(2021, 1, 15), date(2024, 1, 14)),
        (ISO9001, "00124Q32551R1M", CQC, date(2024, 8, 1), date(2027, 7, 31)),
        ("GAP 良好农业规范认证", "GAP-654002-0117", CQC, date(2024, 8, 1), date(2027, 7, 31)),
    ],
    "xuelian": [
        (ISO9001, "00117Q35009R0M", CQC, date(2017, 9, 1), date(2020, 8, 31)),
        (ISO9001, "00120Q35112R1M", CQC, date(2020, 9, 1), date(2023, 8, 31)),
        (ISO9001, "00123Q35876R2M", CQC, date(2023, 9, 1), date(2026, 8, 31)),
    ],
    "jindun": [(ISO9001, "15724Q20901R1M", "中联认证中心", date(2024, 2, 1), date(2027, 1, 31))],
    # Expired before the 2025 deadline: shows a failed M-11.2.
    "kangyuan": [(ISO9001, "00122Q26543R1M", CQC, date(2022, 4, 1), date(2025, 3, 31))],
    "heating": [
        (ISO9001, "00118Q21077R1M", CQC, date(2018, 3, 1), date(2021, 2, 28)),
        (ISO9001, "00121Q21085R2M", CQC, date(2021, 3, 1), date(2024, 2, 29)),
        (ISO9001, "00124Q21098R3M", CQC, date(2024, 3, 1), date(2027, 2, 28)),
        ("ISO 45001:2018", "00124S21099R1M", CQC, date(2024, 3, 1), date(2027, 2, 28)),
    ],
    "xinda": [(ISO9001, "04723Q10521R2M", BCC, date(2023, 11, 1), date(2026, 10, 31))],
    "tianhe": [
        (ISO9001, "04718Q10301R1M", BCC, date(2018, 1, 15), date(2021, 1, 14)),
        (ISO9001, "04721Q10472R2M", BCC, date(2021, 1, 15), date(2024, 1, 14)),
        (ISO9001, "04724Q10688R3M", BCC, date(2024, 1, 15), date(2027, 1, 14)),
    ],
}
TRADEMARKS = {
    "tianshan": [("天山牧歌", "第10231876号", date(2012, 7, 14))],
    "hengxin": [("恒信建工", "第18765432号", date(2016, 11, 7))],
    "jinggong": [("伊精工", "第6654321号", date(2009, 3, 21))],
    "silu": [("丝路云", "第27654098号", date(2018, 10, 28))],
    "guoxiang": [("果香伊犁", "第21876543号", date(2017, 5, 14))],
    "xuelian": [("雪莲情", "第13450987号", date(2014, 2, 7))],
    "jindun": [("金盾", "第15098765号", date(2015, 9, 14))],
    "kangyuan": [("伊康源", "第9987654号", date(2012, 8, 28))],
    "heating": [("伊暖", "第25678123号", date(2018, 1, 21))],
    "yixiang": [("伊香园", "第30987612号", date(2019, 6, 7))],
    "xinda": [("鑫达安装", "第23456178号", date(2017, 12, 14))],
    "tianhe": [("天和建工", "第19876012号", date(2016, 4, 28))],
}


def _org(ctx: DemoContext, key: str) -> Organization:
    name, code17, form, industry, since, address, legal, contact, employees = ORGANIZATIONS[key]
    org = Organization(
        name=name,
        credit_code=make_credit_code(code17),
        legal_form=form.value,
        parent_name=PARENTS.get(key),
        district="乌鲁木齐市新市区" if code17[2:8] == "650104" else "伊宁市",
        registered_address=address,
        industry_code=industry,
        operating_since=since,
        trademark_exempt=key in TRADEMARK_EXEMPT,
        compulsory_licence_required=key in LICENCES,
        compulsory_licence_no=LICENCES.get(key),
        legal_representative=legal,
        contact_name=contact,
        contact_phone=f"0999-{8000000 + 1237 * (len(ctx.orgs) + 1)}",
        employees=employees,
    )
    ctx.add(org)
    for standard, number, issuer, start, end in CERTIFICATES.get(key, []):
        ctx.add(
            Certificate(
                organization_id=org.id,
                standard=standard,
                number=number,
                issuer=issuer,
                valid_from=start,
                valid_to=end,
            )
        )
    for mark, number, registered in TRADEMARKS.get(key, []):
        ctx.add(
            Trademark(
                organization_id=org.id, name=mark, registration_no=number, registered_on=registered
            )
        )
    return org


def load_organizations(ctx: DemoContext) -> None:
    for key in ORGANIZATIONS:
        ctx.orgs[key] = _org(ctx, key)
