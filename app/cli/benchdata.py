"""Benchmark data: bench-data --scale S (bench/data.py does the work)."""

import time

import click

from app.extensions import db

from . import award_cli


@award_cli.command("bench-data")
@click.option("--scale", type=float, default=1.0, show_default=True, help="1 = 基准规模")
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子（结果可复现）")
def bench_data(scale, seed):
    """向数据库批量填充基准测试用的合成数据（规模 1：1 万组织、92 万评分明细）。"""
    from bench.data import BENCH_PASSWORD, Shape, generate
    from seed.reference import load_reference

    if scale <= 0:
        raise click.BadParameter("规模必须大于 0", param_hint="--scale")
    load_reference(db.session)
    current_appbuilder().sm.sync_roles()
    db.session.flush()
    shape = Shape.at(scale)
    started = time.perf_counter()
    try:
        with click.progressbar(length=shape.total_rows(), label="写入基准数据") as bar:
            done = generate(db.session, scale, seed, progress=bar.update)
    except RuntimeError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    elapsed = time.perf_counter() - started
    click.echo("，".join(f"{table} {count}" for table, count in done.items()))
    click.echo(
        f"完成：规模 {scale}，{sum(done.values())} 行，用时 {elapsed:.1f} 秒；"
        f"用户 bench-admin、bench-b0001 等，密码 {BENCH_PASSWORD}"
    )


def current_appbuilder():
    from flask import current_app

    return current_app.appbuilder
