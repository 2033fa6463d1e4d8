"""Notification commands: remind."""

from datetime import date

import click

from . import award_cli


@award_cli.command("remind")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="按此日期计算到期与逾期（YYYY-MM-DD，默认今天）",
)
def remind(today):
    """生成到期的提醒（站内通知），配置了邮件服务器时再发送电子邮件；重复运行不会重复生成或发送。

    每天由 cron 运行一次；发送失败的邮件留在站内并在下次运行时重试。
    """
    from app.services import mailer
    from app.services import notifications as svc

    today = today.date() if today else date.today()
    result = svc.remind(today)
    click.echo(f"{today} 新生成站内通知 {len(result.created)} 条")
    kinds: dict[str, int] = {}
    for notice in result.created:
        kinds[notice.title] = kinds.get(notice.title, 0) + 1
    for title, count in sorted(kinds.items()):
        click.echo(f"  {title}：{count} 条")
    if not mailer.configured():
        click.echo("未配置邮件服务器（MAIL_SERVER），通知仅在系统内显示")
        return
    delivery = result.delivery
    click.echo(f"邮件：发送 {delivery.sent} 封，失败 {delivery.failed} 封（下次运行时重试）")
    if result.disabled:
        click.echo(f"  用户已关闭邮件通知：{result.disabled} 条仅在系统内显示")
    if result.invalid_users:
        click.echo(f"  邮箱地址无效（已报告市质评办）：{'、'.join(result.invalid_users)}")
    for error in dict.fromkeys(delivery.errors):
        click.echo(f"  {error}", err=True)
