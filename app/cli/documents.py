"""document KIND YEAR|ID -o FILE [--pdf]: an official document or report (issue 19)."""

import sys
from pathlib import Path

import click

from app.domain.errors import RuleViolation

from . import award_cli


@award_cli.command("document")
@click.argument("kind")
@click.argument("target")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="输出文件，如 notice-2024.docx",
)
@click.option("--pdf", "as_pdf", is_flag=True, help="转换为 PDF（需要本机安装 LibreOffice）")
def document(kind, target, output, as_pdf):
    """写出公文或报告：announcement、notice、request、decision、evaluation-report、certificates
    按年度；material-report、onsite-report、feedback 按申报编号（id）；revocation 按撤销案件编号。
    已印发的文档写出印发的文件。"""
    from app.services.official_docs import issuing, pdf

    try:
        _name, content = issuing.current_file(kind, target)
        if as_pdf or output.lower().endswith(".pdf"):
            content = pdf.to_pdf(content)
    except RuleViolation as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    Path(output).write_bytes(content)
    click.echo(f"已写出 {output}（{len(content)} 字节）")
