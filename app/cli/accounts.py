"""Accounts: the first system administrator (三权分立; production refuses the Admin role)."""

import sys

import click
from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError

from app.extensions import db
from app.security.roles import SYSADMIN

from . import award_cli


@award_cli.command("create-sysadmin")
@click.argument("username")
@click.option("--password", prompt="密码", hide_input=True, confirmation_prompt="再次输入密码")
@click.option("--email", default=None, help="电子邮箱（默认 用户名@localhost）")
def create_sysadmin(username, password, email):
    """创建系统管理员账户（只管理账户和角色，不能查看申报数据和评分）。"""
    from app.security.passwords import password_policy

    sm = current_app.appbuilder.sm
    sm.sync_roles()
    if sm.find_user(username=username) is not None:
        click.echo(f"用户 {username} 已存在，未作任何修改", err=True)
        sys.exit(1)
    try:
        password_policy(password)
    except PasswordComplexityValidationError as exc:
        click.echo(f"密码不符合密码策略：{exc}", err=True)
        sys.exit(1)
    user = sm.add_user(
        username,
        "系统",
        "管理员",
        email or f"{username}@localhost",
        sm.find_role(SYSADMIN),
        password=password,
    )
    if not user:
        db.session.rollback()
        click.echo(f"无法创建用户 {username}（邮箱可能已被占用）", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"已创建系统管理员 {username}（角色 {SYSADMIN}：账户与角色管理）")
