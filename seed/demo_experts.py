"""Demo recommenders (M-9) and reviewers with their qualifications, sanctions and interests (M-10, M-25)."""

from datetime import date

from app.domain.enums import Degree, InterestKind, RecommenderKind, SanctionLevel
from app.domain.identifiers import make_id_number
from models import (
    ConsultingEngagement,
    InterestDeclaration,
    Recommender,
    Reviewer,
    ReviewerCertificate,
    ReviewerSanction,
)

from .context import DemoContext

# key: (name, kind, sectors, contact, phone, user)
RECOMMENDERS = {
    "miit": (
        "伊宁市工业和信息化局",
        RecommenderKind.DEPARTMENT,
        "C,D",
        "黄建军",
        "0999-8023561",
        "recommender1",
    ),
    "housing": (
        "伊宁市住房和城乡建设局",
        RecommenderKind.DEPARTMENT,
        "E",
        "李文斌",
        "0999-8031277",
        None,
    ),
    "health": (
        "伊宁市卫生健康委员会",
        RecommenderKind.DEPARTMENT,
        "Q",
        "帕提古丽",
        "0999-8026640",
        None,
    ),
    "association": (
        "伊宁市质量协会",
        RecommenderKind.ASSOCIATION,
        "A,C,F,H,I",
        "周晓东",
        "0999-8059012",
        None,
    ),
    "samr": ("伊宁市市场监督管理局", RecommenderKind.REGULATOR, "", "王丽", "0999-8022315", None),
}

# code: (name, user, ID body, employer, title, degree, quality work since, reviews done,
#        industries)
REVIEWERS = {
    "R001": (
        "张卫国",
        "leader1",
        "65400219680915051",
        "伊犁哈萨克自治州质量技术服务中心",
        "正高级工程师",
        Degree.MASTER,
        date(1996, 7, 1),
        18,
        "C,D",
    ),
    "R002": (
        "刘芳",
        "reviewer1",
        "65010219750228062",
        "伊犁哈萨克自治州标准化研究所",
        "高级工程师",
        Degree.BACHELOR,
        date(2005, 9, 1),
        9,
        "E",
    ),
    "R003": (
        "古丽娜尔·艾山",
        "reviewer2",
        "65400219800412102",
        "伊犁哈萨克自治州医疗质量控制中心",
        "主任医师",
        Degree.MASTER,
        date(2008, 3, 1),
        6,
        "Q,H",
    ),
    "R004": (
        "周明",
        "reviewer3",
        "65010319820630031",
        "新疆大学经济与管理学院",
        "副教授",
        Degree.DOCTORATE,
        date(2010, 9, 1),
        5,
        "I,C",
    ),
    "R005": (
        "陈静",
        "reviewer4",
        "65400319840118204",
        "伊犁哈萨克自治州农业技术推广中心",
        "高级农艺师",
        Degree.BACHELOR,
        date(2009, 5, 1),
        4,
        "A,C",
    ),
    # Below a bachelor's degree: fails M-10.2 and can never be put in a group.
    "R006": (
        "赵强",
        None,
        "65400219710305071",
        "伊宁市建筑业协会",
        "工程师",
        Degree.BELOW_BACHELOR,
        date(2001, 3, 1),
        3,
        "E",
    ),
    # Disqualified in 2023 (M-25(4)).
    "R007": (
        "孙立新",
        None,
        "65400219730822053",
        "伊犁某工程咨询有限公司",
        "高级工程师",
        Degree.BACHELOR,
        date(2003, 6, 1),
        7,
        "E",
    ),
    "R008": (
        "吴海燕",
        None,
        "65400219770519124",
        "伊犁师范大学",
        "教授",
        Degree.MASTER,
        date(2006, 9, 1),
        8,
        "Q,E",
    ),
}


def load_recommenders(ctx: DemoContext) -> None:
    for key, (name, kind, sectors, contact, phone, username) in RECOMMENDERS.items():
        user = ctx.users.get(username) if username else None
        ctx.recommenders[key] = ctx.add(
            Recommender(
                name=name,
                kind=kind.value,
                sectors=sectors,
                contact_name=contact,
                contact_phone=phone,
                user_id=user.id if user is not None else None,
            )
        )


def load_reviewers(ctx: DemoContext) -> None:
    for number, (code, row) in enumerate(REVIEWERS.items(), start=1):
        name, username, id_body, employer, title, degree, since, done, industries = row
        user = ctx.users.get(username) if username else None
        reviewer = ctx.add(
            Reviewer(
                code=code,
                name=name,
                user_id=user.id if user is not None else None,
                id_number=make_id_number(id_body),
                employer_name=employer,
                title=title,
                degree=degree.value,
                quality_work_since=since,
                excellence_reviews_done=done,
                law_training_on=date(2024, 4, 12),
                law_training_certificate=f"伊质培〔2024〕{number:03d}号",
                integrity_pledge_on=date(2025, 3, 1),
                industries=industries,
                phone=f"1390999{number:04d}",
                email=f"{code.lower()}@reviewers.example.cn",
            )
        )
        ctx.reviewers[code] = reviewer
        if code != "R006":
            ctx.add(
                ReviewerCertificate(
                    reviewer_id=reviewer.id,
                    name="卓越绩效评价准则评审员",
                    number=f"XJZL-PS-{2015 + number}-{number:03d}",
                    issuer="新疆维吾尔自治区质量协会",
                    valid_to=date(2027, 12, 31),
                )
            )
    ctx.add(
        ReviewerSanction(
            reviewer_id=ctx.reviewers["R007"].id,
            level=SanctionLevel.DISQUALIFICATION.value,
            breach="M-25(4) 收受申报单位礼品",
            reason="2022年度评审期间收受申报单位购物卡，经市质评办查实，撤销评审员资格",
            decided_on=date(2023, 5, 10),
            decided_by="office",
        ),
        ReviewerSanction(
            reviewer_id=ctx.reviewers["R008"].id,
            level=SanctionLevel.CRITICISM.value,
            breach="M-25(1) 未按规定程序评审",
            reason="2024年度现场评审迟到且提前离场，予以批评",
            decided_on=date(2024, 9, 2),
            decided_by="office",
        ),
    )
    _interests(ctx)


def _interests(ctx: DemoContext) -> None:
    """A declared consulting interest and a consulting engagement found by the Office (M-25)."""
    ctx.add(
        InterestDeclaration(
            reviewer_id=ctx.reviewers["R003"].id,
            organization_id=ctx.orgs["heating"].id,
            kind=InterestKind.CONSULTING.value,
            source="declared",
            declared_on=date(2026, 3, 20),
            note="2024年3月至9月为该单位卓越绩效自评报告编写提供辅导",
        ),
        ConsultingEngagement(
            reviewer_id=ctx.reviewers["R005"].id,
            organization_id=ctx.orgs["guoxiang"].id,
            started_on=date(2025, 10, 1),
            ended_on=date(2025, 12, 31),
            note="受聘为该单位质量管理体系内审员培训讲师（有偿）",
        ),
    )
