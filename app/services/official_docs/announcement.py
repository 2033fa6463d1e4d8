"""M-17: the cycle's announcement - prizes and quotas, conditions, the application period and
where to apply, the review schedule and the arrangements."""

from datetime import date

from app.domain.stages import zh_date
from app.domain.zh_numbers import rmb_upper
from app.services.official_docs import layout as L
from app.services.official_docs.common import OFFICE, OFFICE_PREFIX, OFFICE_SEAT, cycle_of_year
from app.services.official_docs.registry import DocumentStageNotReached, Spec, register
from models import AwardCycle

CONDITIONS_ORG = [
    "在伊宁市行政区域内注册登记，具有法人资格或其他组织资格，符合国家产业、环保、节能、"
    "质量等政策，正常经营三年以上；",
    "持续实施卓越绩效管理，质量管理体系健全，通过 ISO 9001 等管理体系认证并有效运行，"
    "改进和创新成效显著；",
    "经营业绩良好，规模、利税和总资产贡献率在本市同行业中处于领先水平；",
    "主导产品和服务拥有注册商标（特殊行业除外），技术水平、新产品开发和节能减排居本市同行业前列；",
    "近三年未发生负有责任的重大质量、环境、安全生产事故，在国家、自治区、州、市监督抽查"
    "中无严重质量问题；",
    "信用记录良好，顾客满意度高，积极履行社会责任，无违法违规行为。",
]
CONDITIONS_PERSON = (
    "申报政府质量提名奖的个人，应在本市组织中从事或领导质量管理工作五年以上，熟悉产品质量"
    "法律法规，在质量改进、创新和品牌建设中作出突出贡献，遵纪守法、品德良好。"
)


def ensure_announceable(cycle: AwardCycle) -> None:
    """M-17: the announcement states the application period; without it there is nothing to
    announce."""
    missing = [
        label
        for label, value in (("申报开始日期", cycle.opens_on), ("申报截止日期", cycle.deadline))
        if value is None
    ]
    if missing:
        raise DocumentStageNotReached(
            f"{cycle.name}尚未确定{'、'.join(missing)}（「筹备」阶段的工作未完成），不能生成评定公告",
            rule="M-17",
        )


def title_of(cycle: AwardCycle) -> str:
    return f"关于开展{cycle.year}年度伊宁市政府质量奖评定工作的公告"


def build(cycle: AwardCycle, number: str | None = None, dated: date | None = None) -> bytes:
    doc = L.new_document(
        title_of(cycle),
        issuer=OFFICE + "文件",
        number=number or f"{OFFICE_PREFIX}〔{cycle.year}〕  号",
    )
    L.add_paragraph(
        doc,
        f"为深入实施质量强市战略，推广先进质量管理方法，根据《{cycle.regulation_version}》"
        f"（以下简称《办法》），现将{cycle.year}年度伊宁市政府质量奖（以下简称质量奖）评定工作"
        "有关事项公告如下：",
    )
    L.add_heading(doc, "一、奖项设置和名额")
    L.add_paragraph(
        doc,
        f"本年度设政府质量奖和政府质量提名奖。政府质量奖授予组织，名额不超过{cycle.award_quota}个，"
        f"每个奖励{rmb_upper(cycle.award_amount)}；政府质量提名奖授予组织或个人，名额不超过"
        f"{cycle.nomination_quota}个，每个奖励{rmb_upper(cycle.nomination_amount)}。"
        "无符合条件者的奖项可以空缺。",
    )
    L.add_heading(doc, "二、申报条件")
    L.add_paragraph(doc, "申报政府质量奖的组织应同时具备下列条件：")
    for i, text in enumerate(CONDITIONS_ORG, 1):
        L.add_paragraph(doc, f"（{'一二三四五六'[i - 1]}）{text}")
    L.add_paragraph(doc, CONDITIONS_PERSON)
    L.add_paragraph(
        doc,
        "不符合国家产业、环保、质量政策，近三年监督抽查不合格或发生重大质量、设备、安全、"
        "环境事故，近三年受到重大质量事故行政处罚，或有其他严重违法违规行为的，不得申报。",
    )
    L.add_heading(doc, "三、申报时间和方式")
    L.add_paragraph(
        doc,
        f"申报受理时间为{zh_date(cycle.opens_on)}至{zh_date(cycle.deadline)}，逾期不予受理。"
        "申报组织或个人登录伊宁市政府质量奖评定管理系统填写申报表，组织提交自评报告，"
        "个人提交先进事迹材料，并附有关证明材料，经推荐单位签署推荐意见后，"
        f"在截止日期前将纸质材料一式两份报送市质评办（设在{OFFICE_SEAT}）。"
        f"材料不全的，应在接到补正通知之日起{cycle.supplement_days}日内补正。",
    )
    L.add_heading(doc, "四、评审安排")
    working = "工作日" if cycle.notice_working_days else "自然日"
    steps = [
        "资格审查：市质评办对申报材料的完整性、符合性和真实性进行审查，报委员会确认。",
        "材料评审：评审组依据评审标准逐项评分"
        + (f"，{zh_date(cycle.material_review_on)}开始。" if cycle.material_review_on else "。"),
        "用户评价：入围现场评审的组织提供用户满意度证明，或由第三方机构开展测评。",
        "现场评审：评审组赴现场评审"
        + (f"，{zh_date(cycle.onsite_review_on)}开始。" if cycle.onsite_review_on else "。"),
        "综合评价：按现场评审得分由高到低排序，提出拟表彰对象建议名单。",
        f"评议公示：委员会评议表决后，拟表彰对象向社会公示，公示期不少于{cycle.notice_days}个{working}。",
        "报送审批、公布表彰：公示无异议或异议处理完毕后报市人民政府审定，予以公布表彰。",
    ]
    for i, text in enumerate(steps, 1):
        L.add_paragraph(doc, f"（{'一二三四五六七'[i - 1]}）{text}")
    L.add_heading(doc, "五、其他事项")
    criteria = cycle.criteria_version
    standard = (
        f"《{criteria.name}》" if criteria is not None and getattr(criteria, "name", None) else ""
    )
    L.add_paragraph(
        doc,
        f"评审依据 GB/T 19580《卓越绩效评价准则》{standard}。质量奖评定不向申报组织和个人"
        "收取任何费用。申报材料弄虚作假的，当年不得补报；已获奖的，撤销其奖励。",
    )
    for line in (cycle.arrangements or "").splitlines():
        if line.strip():
            L.add_paragraph(doc, line.strip())
    L.add_signature(doc, OFFICE, dated)
    return L.to_bytes(doc)


register(
    Spec(
        kind="announcement",
        label_zh="评定公告",
        target="year",
        builder=build,
        load=cycle_of_year,
        stage_check=ensure_announceable,
        issuer=OFFICE,
        number_prefix=OFFICE_PREFIX,
        rule="M-17",
        year_of=lambda cycle: cycle.year,
    )
)
