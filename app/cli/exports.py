"""Export commands: export YEAR -o FILE.xlsx (issue 7)."""

import getpass
import sys

import click
from sqlalchemy import select

from app.domain.errors import RuleViolation
from app.extensions import db
from models import AwardCycle

from . import award_cli


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):  # no login name in this environment
        return "cli"


@award_cli.command("export")
@click.argument("year", type=int)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="输出文件，如 2024.xlsx",
)
@click.option(
    "--reviewer-names/--reviewer-codes",
    default=False,
    help="评分明细中显示评审员姓名（默认只显示评审员代码，M-25）",
)
def export(year, output, reviewer_names):
    """写出该年度评定工作的汇总工作簿（报送市人民政府）。"""
    from app.services.exports import plan_summary, write_summary

    cycle_id = db.session.scalar(select(AwardCycle.id).where(AwardCycle.year == year))
    if cycle_id is None:
        click.echo(f"没有 {year} 年度的评定年度", err=True)
        sys.exit(1)
    try:
        plan = plan_summary(cycle_id, None, reviewer_names=reviewer_names)
        with click.progressbar(length=max(plan.rows, 1), label="写入工作表") as bar:

            def progress(written: int) -> None:
                bar.update(max(written, 1) - bar.pos)

            counts = write_summary(plan, output, progress=progress, username=_operator())
    except RuleViolation as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"已写出 {output}：" + "，".join(f"{name} {n} 行" for name, n in counts.items()))
