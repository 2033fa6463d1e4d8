"""Core commands: roles, demo data, audit chain, backup and restore."""

import sys
from datetime import date

import click
from flask import current_app

from app.extensions import db

from . import award_cli


def _sm():
    return current_app.appbuilder.sm


@award_cli.command("sync-roles")
def sync_roles():
    """创建或更新代码中声明的角色及其权限。"""
    created = _sm().sync_roles()
    db.session.commit()
    click.echo(f"角色已同步：新建 {len(created)} 个（{'、'.join(created) or '无'}）")


@award_cli.command("seed-demo")
@click.option("--password", default=None, help="演示用户的密码（默认 demo12345）")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option("--if-empty", is_flag=True, help="仅当数据库中还没有评定年度时载入（make run 使用）")
def seed_demo(password, today, if_empty):
    """载入演示数据（可重复执行）。"""
    from sqlalchemy import func, select

    from models import AwardCycle

    if if_empty and db.session.scalar(select(func.count()).select_from(AwardCycle)):
        click.echo("数据库已有数据，跳过演示数据载入")
        return
    from seed.demo import load_demo
    from seed.reference import load_reference

    sm = _sm()
    sm.sync_roles()
    password = password or current_app.config["DEMO_PASSWORD"]

    def make_user(username, role_name, full_name, email):
        user = sm.find_user(username=username)
        if user is None:
            with sm.demo_accounts():  # demo data only: outside the password policy
                user = sm.add_user(
                    username,
                    full_name[:1],
                    full_name[1:] or full_name,
                    email,
                    sm.find_role(role_name),
                    password=password,
                )
        return user

    load_reference(db.session)
    summary = load_demo(db.session, make_user, (today.date() if today else date.today()))
    db.session.commit()
    click.echo("演示数据已就绪：" + "，".join(f"{k} {v}" for k, v in summary.items()))


@award_cli.command("verify-audit")
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="以 audit-checkpoint 写出的检查点核对：其后的记录未被删除或重写",
)
def verify_audit(checkpoint_file):
    """校验审计日志的密钥签名链；发现篡改时退出码为 1 并指出第一条被破坏的记录。"""
    from app.services import audit, audit_checkpoint

    checkpoint = None
    if checkpoint_file:
        try:
            checkpoint = audit_checkpoint.read(checkpoint_file)
        except audit_checkpoint.CheckpointRefused as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
    count, broken = audit.verify(checkpoint)
    if broken is not None:
        click.echo(f"审计日志被篡改：{broken.describe()}", err=True)
        sys.exit(1)
    against = (
        f"，与检查点（{checkpoint.count} 条，{checkpoint.created_at}）相符" if checkpoint else ""
    )
    click.echo(f"审计日志完整：共校验 {count} 条记录{against}")


@award_cli.command("audit-checkpoint")
@click.argument("file", type=click.Path(dir_okay=False))
def audit_checkpoint_cmd(file):
    """将审计日志的签名检查点（记录数、最后一条记录的签名、时间）写入数据库之外的文件。"""
    from app.services import audit_checkpoint

    try:
        cp = audit_checkpoint.write(file)
    except OSError as exc:
        click.echo(f"无法写入检查点文件 {file}：{exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(
        f"检查点已写入 {file}：共 {cp.count} 条记录，最后一条编号 {cp.last_id}（{cp.algorithm}）"
    )


@award_cli.command("audit-rekey")
def audit_rekey():
    """以 AUDIT_KEY 重新签名升级前写入的旧审计记录（先校验旧哈希链完整）。"""
    from app.services import audit

    sealed, broken = audit.rekey_legacy()
    if broken is not None:
        db.session.rollback()
        click.echo(f"拒绝重新签名：{broken.describe()}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"已重新签名 {sealed} 条旧审计记录")


@award_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
def backup(file):
    """写出数据库的一致性备份。"""
    from app.services.backup import backup_database

    backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    click.echo(f"已备份到 {file}")


@award_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="恢复将覆盖当前数据库，确定继续？")
def restore(file):
    """从备份恢复数据库（覆盖当前数据）。"""
    from app.services.backup import restore_database

    db.session.remove()
    db.engine.dispose()
    restore_database(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    click.echo(f"已从 {file} 恢复")
