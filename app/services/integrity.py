"""What depends on a row, and database integrity errors in a clerk's words."""

from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db


def _table_labels():
    from views.labels import TABLE_LABELS

    return TABLE_LABELS


def dependents_of(item) -> str:
    """Chinese summary of the rows that reference `item` ('' when none): a delete would orphan them."""
    table = item.__table__
    pk = inspect(item).identity[0]
    parts = []
    labels = _table_labels()
    for other in item.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table or fk.ondelete == "CASCADE":
                continue
            n = db.session.scalar(select(func.count()).select_from(other).where(fk.parent == pk))
            if n:
                parts.append(f"{n} 条{labels.get(other.name, other.name)}")
    return "、".join(parts)


_CONSTRAINT_MESSAGES = {
    "uq_application_cycle_org": "该组织在本届已有申报，同一届只能申报一次",
    "uq_application_cycle_individual": "该个人在本届已有申报，同一届只能申报一次",
    "quotas": "每届政府质量奖、提名奖名额各为 0 到 2 个（M-4）",
    "award_for_orgs": "政府质量奖只授予组织，个人只能申报政府质量提名奖（M-2）",
    "percent_step": "得分率须为 0 到 100 之间 5 的倍数（M-19.2）",
    "one_applicant": "须且只能选择一个申报主体（组织或个人）",
    "tally": "赞成、反对、弃权票数之和不能超过出席人数（M-19.6）",
    "present": "出席人数不能超过委员人数（M-19.6）",
    "validity_order": "证书有效期止不能早于有效期起",
    "ban_order": "禁止申报结束日期不能早于开始日期",
    "period": "公示结束日期不能早于开始日期",
    "dates": "申报截止日期不能早于申报开始日期（M-17）",
    "index": "满意度指数须在 0 到 100 之间（M-19.3）",
    "responses": "有效问卷数不能超过样本量（M-19.3）",
}


def describe_integrity_error(exc: IntegrityError) -> str:
    text = str(exc.orig)
    for name, message in _CONSTRAINT_MESSAGES.items():
        if name in text:
            return message
    lowered = text.lower()
    if "unique" in lowered or "duplicate" in lowered:
        for column, label in (
            ("credit_code", "统一社会信用代码"),
            ("id_number", "居民身份证号码"),
            ("certificate_no", "证书编号"),
            ("number", "编号"),
            ("year", "年度"),
            ("code", "代码"),
            ("name", "名称"),
        ):
            if column in lowered:
                return f"{label}已存在，不能重复登记"
        return "该记录与已有记录重复，不能保存"
    if "foreign key" in lowered:
        return "关联的记录不存在或仍被引用，操作被拒绝"
    if "not null" in lowered or "null value" in lowered:
        return "必填项未填写，未保存"
    if "check" in lowered:
        return "数值不符合规则（如金额不能为负、日期顺序），未保存"
    return "数据不符合完整性约束，未保存"
