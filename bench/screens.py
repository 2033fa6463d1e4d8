"""The list screens measured, with the floor's hand-written SQL for the same rows and columns."""

from dataclasses import dataclass

APPLICANT = "COALESCE(o.name, i.name)"


@dataclass(frozen=True)
class Screen:
    view: str  # the award app's view class, e.g. "ScoresheetView"
    model: str  # model class name in models/
    reviewer: bool  # whether a Reviewer has this screen
    headers: tuple[str, ...]
    sql: str  # one query: the page's rows, the same columns, LIMIT/OFFSET bound

    @property
    def url(self) -> str:
        return f"/{self.view.lower()}/list/"


SCREENS = [
    Screen(
        "OrganizationView",
        "Organization",
        False,
        ("名称", "统一社会信用代码", "组织形式", "行业", "所在地", "经营起始"),
        "SELECT t.id, t.name, t.credit_code, t.legal_form, ind.code || ' ' || ind.name_zh,"
        " t.district, t.operating_since FROM organization t"
        " JOIN industry ind ON ind.code = t.industry_code ORDER BY t.id LIMIT :limit OFFSET :offset",
    ),
    Screen(
        "ApplicationView",
        "Application",
        True,
        ("编号", "年度", "奖项", "申报主体", "状态", "提交日期"),
        f"SELECT t.id, t.number, c.name, t.prize, {APPLICANT}, t.status, t.submitted_on"
        " FROM application t JOIN award_cycle c ON c.id = t.cycle_id"
        " LEFT JOIN organization o ON o.id = t.organization_id"
        " LEFT JOIN individual i ON i.id = t.individual_id"
        " ORDER BY t.id LIMIT :limit OFFSET :offset",
    ),
    Screen(
        "ReviewerView",
        "Reviewer",
        False,
        ("编号", "姓名", "学历", "工作单位", "专业门类", "评审次数", "在库"),
        "SELECT t.id, t.code, t.name, t.degree, t.employer_name, t.industries,"
        " t.excellence_reviews_done, t.active FROM reviewer t"
        " ORDER BY t.id LIMIT :limit OFFSET :offset",
    ),
    Screen(
        "ScoresheetView",
        "Scoresheet",
        True,
        ("申报", "评审员", "阶段", "状态", "总分", "提交时间"),
        f"SELECT t.id, a.number || ' ' || {APPLICANT}, r.code || ' ' || r.name, t.stage,"
        " t.status, t.total, t.submitted_at FROM scoresheet t"
        " JOIN application a ON a.id = t.application_id"
        " LEFT JOIN organization o ON o.id = a.organization_id"
        " LEFT JOIN individual i ON i.id = a.individual_id"
        " JOIN reviewer r ON r.id = t.reviewer_id ORDER BY t.id LIMIT :limit OFFSET :offset",
    ),
    Screen(
        "ScoreLineView",
        "ScoreLine",
        True,
        ("评分表", "评价条目", "得分率", "得分"),
        "SELECT t.id, t.scoresheet_id, ci.code || ' ' || ci.name_zh, t.percent, t.points"
        " FROM score_line t JOIN criteria_item ci ON ci.id = t.item_id"
        " ORDER BY t.id LIMIT :limit OFFSET :offset",
    ),
    Screen(
        "FollowUpReportView",
        "FollowUpReport",
        False,
        ("获奖记录", "报告年度", "截止日期", "状态", "收到日期"),
        f"SELECT t.id, aw.certificate_no || ' ' || {APPLICANT}, t.report_year, t.due_on,"
        " t.status, t.received_on FROM follow_up_report t JOIN award aw ON aw.id = t.award_id"
        " JOIN application a ON a.id = aw.application_id"
        " LEFT JOIN organization o ON o.id = a.organization_id"
        " LEFT JOIN individual i ON i.id = a.individual_id"
        " ORDER BY t.due_on DESC, t.id LIMIT :limit OFFSET :offset",
    ),
    Screen(
        "AuditEntryView",
        "AuditEntry",
        False,
        ("时间", "用户", "操作", "对象类型", "对象编号", "摘要"),
        "SELECT t.id, t.at, t.username, t.action, t.object_type, t.object_id, t.summary"
        " FROM audit_entry t ORDER BY t.id DESC LIMIT :limit OFFSET :offset",
    ),
]

BY_VIEW = {s.view: s for s in SCREENS}
