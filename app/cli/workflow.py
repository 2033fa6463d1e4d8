"""Cycle workflow commands: rank YEAR (M-19.5), check-quotas YEAR (M-4)."""

import sys

import click

from app.domain.errors import RuleViolation
from app.domain.scoring import round_display

from . import award_cli


def _score(x) -> str:
    return "—" if x is None else str(round_display(x))


def _mark(line) -> str:
    if line.proposed:
        return "拟表彰"
    if line.below_minimum:
        return "低于最低分"
    if line.tied_with:
        return "并列待定"
    return ""


@award_cli.command("rank")
@click.argument("year", type=int)
def rank(year):
    """打印该年度的综合评价排名及名额内的拟表彰对象（M-19.5、M-4）。"""
    from app.services.ranking import ranking_of_year

    try:
        result = ranking_of_year(year)
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from None
    cycle = result.cycle
    minimum = f"，现场评审最低分 {_score(cycle.min_onsite_score)}" if cycle.min_onsite_score else ""
    click.echo(f"{cycle.name}（{cycle.stage_label}）综合评价排名{minimum}")
    for prize, ranking in result.rankings.items():
        click.echo("")
        click.echo(f"【{prize.label}】名额 {ranking.quota} 个")
        click.echo("名次  申报编号  申报主体  现场评审  结果类别  材料评审  满意度  建议  说明")
        for line in ranking.lines:
            c = line.candidate
            info = result.info[c.application_id]
            notes = "；".join(n for n in (line.tie_note, line.tie_break) if n)
            click.echo(
                f"{line.rank:>3}  {info.number}  {c.applicant_name}  {_score(c.onsite)}  "
                f"{_score(c.results_category)}  {_score(c.material)}  "
                f"{'—' if c.satisfaction is None else c.satisfaction}  {_mark(line)}  {notes}"
            )
        for c, reason in ranking.not_ranked:
            click.echo(f"  -  {result.info[c.application_id].number}  {c.applicant_name}  {reason}")
        proposed = "、".join(line.candidate.applicant_name for line in ranking.proposed) or "无"
        vacancy = f"，空缺 {ranking.vacancies} 个" if ranking.vacancies else ""
        tie = "（并列名次待委员会决定）" if ranking.unresolved_tie else ""
        click.echo(f"拟表彰：{proposed}{vacancy}{tie}")


@award_cli.command("check-quotas")
@click.argument("year", type=int)
def check_quotas(year):
    """打印各奖项名额、已用、空缺及超额情况（M-4）；超额时退出码为 1。"""
    from sqlalchemy import select

    from app.extensions import db
    from app.services.ranking import quota_report
    from models import AwardCycle

    cycle = db.session.scalar(select(AwardCycle).where(AwardCycle.year == year))
    if cycle is None:
        raise click.ClickException(f"没有 {year} 年度的评定")
    click.echo(f"{cycle.name}（{cycle.stage_label}）名额检查（M-4）")
    breach = False
    for use in quota_report(cycle):
        line = f"{use.prize.label}：名额 {use.quota}，已用 {use.used}，空缺 {use.vacant}"
        if use.excess:
            breach = True
            line += f"，超出 {use.excess} 个（违反 M-4）"
        click.echo(line)
    if breach:
        click.echo("名额检查未通过：拟表彰或获奖数量超出名额（M-4）", err=True)
        sys.exit(1)
    click.echo("名额检查通过")
