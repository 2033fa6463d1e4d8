"""Unmanaged models over the award's tables: only the columns the list screens show."""

from django.db import models


class Base(models.Model):
    class Meta:
        abstract = True
        managed = False


class Industry(Base):
    code = models.CharField(max_length=2, primary_key=True)
    name_zh = models.CharField(max_length=100)

    class Meta(Base.Meta):
        db_table = "industry"

    def __str__(self):
        return f"{self.code} {self.name_zh}"


class Organization(Base):
    name = models.CharField("名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    legal_form = models.CharField("组织形式", max_length=32)
    industry = models.ForeignKey(Industry, models.DO_NOTHING, db_column="industry_code")
    district = models.CharField("所在地", max_length=100, null=True)
    operating_since = models.DateField("经营起始", null=True)

    class Meta(Base.Meta):
        db_table = "organization"

    def __str__(self):
        return self.name


class Individual(Base):
    name = models.CharField(max_length=50)

    class Meta(Base.Meta):
        db_table = "individual"

    def __str__(self):
        return self.name


class AwardCycle(Base):
    year = models.IntegerField()
    name = models.CharField(max_length=200)

    class Meta(Base.Meta):
        db_table = "award_cycle"

    def __str__(self):
        return self.name


class Application(Base):
    number = models.CharField("编号", max_length=30)
    cycle = models.ForeignKey(AwardCycle, models.DO_NOTHING)
    prize = models.CharField("奖项", max_length=32)
    organization = models.ForeignKey(Organization, models.DO_NOTHING, null=True)
    individual = models.ForeignKey(Individual, models.DO_NOTHING, null=True)
    status = models.CharField("状态", max_length=32)
    submitted_on = models.DateField("提交日期", null=True)

    class Meta(Base.Meta):
        db_table = "application"

    @property
    def applicant_name(self):
        return str(self.organization or self.individual)

    def __str__(self):
        return f"{self.number} {self.applicant_name}"


class Reviewer(Base):
    code = models.CharField("编号", max_length=20)
    name = models.CharField("姓名", max_length=50)
    degree = models.CharField("学历", max_length=32)
    employer_name = models.CharField("工作单位", max_length=200, null=True)
    industries = models.CharField("专业门类", max_length=100)
    excellence_reviews_done = models.IntegerField("评审次数")
    active = models.BooleanField("在库")

    class Meta(Base.Meta):
        db_table = "reviewer"

    def __str__(self):
        return f"{self.code} {self.name}"


class Scoresheet(Base):
    application = models.ForeignKey(Application, models.DO_NOTHING)
    reviewer = models.ForeignKey(Reviewer, models.DO_NOTHING)
    stage = models.CharField("阶段", max_length=32)
    status = models.CharField("状态", max_length=32)
    total = models.DecimalField("总分", max_digits=7, decimal_places=2)
    submitted_at = models.DateTimeField("提交时间", null=True)

    class Meta(Base.Meta):
        db_table = "scoresheet"

    def __str__(self):
        return f"{self.application} / {self.reviewer}"


class CriteriaItem(Base):
    code = models.CharField(max_length=10)
    name_zh = models.CharField(max_length=100)
    points = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta(Base.Meta):
        db_table = "criteria_item"

    def __str__(self):
        return f"{self.code} {self.name_zh}（{self.points}分）"


class ScoreLine(Base):
    scoresheet_id = models.IntegerField("评分表")
    item = models.ForeignKey(CriteriaItem, models.DO_NOTHING)
    percent = models.IntegerField("得分率", null=True)
    points = models.DecimalField("得分", max_digits=7, decimal_places=2, null=True)

    class Meta(Base.Meta):
        db_table = "score_line"


class Award(Base):
    application = models.ForeignKey(Application, models.DO_NOTHING)
    certificate_no = models.CharField(max_length=50)

    class Meta(Base.Meta):
        db_table = "award"

    def __str__(self):
        return f"{self.certificate_no} {self.application.applicant_name}"


class FollowUpReport(Base):
    award = models.ForeignKey(Award, models.DO_NOTHING)
    report_year = models.IntegerField("报告年度")
    due_on = models.DateField("截止日期")
    status = models.CharField("状态", max_length=32)
    received_on = models.DateField("收到日期", null=True)

    class Meta(Base.Meta):
        db_table = "follow_up_report"


class AuditEntry(Base):
    at = models.DateTimeField("时间")
    username = models.CharField("用户", max_length=64, null=True)
    action = models.CharField("操作", max_length=60)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.IntegerField("对象编号", null=True)
    summary = models.TextField("摘要")

    class Meta(Base.Meta):
        db_table = "audit_entry"
