"""The audit log read as sentences and tables in Chinese (issue 16, readable records): actions
and record kinds by their Chinese names, people by full name, cycles by year, applications by
number and applicant, the row changes' fields by their labels. The stored entries (covered by
the MAC) are not touched: only how they are shown."""

import enum
import re
from datetime import datetime

from flask import g
from markupsafe import Markup, escape

from app.presentation import when
from app.security.roles import ROLE_LABELS
from app.services import selectors
from app.services.audit_capture import KINDS
from app.services.people import name_of

from .labels import COLUMN_LABELS, TABLE_LABELS

ROW_ACTION_LABELS = dict(KINDS.values())
ACTION_LABELS = {
    **ROW_ACTION_LABELS,
    "accept_group_proposal": "采纳评审组方案",
    "advance_stage": "推进阶段",
    "amend_cycle": "变更年度设置",
    "approval": "市政府审批",
    "assign_review_group": "分配评审组",
    "ban": "禁止申报",
    "close_review_group": "结束评审组评审",
    "committee_vote": "委员会表决",
    "create_award": "颁发奖项",
    "disqualify": "取消资格",
    "document_delete": "删除申报材料",
    "document_download": "下载申报材料",
    "document_upload": "上传申报材料",
    "eligibility_confirmation_voided": "资格审查确认作废",
    "eligibility_confirmed": "确认资格审查名单",
    "eligibility_judgement": "资格条件人工判定",
    "eligibility_outcome": "资格审查结论",
    "eligibility_supplement": "通知补正材料",
    "export": "导出",
    "lift_ban": "解除禁止申报",
    "notice": "公示期",
    "objection": "受理异议",
    "objection_note": "异议处理记录",
    "prize_payment": "奖金支付",
    "publish_notice": "发布公示",
    "rank_cycle": "排名",
    "rank_result": "排名结果",
    "reinstate": "恢复资格",
    "reopen_review_group": "重新开启评审组",
    "reopen_scoresheet": "退回评分表",
    "resolve_objection": "处理异议",
    "sanction_reviewer": "处理评审员",
    "satisfaction": "用户满意度测评",
    "shortlist": "入围",
    "stage_finalist": "进入综合评价",
    "stage_score": "阶段得分",
    "unassign_review_group": "撤销评审组分配",
    "view_pii": "查看个人信息",
    "vote_failed": "表决未通过",
}
# Flask-AppBuilder's own tables and fields, named as the Chinese screens name them.
FAB_TABLES = {
    "User": "用户",
    "Role": "角色",
    "Permission": "权限",
    "ViewMenu": "视图菜单",
    "PermissionView": "权限项",
    "Group": "用户组",
    "System": "系统",
}
FAB_FIELDS = {
    "first_name": "姓",
    "last_name": "名",
    "username": "用户名",
    "password": "密码",
    "active": "启用",
    "email": "电子邮箱",
    "last_login": "最近登录时间",
    "login_count": "登录次数",
    "fail_login_count": "连续登录失败次数",
    "created_on": "创建时间",
    "changed_on": "修改时间",
    "roles": "角色",
    "groups": "用户组",
    "permissions": "权限",
}
DETAIL_KEYS = {
    "from": "原来",
    "to": "改为",
    "threshold": "通过比例",
    "rank": "名次",
    "proposed": "拟表彰",
    "totals": "各评审员总分",
    "table": "数据表",
    "pk": "记录编号",
    "label": "记录",
    "changes": "修改内容",
    "bulk": "批量修改",
    "os_user": "服务器账户",
    "award": "政府质量奖",
    "nomination": "政府质量提名奖",
    "id": "申报",
    "reason": "理由",
    "old": "原值",
    "new": "新值",
}
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?$")
ROW_SUMMARY = re.compile(r"^(新增|修改|删除)([A-Za-z]+)「(.*?)」(?:：(.*))?$", re.S)


def _class_labels() -> dict[str, str]:
    from flask_appbuilder import Model

    labels = dict(FAB_TABLES)
    for mapper in Model.registry.mappers:
        table = mapper.local_table.name
        if table in TABLE_LABELS:
            labels[mapper.class_.__name__] = TABLE_LABELS[table]
    return labels


def record_kind(value) -> str:
    """`Objection` reads 异议."""
    return _class_labels().get(value, value or "")


def field_label(name: str) -> str:
    if name in FAB_FIELDS:
        return FAB_FIELDS[name]
    label = COLUMN_LABELS.get(name) or COLUMN_LABELS.get(name.removesuffix("_id"))
    return str(label) if label else name


def action_label(value) -> str:
    return ACTION_LABELS.get(value, value or "")


def _named(label: str) -> str:
    """A role or a login named as people read it (超级管理员, 王丽)."""
    from app.services.people import full_names

    return ROLE_LABELS.get(label) or full_names().get(label) or label


def summary(value) -> str:
    """A row change's summary ("修改User「系 统管理员」：last_login、login_count") in words."""
    match = ROW_SUMMARY.match(value or "")
    if not match:
        return value or ""
    verb, kind, label, fields = match.groups()
    text = f"{verb}{record_kind(kind)}「{_named(label)}」"
    if fields:
        text += "：" + "、".join(field_label(f) for f in fields.split("、"))
    return text


def _cycles() -> dict[int, str]:
    if "award_cycle_names" not in g:
        g.award_cycle_names = {i: f"{y}年度" for i, y in selectors.cycle_years().items()}
    return g.award_cycle_names


def _applications() -> dict[int, str]:
    if "award_application_names" not in g:
        rows = selectors.all_applications()
        g.award_application_names = {a.id: f"{a.number} {a.applicant_name}" for a in rows}
    return g.award_application_names


def cycle_name(value) -> str:
    return "" if value in (None, "") else _cycles().get(value, "（已删除的年度）")


def application_name(value) -> str:
    return "" if value in (None, "") else _applications().get(value, "（已删除的申报）")


def _enum_labels() -> dict[str, str]:
    from app.domain import enums

    labels: dict[str, str] = {}
    for cls in vars(enums).values():
        if isinstance(cls, type) and issubclass(cls, enums.LabeledEnum) and cls is not enum.Enum:
            try:
                for member in cls:
                    labels.setdefault(member.value, member.label)
            except (AttributeError, KeyError, TypeError):
                continue
    return labels


def _value(key, value, labels) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "id" and isinstance(value, int):
        return application_name(value)
    if key in ("cycle_id",) and isinstance(value, int):
        return cycle_name(value)
    if key in ("application_id",) and isinstance(value, int):
        return application_name(value)
    if isinstance(value, dict):
        if set(value) == {"old", "new"}:
            old, new = _value("", value["old"], labels), _value("", value["new"], labels)
            return f"{old} → {new}"
        return "；".join(f"{_key(k)}：{_value(k, v, labels)}" for k, v in value.items())
    if isinstance(value, list):
        return "；".join(_value(key, v, labels) for v in value)
    text = str(value)
    if ISO_TIME.match(text):
        return when(datetime.fromisoformat(text), seconds=True)
    return labels.get(text, _named(text))


def _key(key: str) -> str:
    return DETAIL_KEYS.get(key) or field_label(key)


def details_table(value) -> Markup:
    """The entry's details as a two-column table; nothing for none (not `{}`)."""
    if not value:
        return Markup("")
    labels = _enum_labels()
    rows = []
    for key, item in value.items():
        if key in ("table", "bulk", "pk"):
            continue  # the record kind and its name are in the summary
        if key == "changes" and isinstance(item, dict):
            for field, change in item.items():
                rows.append((field_label(field), _value(field, change, labels)))
            continue
        rows.append((_key(key), _value(key, item, labels)))
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return Markup(f'<table class="table table-condensed award-details">{body}</table>')


FORMATTERS = {
    "username": name_of,
    "action": action_label,
    "object_type": record_kind,
    "cycle_id": cycle_name,
    "application_id": application_name,
    "summary": summary,
    "details": details_table,
}


def when_to_the_second(value) -> str:
    return when(value, seconds=True) if hasattr(value, "astimezone") else (value or "")
