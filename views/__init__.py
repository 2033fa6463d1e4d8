"""Screens, registered by the factory (never as an import side effect)."""

from . import (
    after,
    applicants,
    audit,
    cycles,
    documents,
    evaluation,
    intake,
    notifications,
    reference,
    review,
)

# (category name, Chinese label, icon, [(view class, Chinese label, icon)])
MENU = [
    (
        "Intake",
        "申报受理",
        "fa-inbox",
        [
            (cycles.AwardCycleView, "评定年度", "fa-calendar"),
            (intake.ApplicationView, "申报", "fa-file-text"),
            (intake.RecommendationView, "推荐意见", "fa-thumbs-up"),
            (intake.RecommenderView, "推荐单位", "fa-university"),
            (intake.EligibilityReviewView, "资格审查记录", "fa-check-square"),
            (intake.EligibilityJudgementView, "资格条件人工判定", "fa-gavel"),
            (intake.DisqualificationView, "取消资格记录", "fa-ban"),
            (documents.ApplicationDocumentView, "申报材料", "fa-paperclip"),
        ],
    ),
    (
        "Applicants",
        "申报主体",
        "fa-building",
        [
            (applicants.OrganizationView, "组织", "fa-building"),
            (applicants.IndividualView, "个人", "fa-user"),
            (applicants.CertificateView, "管理体系证书", "fa-certificate"),
            (applicants.TrademarkView, "注册商标", "fa-trademark"),
            (applicants.IncidentView, "事故及质量投诉", "fa-exclamation-triangle"),
            (applicants.SamplingResultView, "监督抽查结果", "fa-flask"),
            (applicants.PenaltyView, "行政处罚", "fa-legal"),
            (applicants.BanView, "禁止申报记录", "fa-lock"),
        ],
    ),
    (
        "Review",
        "专家评审",
        "fa-users",
        [
            (review.ReviewerView, "评审员", "fa-user-md"),
            (review.ReviewGroupView, "评审组", "fa-users"),
            (review.ReviewGroupMemberView, "评审组成员", "fa-user-plus"),
            (review.ReviewAssignmentView, "评审分配", "fa-random"),
            (review.ScoresheetView, "评分表", "fa-pencil-square-o"),
            (review.ScoreLineView, "评分明细", "fa-list-ol"),
            (review.StageScoreView, "阶段得分", "fa-bar-chart"),
            (review.ReviewReportView, "评审报告", "fa-file-o"),
            (review.ScoreChangeView, "评分修改记录", "fa-history"),
            (review.InterestDeclarationView, "利害关系申报", "fa-handshake-o"),
            (review.ConsultingEngagementView, "咨询服务记录", "fa-briefcase"),
            (review.ReviewerCertificateView, "评审员证书", "fa-id-card"),
            (review.ReviewerSanctionView, "评审员处理记录", "fa-warning"),
        ],
    ),
    (
        "Evaluation",
        "评议与表彰",
        "fa-trophy",
        [
            (evaluation.SatisfactionEvaluationView, "用户满意度测评", "fa-smile-o"),
            (evaluation.CommitteeVoteView, "委员会表决", "fa-check-circle"),
            (evaluation.PublicNoticeView, "公示", "fa-bullhorn"),
            (evaluation.ObjectionView, "异议", "fa-comment"),
            (evaluation.GovernmentApprovalView, "市政府审批", "fa-stamp"),
            (evaluation.AwardView, "获奖记录", "fa-trophy"),
            (evaluation.PrizePaymentView, "奖金支付", "fa-money"),
        ],
    ),
    (
        "AfterAward",
        "获奖后管理",
        "fa-refresh",
        [
            (after.FollowUpReportView, "年度报告", "fa-file-text-o"),
            (after.RevocationCaseView, "撤销案件", "fa-times-circle"),
            (after.RecoveryView, "追回记录", "fa-undo"),
        ],
    ),
    (
        "Reference",
        "基础数据",
        "fa-database",
        [
            (reference.CriteriaVersionView, "评价准则版本", "fa-book"),
            (reference.CriteriaItemView, "评价条目", "fa-list"),
            (reference.IndustryView, "行业门类", "fa-industry"),
            (reference.NoticeHolidayView, "法定节假日", "fa-calendar-o"),
            (reference.StageMoveView, "阶段变更记录", "fa-step-forward"),
        ],
    ),
    (
        "Audit",
        "审计与通知",
        "fa-shield",
        [
            (audit.AuditEntryView, "审计日志", "fa-shield"),
            (notifications.NotificationView, "我的通知", "fa-bell"),
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
