"""Screens, registered by the factory (never as an import side effect)."""

from flask_babel import lazy_gettext as _

from . import (
    after,
    applicants,
    audit,
    cycle_amendments,
    cycles,
    documents,
    evaluation,
    intake,
    notifications,
    official_docs,
    reference,
    review,
    security_events,
)

# (category name, Chinese label, icon, [(view class, Chinese label, icon)])
MENU = [
    (
        "Intake",
        _("申报受理"),
        "fa-inbox",
        [
            (cycles.AwardCycleView, _("评定年度"), "fa-calendar"),
            (intake.ApplicationView, _("申报"), "fa-file-text"),
            (intake.RecommendationView, _("推荐意见"), "fa-thumbs-up"),
            (intake.RecommenderView, _("推荐单位"), "fa-university"),
            (intake.EligibilityReviewView, _("资格审查记录"), "fa-check-square"),
            (intake.EligibilityJudgementView, _("资格条件人工判定"), "fa-gavel"),
            (intake.DisqualificationView, _("取消资格记录"), "fa-ban"),
            (documents.ApplicationDocumentView, _("申报材料"), "fa-paperclip"),
        ],
    ),
    (
        "Applicants",
        _("申报主体"),
        "fa-building",
        [
            (applicants.OrganizationView, _("组织"), "fa-building"),
            (applicants.IndividualView, _("个人"), "fa-user"),
            (applicants.CertificateView, _("管理体系证书"), "fa-certificate"),
            (applicants.TrademarkView, _("注册商标"), "fa-trademark"),
            (applicants.IncidentView, _("事故及质量投诉"), "fa-exclamation-triangle"),
            (applicants.SamplingResultView, _("监督抽查结果"), "fa-flask"),
            (applicants.PenaltyView, _("行政处罚"), "fa-legal"),
            (applicants.BanView, _("禁止申报记录"), "fa-lock"),
        ],
    ),
    (
        "Review",
        _("专家评审"),
        "fa-users",
        [
            (review.ReviewerView, _("评审员"), "fa-user-md"),
            (review.ReviewGroupView, _("评审组"), "fa-users"),
            (review.ReviewGroupMemberView, _("评审组成员"), "fa-user-plus"),
            (review.ReviewAssignmentView, _("评审分配"), "fa-random"),
            (review.ScoresheetView, _("评分表"), "fa-pencil-square-o"),
            (review.ScoreLineView, _("评分明细"), "fa-list-ol"),
            (review.StageScoreView, _("阶段得分"), "fa-bar-chart"),
            (review.ReviewReportView, _("评审报告"), "fa-file-o"),
            (review.ScoreChangeView, _("评分修改记录"), "fa-history"),
            (review.InterestDeclarationView, _("利害关系申报"), "fa-handshake-o"),
            (review.ConsultingEngagementView, _("咨询服务记录"), "fa-briefcase"),
            (review.ReviewerCertificateView, _("评审员证书"), "fa-id-card"),
            (review.ReviewerSanctionView, _("评审员处理记录"), "fa-warning"),
        ],
    ),
    (
        "Evaluation",
        _("评议与表彰"),
        "fa-trophy",
        [
            (evaluation.SatisfactionEvaluationView, _("用户满意度测评"), "fa-smile-o"),
            (evaluation.CommitteeVoteView, _("委员会表决"), "fa-check-circle"),
            (evaluation.PublicNoticeView, _("公示"), "fa-bullhorn"),
            (evaluation.ObjectionView, _("异议"), "fa-comment"),
            (evaluation.GovernmentApprovalView, _("市政府审批"), "fa-stamp"),
            (evaluation.AwardView, _("获奖记录"), "fa-trophy"),
            (evaluation.PrizePaymentView, _("奖金支付"), "fa-money"),
            (official_docs.IssuedDocumentView, _("公文与报告"), "fa-file-word-o"),
        ],
    ),
    (
        "AfterAward",
        _("获奖后管理"),
        "fa-refresh",
        [
            (after.FollowUpReportView, _("年度报告"), "fa-file-text-o"),
            (after.RevocationCaseView, _("撤销案件"), "fa-times-circle"),
            (after.RecoveryView, _("追回记录"), "fa-undo"),
        ],
    ),
    (
        "Reference",
        _("基础数据"),
        "fa-database",
        [
            (reference.CriteriaVersionView, _("评价准则版本"), "fa-book"),
            (reference.CriteriaItemView, _("评价条目"), "fa-list"),
            (reference.IndustryView, _("行业门类"), "fa-industry"),
            (reference.NoticeHolidayView, _("法定节假日"), "fa-calendar-o"),
            (reference.StageMoveView, _("阶段变更记录"), "fa-step-forward"),
            (cycle_amendments.CycleAmendmentView, _("设置变更记录"), "fa-pencil-square-o"),
        ],
    ),
    (
        "Audit",
        _("审计与通知"),
        "fa-shield",
        [
            (audit.AuditEntryView, _("审计日志"), "fa-shield"),
            (security_events.SecurityEventView, _("登录与安全事件"), "fa-sign-in"),
            (notifications.NotificationView, _("我的通知"), "fa-bell"),
        ],
    ),
]


def resource_name(view_cls) -> str:
    return view_cls.__name__.removesuffix("View")


def register_views(appbuilder) -> None:
    for category, category_label, category_icon, items in MENU:
        for view_cls, label, icon in items:
            appbuilder.add_view(
                view_cls,
                resource_name(view_cls),
                label=label,
                icon=icon,
                category=category,
                category_label=category_label,
                category_icon=category_icon,
            )
