"""Sign-in security commands: purge old security events (never younger than 180 days), unlock
an account locked after failed logins."""

import sys

import click

from . import award_cli


@award_cli.command("purge-security-events")
@click.option("--days", type=int, default=None, help="删除多少天以前的记录（至少 180，默认 180）")
def purge_security_events(days):
    """删除超过保留期的登录与安全事件记录（至少保留 180 天）。"""
    from app.services.security_events import PurgeRefused, purge

    try:
        removed = purge(days)
    except PurgeRefused as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"已删除 {removed} 条超过保留期的安全事件记录")


@award_cli.command("unlock-user")
@click.argument("username")
def unlock_user(username):
    """解除因连续登录失败而锁定的账户。"""
    from app.security.login_guard import LoginGuard
    from app.services import security_events

    LoginGuard.for_app().unlock(username)
    security_events.record("unlock", "命令行", "成功", f"解锁账户 {username}")
    click.echo(f"账户 {username} 已解锁")
