"""Separation of duties (三权分立, GB/T 22239-2019 level 3): production refuses to start while an
active account holds the all-powerful Admin role or two of system administration, audit
administration and the business roles."""

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .roles import ADMIN, DUTIES


def duties_of(role_names: set[str]) -> list[str]:
    """The duties (系统管理, 审计管理, 业务操作) a set of roles carries."""
    return [duty for duty, roles in DUTIES.items() if role_names & roles]


def combined_duty_accounts(session, user_model) -> list[str]:
    """'username（why）' for each active account production must not run with."""
    found = []
    users = session.scalars(
        select(user_model)
        .where(user_model.active.is_(True))
        .options(selectinload(user_model.roles))
    )
    for user in users:
        names = {r.name for r in user.roles}
        if ADMIN in names:
            found.append(f"{user.username}（持有开发用的全权限角色 Admin）")
            continue
        duties = duties_of(names)
        if len(duties) > 1:
            found.append(f"{user.username}（同时担任{'和'.join(duties)}）")
    return found


def refuse_combined_duties(app) -> None:
    from app.extensions import db

    with app.app_context():
        if "ab_user" not in sa_inspect(db.engine).get_table_names():
            return
        found = combined_duty_accounts(db.session, app.appbuilder.sm.user_model)
        db.session.remove()
    if found:
        raise RuntimeError(
            "生产环境拒绝启动（三权分立）：" + "；".join(found) + "。"
            "请由系统管理员调整角色或停用该账户；首个系统管理员用 "
            "`flask --app app award create-sysadmin 用户名` 创建"
        )
