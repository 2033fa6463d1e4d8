"""After-award commands: followups (M-27)."""

from datetime import date

import click

from . import award_cli


@award_cli.command("followups")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="按此日期计算（YYYY-MM-DD，默认今天）",
)
def followups(today):
    """生成到期的年度报告（M-27：每年二月底前报送上一年度情况），并列出逾期未报的报告。"""
    from app.services import aftercare as svc

    today = today.date() if today else date.today()
    created = svc.create_due_reports(today)
    click.echo(f"{today} 新生成年度报告待办 {len(created)} 份")
    for report in created:
        click.echo(f"  {report.award}：{report.report_year}年度报告，报送截止 {report.due_on}")
    late = svc.overdue(today)
    click.echo(f"逾期未报的年度报告 {len(late)} 份")
    for report in late:
        days = (today - report.due_on).days
        click.echo(
            f"  {report.award}：{report.report_year}年度报告，"
            f"截止 {report.due_on}，已逾期 {days} 天"
        )
