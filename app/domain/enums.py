"""The award's vocabulary as enums; values are stored in the database, labels shown in Chinese."""

from enum import StrEnum


class LabeledEnum(StrEnum):
    """A StrEnum whose members carry a Chinese label in `LABELS`."""

    @property
    def label(self) -> str:
        return type(self).LABELS()[self]  # type: ignore[attr-defined]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Prize(LabeledEnum):
    """M-2: the Government Quality Award (organizations) and the Nomination Award."""

    AWARD = "award"
    NOMINATION = "nomination"

    @staticmethod
    def LABELS():
        return {Prize.AWARD: "政府质量奖", Prize.NOMINATION: "政府质量提名奖"}


class ApplicantKind(LabeledEnum):
    ORGANIZATION = "organization"
    INDIVIDUAL = "individual"

    @staticmethod
    def LABELS():
        return {ApplicantKind.ORGANIZATION: "组织", ApplicantKind.INDIVIDUAL: "个人"}


class Stage(LabeledEnum):
    """M-17, M-19: the stages of a cycle, in the only order they may be taken."""

    DRAFT = "draft"
    APPLICATIONS_OPEN = "applications_open"
    ELIGIBILITY = "eligibility"
    MATERIAL_REVIEW = "material_review"
    USER_EVALUATION = "user_evaluation"
    ONSITE_REVIEW = "onsite_review"
    COMPREHENSIVE = "comprehensive"
    COMMITTEE_VOTE = "committee_vote"
    PUBLIC_NOTICE = "public_notice"
    APPROVAL = "approval"
    ANNOUNCED = "announced"
    CLOSED = "closed"

    @staticmethod
    def LABELS():
        return {
            Stage.DRAFT: "筹备",
            Stage.APPLICATIONS_OPEN: "申报受理",
            Stage.ELIGIBILITY: "资格审查",
            Stage.MATERIAL_REVIEW: "材料评审",
            Stage.USER_EVALUATION: "用户评价",
            Stage.ONSITE_REVIEW: "现场评审",
            Stage.COMPREHENSIVE: "综合评价",
            Stage.COMMITTEE_VOTE: "评议表决",
            Stage.PUBLIC_NOTICE: "公示",
            Stage.APPROVAL: "报送审批",
            Stage.ANNOUNCED: "公布表彰",
            Stage.CLOSED: "已结束",
        }

    @property
    def order(self) -> int:
        return list(Stage).index(self)


class ReviewStage(LabeledEnum):
    """The two scored stages (M-19.2 material review, M-19.4 on-site review)."""

    MATERIAL = "material"
    ONSITE = "onsite"

    @staticmethod
    def LABELS():
        return {ReviewStage.MATERIAL: "材料评审", ReviewStage.ONSITE: "现场评审"}


class ApplicationStatus(LabeledEnum):
    """M-19.1 outcomes and later standing of an application."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED_INCOMPLETE = "returned_incomplete"
    RETURNED_INELIGIBLE = "returned_ineligible"
    RETURNED_FALSIFIED = "returned_falsified"
    ELIGIBLE = "eligible"
    SHORTLISTED = "shortlisted"
    NOT_SHORTLISTED = "not_shortlisted"
    FINALIST = "finalist"
    PROPOSED = "proposed"
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"
    DISQUALIFIED = "disqualified"
    WITHDRAWN = "withdrawn"

    @staticmethod
    def LABELS():
        return {
            ApplicationStatus.DRAFT: "草稿",
            ApplicationStatus.SUBMITTED: "已提交",
            ApplicationStatus.RETURNED_INCOMPLETE: "退回补正",
            ApplicationStatus.RETURNED_INELIGIBLE: "退回（不符合条件）",
            ApplicationStatus.RETURNED_FALSIFIED: "退回（弄虚作假）",
            ApplicationStatus.ELIGIBLE: "资格审查通过",
            ApplicationStatus.SHORTLISTED: "入围现场评审",
            ApplicationStatus.NOT_SHORTLISTED: "未入围现场评审",
            ApplicationStatus.FINALIST: "进入综合评价",
            ApplicationStatus.PROPOSED: "拟表彰",
            ApplicationStatus.AWARDED: "获奖",
            ApplicationStatus.NOT_AWARDED: "未获奖",
            ApplicationStatus.DISQUALIFIED: "取消资格",
            ApplicationStatus.WITHDRAWN: "主动撤回",
        }


class CheckStatus(LabeledEnum):
    """One line of an eligibility or qualification checklist."""

    PASS = "pass"
    FAIL = "fail"
    JUDGEMENT = "judgement"

    @staticmethod
    def LABELS():
        return {
            CheckStatus.PASS: "符合",
            CheckStatus.FAIL: "不符合",
            CheckStatus.JUDGEMENT: "需人工判定",
        }


class Aggregation(LabeledEnum):
    """RULES.md M-19.2 decisions: how a group's scoresheets make an application's stage score."""

    MEAN = "mean"
    TRIMMED_MEAN = "trimmed_mean"
    CONSENSUS = "consensus"

    @staticmethod
    def LABELS():
        return {
            Aggregation.MEAN: "算术平均",
            Aggregation.TRIMMED_MEAN: "去掉最高最低后平均",
            Aggregation.CONSENSUS: "组长合议",
        }


class SheetStatus(LabeledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @staticmethod
    def LABELS():
        return {SheetStatus.DRAFT: "草稿", SheetStatus.SUBMITTED: "已提交"}


class IncidentKind(LabeledEnum):
    """Records screened by M-11.5, M-13.3, M-13.4, M-26.2, M-26.3."""

    QUALITY_ACCIDENT = "quality_accident"
    SAFETY_ACCIDENT = "safety_accident"
    ENVIRONMENT_ACCIDENT = "environment_accident"
    EQUIPMENT_ACCIDENT = "equipment_accident"
    QUALITY_COMPLAINT = "quality_complaint"

    @staticmethod
    def LABELS():
        return {
            IncidentKind.QUALITY_ACCIDENT: "质量事故",
            IncidentKind.SAFETY_ACCIDENT: "安全生产事故",
            IncidentKind.ENVIRONMENT_ACCIDENT: "环境污染事故",
            IncidentKind.EQUIPMENT_ACCIDENT: "设备事故",
            IncidentKind.QUALITY_COMPLAINT: "质量投诉",
        }


class Severity(LabeledEnum):
    MINOR = "minor"
    MAJOR = "major"

    @staticmethod
    def LABELS():
        return {Severity.MINOR: "一般", Severity.MAJOR: "重大"}


class AuthorityLevel(LabeledEnum):
    """Level of a supervision sampling or authority (国家/自治区/州/市)."""

    NATIONAL = "national"
    REGION = "region"
    PREFECTURE = "prefecture"
    CITY = "city"

    @staticmethod
    def LABELS():
        return {
            AuthorityLevel.NATIONAL: "国家级",
            AuthorityLevel.REGION: "自治区级",
            AuthorityLevel.PREFECTURE: "州级",
            AuthorityLevel.CITY: "市级",
        }


class InterestKind(LabeledEnum):
    """M-25(2)(3)(4): kinds of interest a reviewer declares."""

    EMPLOYMENT = "employment"
    CONSULTING = "consulting"
    SHAREHOLDING = "shareholding"
    RELATIVE = "relative"
    GIFT = "gift"
    OTHER = "other"

    @staticmethod
    def LABELS():
        return {
            InterestKind.EMPLOYMENT: "任职",
            InterestKind.CONSULTING: "咨询服务",
            InterestKind.SHAREHOLDING: "持股",
            InterestKind.RELATIVE: "亲属关系",
            InterestKind.GIFT: "收受礼品",
            InterestKind.OTHER: "其他",
        }


class SanctionLevel(LabeledEnum):
    """M-25: criticism, warning, or disqualification as a reviewer."""

    CRITICISM = "criticism"
    WARNING = "warning"
    DISQUALIFICATION = "disqualification"

    @staticmethod
    def LABELS():
        return {
            SanctionLevel.CRITICISM: "批评",
            SanctionLevel.WARNING: "警告",
            SanctionLevel.DISQUALIFICATION: "撤销评审员资格",
        }


class RevocationGround(LabeledEnum):
    """M-26 (1)-(5)."""

    IMPROPER = "improper"
    SAMPLING = "sampling"
    ACCIDENT = "accident"
    ILLEGAL = "illegal"
    LOSS = "loss"

    @staticmethod
    def LABELS():
        return {
            RevocationGround.IMPROPER: "弄虚作假或以不正当手段获奖（M-26.1）",
            RevocationGround.SAMPLING: "监督抽查出现严重质量问题（M-26.2）",
            RevocationGround.ACCIDENT: "发生重大质量、环境、安全生产事故（M-26.3）",
            RevocationGround.ILLEGAL: "违法违规造成不良社会影响（M-26.4）",
            RevocationGround.LOSS: "当年效益出现亏损（M-26.5）",
        }


class RevocationStatus(LabeledEnum):
    OPEN = "open"
    VERIFIED = "verified"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    DISMISSED = "dismissed"

    @staticmethod
    def LABELS():
        return {
            RevocationStatus.OPEN: "待核实",
            RevocationStatus.VERIFIED: "市质评办已核实",
            RevocationStatus.REVIEWED: "委员会已审议",
            RevocationStatus.APPROVED: "市政府已批准撤销",
            RevocationStatus.DISMISSED: "不予撤销",
        }


class BanReason(LabeledEnum):
    FALSIFIED = "falsified"
    REVOKED = "revoked"

    @staticmethod
    def LABELS():
        return {
            BanReason.FALSIFIED: "申报弄虚作假，当年不得补报（M-19.1）",
            BanReason.REVOKED: "被撤销奖项，五年内不得申报（M-28）",
        }


class FollowUpStatus(LabeledEnum):
    DUE = "due"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    SENT_BACK = "sent_back"

    @staticmethod
    def LABELS():
        return {
            FollowUpStatus.DUE: "待提交",
            FollowUpStatus.RECEIVED: "已收到",
            FollowUpStatus.ACCEPTED: "已审核通过",
            FollowUpStatus.SENT_BACK: "退回修改",
        }


class ObjectionStatus(LabeledEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    LOGGED_ANONYMOUS = "logged_anonymous"

    @staticmethod
    def LABELS():
        return {
            ObjectionStatus.OPEN: "待处理",
            ObjectionStatus.RESOLVED: "已处理",
            ObjectionStatus.LOGGED_ANONYMOUS: "匿名（仅登记）",
        }


class VoteChoice(LabeledEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"

    @staticmethod
    def LABELS():
        return {VoteChoice.FOR: "赞成", VoteChoice.AGAINST: "反对", VoteChoice.ABSTAIN: "弃权"}


class SatisfactionMethod(LabeledEnum):
    """M-19.3: the applicant's own evidence or a third-party survey."""

    OWN_EVIDENCE = "own_evidence"
    THIRD_PARTY = "third_party"

    @staticmethod
    def LABELS():
        return {
            SatisfactionMethod.OWN_EVIDENCE: "申报单位提供证明材料",
            SatisfactionMethod.THIRD_PARTY: "第三方机构测评",
        }


class Degree(LabeledEnum):
    """M-10.2: at least a bachelor's degree."""

    BELOW_BACHELOR = "below_bachelor"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @staticmethod
    def LABELS():
        return {
            Degree.BELOW_BACHELOR: "本科以下",
            Degree.BACHELOR: "大学本科",
            Degree.MASTER: "硕士研究生",
            Degree.DOCTORATE: "博士研究生",
        }


class RecommenderKind(LabeledEnum):
    """M-9: industry department, industry association, market regulator."""

    DEPARTMENT = "department"
    ASSOCIATION = "association"
    REGULATOR = "regulator"

    @staticmethod
    def LABELS():
        return {
            RecommenderKind.DEPARTMENT: "行业主管部门",
            RecommenderKind.ASSOCIATION: "行业协会",
            RecommenderKind.REGULATOR: "市场监督管理局",
        }


class LegalForm(LabeledEnum):
    """M-2: legal person, unincorporated organization, or branch/internal/dispatched body."""

    LEGAL_PERSON = "legal_person"
    UNINCORPORATED = "unincorporated"
    BRANCH = "branch"
    TEAM = "team"

    @staticmethod
    def LABELS():
        return {
            LegalForm.LEGAL_PERSON: "法人",
            LegalForm.UNINCORPORATED: "非法人组织",
            LegalForm.BRANCH: "分支、内设或派出机构",
            LegalForm.TEAM: "基层一线班组",
        }
