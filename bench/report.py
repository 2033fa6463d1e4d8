"""BENCHMARKS.md from the runs' JSON (bench/results/<database>.json), one section per database."""

from __future__ import annotations

TITLES = {
    "OrganizationView": "组织",
    "ApplicationView": "申报",
    "ReviewerView": "评审员",
    "ScoresheetView": "评分表",
    "ScoreLineView": "评分明细",
    "FollowUpReportView": "年度报告",
    "AuditEntryView": "审计日志",
}
MAX_QUERIES = 6


def _ms(value) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _x(value) -> str:
    return "–" if value is None else (f"{value:.1f}×" if value < 100 else f"{value:.0f}×")


def _ok(flag: bool) -> str:
    return "✅" if flag else "❌"


def _list_section(run: dict) -> list[str]:
    lists = run["lists"]
    lines = [
        "### 1. 列表页",
        "",
        "每页的中位数与 p95 耗时（毫秒，进程内测试客户端，不含网络）和每页 SQL 语句数"
        "（SQLAlchemy `before_cursor_execute` / Django `CaptureQueriesContext`）。"
        "比值：默认 FAB ÷ 本系统（越大越好，目标 ≥ 20×）；Django ÷ 本系统（> 1 即快于 Django admin）；"
        "本系统 ÷ 底线（目标 ≤ 10×）；默认 FAB ÷ 底线是任何实现相对默认 FAB 所能达到的上限。"
        "三个基线都以不受行范围限制的管理员身份测量，评审员页面与同一基线比较。",
        "",
        "| 列表 | 每页行数 | 身份 | 本系统 中位/p95 ms | 语句 | 默认 FAB ms | 语句 | Django admin ms | 语句 | 底线 ms | 语句 | ÷默认 FAB | 上限 | Django÷本系统 | ÷底线 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    checks = {"queries": True, "fab": True, "django": True, "floor": True}
    short_of_fab: list[tuple[str, float, float]] = []  # (page, ours vs FAB, floor vs FAB)
    far_pages: list[str] = []
    slower_than_django: list[str] = []
    pages = 0
    per_view_queries: dict[tuple[str, str], set[int]] = {}
    for row in lists["rows"]:
        f = row["figures"]
        fab, dj, fl = f["default_fab"], f.get("django"), f["floor"]
        for who in ("admin", "reviewer"):
            if who not in f:
                continue
            ours = f[who]
            per_view_queries.setdefault((row["view"], who), set()).add(ours["queries"])
            vs_fab = fab["median_ms"] / ours["median_ms"]
            vs_dj = dj["median_ms"] / ours["median_ms"] if dj else None
            vs_floor = ours["median_ms"] / fl["median_ms"]
            ceiling = fab["median_ms"] / fl["median_ms"]
            pages += 1
            if vs_fab < 20:
                checks["fab"] = False
                who_zh = "管理员" if who == "admin" else "评审员"
                short_of_fab.append(
                    (f"{TITLES[row['view']]} {row['size']} 行 {who_zh}", vs_fab, ceiling)
                )
            checks["django"] &= vs_dj is None or vs_dj > 1
            if vs_floor > 10:
                checks["floor"] = False
                who_zh = "管理员" if who == "admin" else "评审员"
                far_pages.append(f"{TITLES[row['view']]} {row['size']} 行 {who_zh} {_x(vs_floor)}")
            if vs_dj is not None and vs_dj <= 1:
                who_zh = "管理员" if who == "admin" else "评审员"
                slower_than_django.append(
                    f"{TITLES[row['view']]} {row['size']} 行 {who_zh} {vs_dj:.2f}"
                )
            checks["queries"] &= ours["queries"] <= MAX_QUERIES and ours["status"] == 200
            timed_out = fab["queries"] == -1
            fab_ms = f"> {_ms(fab['median_ms'])}" if timed_out else _ms(fab["median_ms"])
            fab_x = f"> {_x(vs_fab)}" if timed_out else _x(vs_fab)
            lines.append(
                f"| {TITLES[row['view']]} | {row['size']} | {'管理员' if who == 'admin' else '评审员'} "
                f"| {_ms(ours['median_ms'])} / {_ms(ours['p95_ms'])} | {ours['queries']} "
                f"| {fab_ms} | {'?' if timed_out else fab['queries']} "
                f"| {_ms(dj['median_ms']) if dj else '–'} | {dj['queries'] if dj else '–'} "
                f"| {_ms(fl['median_ms'])} | {fl['queries']} "
                f"| {fab_x} | {_x(ceiling)} | {'–' if vs_dj is None else f'{vs_dj:.2f}'} "
                f"| {_x(vs_floor)} |"
            )
    constant = all(len(v) == 1 for v in per_view_queries.values())
    lines += [
        "",
        f"- {_ok(checks['queries'] and constant)} 每页语句数不随每页行数与表大小增长且 ≤ {MAX_QUERIES}"
        "（表大小的部分由 `tests/app/test_list_query_counts.py` 在两种规模上断言）。",
        f"- {_ok(checks['fab'])} 中位耗时至少快于默认 FAB 20 倍："
        f"{pages - len(short_of_fab)}/{pages} 页达到。"
        + (
            "未达到的页面（本系统÷默认 FAB，上限）："
            + "；".join(f"{page} {_x(mine)}（{_x(top)}）" for page, mine, top in short_of_fab)
            + "。这些页面上默认 FAB 没有大的关联下拉框，本身离底线不远：上限低于 20× 时，"
            "连只有一条 SQL 的裸表格也达不到 20×；上限略高于 20× 时，要与裸表格几乎一样快，"
            "而本系统的页面还有导航菜单、搜索表单、分页与权限检查。"
            if short_of_fab
            else ""
        ),
        f"- {_ok(checks['django'])} 快于 Django admin（`list_select_related`）"
        + (
            f"；未快于的页面（Django÷本系统）：{'；'.join(slower_than_django)}"
            if slower_than_django
            else ""
        )
        + "。",
        f"- {_ok(checks['floor'])} 在底线的 10 倍以内"
        + (
            f"；超出的页面：{'；'.join(far_pages)}（差距最大的一页的 SQL 明细见下）"
            if far_pages
            else ""
        )
        + "。",
    ]
    huge = {v: n for v, n in lists.get("form_options", {}).items() if n > lists.get("huge_form", 0)}
    if huge:
        lines.append(
            "- 默认 FAB 的搜索表单把关联表的每一行都列进下拉框："
            + "，".join(f"{TITLES[v]} {n:,} 行" for v, n in huge.items())
            + f"；这些页面在子进程中只测 1 页（两种每页行数共用），限时 {lists['huge_timeout_s']} s，"
            "超时记为下限（“>”）。"
        )
    if not lists.get("django"):
        lines.append("- Django 未安装：Django admin 基线未测（`pip install -e '.[bench]'`）。")
    lines += ["", "页面耗时的去向（cProfile，20 次请求，累计时间占比，各项可重叠）：", ""]
    profiles = dict(lists["profiles"])
    far = lists.get("farthest")
    if far:
        who = "管理员" if far["who"] == "admin" else "评审员"
        title = f"与底线差距最大的页面：{TITLES[far['view']]}列表，{who}，{far['size']} 行（{_x(far['ratio'])} 底线）"
        profiles[title] = far["profile"]
    for title, parts in profiles.items():
        lines.append(
            f"- {title}：" + "；".join(f"{label} {share * 100:.0f}%" for label, share in parts)
        )
    if far:
        lines += [
            "",
            "该页各条 SQL 的中位耗时（5 次请求）：",
            "",
            *[f"- {ms:.2f} ms：`{text}…`" for ms, text in far["statements"]],
        ]
    return lines


def _ranking_section(run: dict) -> list[str]:
    r = run["ranking"]
    ratio = r["ours_s"] / r["floor_s"] if r["floor_s"] else None
    return [
        "### 2. 排名（集合运算）",
        "",
        f"排名年度：{r['applications']} 份申报 × 每份 7 名评审员 = {r['sheets']} 份评分表，"
        f"{r['lines']} 条评分明细。先按评分表求和（score_line.points），再按申报求平均，在数据库中一次完成。",
        "",
        "| 计算 | 耗时 s | 比值 |",
        "|---|---|---|",
        f"| 集合聚合（`bench/ranking.py: stage_totals`，SQLAlchemy） | {r['ours_s']:.3f} | {_x(ratio)} 底线 |",
        f"| 底线：手写 SQL 聚合 | {r['floor_s']:.3f} | 1× |",
        *(
            [
                f"| 应用结束评审组时的计算（`app/services/stage_totals.group_sheet_sums`：每组一次"
                f"聚合查询，再按领域规则求平均），全部 {r['close_apps']} 份 | {r['close_s']:.3f} | "
                f"{_x(r['close_s'] / r['floor_s'] if r['floor_s'] else None)} 底线 |"
            ]
            if r.get("close_s") is not None
            else []
        ),
        f"| 旧做法（`scoring_close.application_results` 逐份申报加载评分表与明细，Python 计算；现仅用于"
        f"评审组成绩页面），实测 {r['python_apps']} 份后推算 {r['applications']} 份 | "
        f"{(r['python_projected_s'] or 0):.1f}（实测 {r['python_s']:.2f}） | "
        f"{_x((r['python_projected_s'] or 0) / r['floor_s'] if r['floor_s'] else None)} 底线 |",
        "",
        f"- 两种聚合结果一致：{_ok(r['same'])}",
        f"- {_ok(r['ours_s'] < 0.3)} 低于 0.3 s；{_ok(ratio is not None and ratio <= 3)} 在底线 3 倍以内。",
    ]


def _export_section(run: dict) -> list[str]:
    rows = run["export"]
    by = {(e["mode"], e["rows"]): e for e in rows}
    sizes = sorted({e["rows"] for e in rows})
    lines = [
        "### 3. 导出（流式写入）",
        "",
        "同一查询（评分明细联结评分表、申报、评审员、条款，服务端游标每批 5,000 行）分别写入："
        "`app/services/xlsx.write_workbook(constant_memory=True)` 与底线（原生 xlsxwriter "
        "`constant_memory` 逐行 `write_row`）。内存为子进程的峰值常驻内存（`/proc/self/status` 的 "
        "VmHWM）与其中写入期间的增量。",
        "",
        "| 行数 | 本系统 行/s | 底线 行/s | 吞吐比 | 本系统 峰值 / 增量 MiB | 底线 峰值 / 增量 MiB |",
        "|---|---|---|---|---|---|",
    ]
    ok_speed = True
    for n in sizes:
        a, f = by[("app", n)], by[("floor", n)]
        share = a["rows_per_s"] / f["rows_per_s"]
        ok_speed &= share >= 0.5
        lines.append(
            f"| {n:,} | {a['rows_per_s']:,.0f} | {f['rows_per_s']:,.0f} | {share:.2f} "
            f"| {a['peak_rss_kib'] / 1024:.1f} / {a['growth_kib'] / 1024:.1f} "
            f"| {f['peak_rss_kib'] / 1024:.1f} / {f['growth_kib'] / 1024:.1f} |"
        )
    small, large = by[("app", sizes[0])], by[("app", sizes[-1])]
    grow = (large["peak_rss_kib"] - small["peak_rss_kib"]) / 1024
    lines += [
        "",
        f"- {_ok(ok_speed)} 吞吐至少为底线的一半。",
        f"- {_ok(grow < 16)} 内存不随行数增长：行数 ×{sizes[-1] // sizes[0]} 时峰值相差 {grow:.1f} MiB"
        "（峰值由导入的模块和驱动决定；写入本身几乎不增加常驻内存：constant_memory 逐行落盘，"
        "查询用服务端游标分批取行）。",
    ]
    return lines


def _load_section(run: dict) -> list[str]:
    d = run["load"]
    errors = sum(d["errors"].values())
    return [
        "### 4. 并发评审",
        "",
        f"gunicorn 2 个同步 worker，监听 127.0.0.1 的空闲端口；{d['users']} 名模拟评审员（线程，"
        "各自 JWT 登录后同时开始），在限定时间内对各自的评分表依次 `POST /api/v1/scoresheet/<id>/save`"
        "（23 个条款）与 `/submit`。登录在计时窗口之外（登录一次 scrypt 校验，"
        f"中位 {_ms(d.get('login_median_ms'))} ms）。",
        "",
        "| 时长 s | 请求数 | 请求/s | 中位 ms | p95 ms | 错误 | 提交的评分表 | 数据库中核对一致 |",
        "|---|---|---|---|---|---|---|---|",
        f"| {d['seconds']:.0f} | {d['requests']} | {d['rps']:.1f} | {_ms(d['median_ms'])} "
        f"| {_ms(d['p95_ms'])} | {errors} {d['errors'] if errors else ''} | {d['submitted']} "
        f"| {d['verified']}（缺失或不符 {d['missing']}） |",
        "",
        f"- {_ok(errors == 0)} 无错误；{_ok(d['missing'] == 0)} 每份提交成功的评分表，"
        "其状态与 23 项得分率都已在数据库中。",
        "- 50 个并发用户对 2 个同步 worker 排队：延迟约等于 并发数 ÷ 吞吐。",
    ]


def _run_section(run: dict) -> list[str]:
    m = run["machine"]
    data = run["data"]
    counts = "，".join(f"{k} {v:,}" for k, v in data["counts"].items())
    gen = (
        f"；本次生成用时 {data['generated_s']:.0f} s"
        if data.get("generated_s")
        else "（复用已生成的数据）"
    )
    return [
        f"## {run['database']}",
        "",
        f"- 日期：{run['date']}；规模 {run['scale']:g}（{counts}）{gen}",
        f"- 机器：{m['nproc']} 核 {m['cpu']}，内存 {m['memory']}，Python {m['python']}，"
        f"开始时负载 {', '.join(f'{x:.2f}' for x in m['loadavg'])}",
        f"- 模式：{'BENCH_FULL=1（完整）' if run['full'] else '快速（make bench 默认）'}，"
        f"总用时 {run['elapsed_s']:.0f} s",
        "",
        *_list_section(run),
        "",
        *_ranking_section(run),
        "",
        *_export_section(run),
        "",
        *_load_section(run),
        "",
    ]


NOTES = """## 解读与尚未达到的目标

- **语句数**：本系统每个列表页固定 4 条语句（管理员：用户及其角色和用户组 1 条、计数 1 条、
  当前页 1 条、导航栏未读通知数 1 条），评审员多 2 条（按登录用户查评审员编号，计数与取行各 1 次）。
  做法：`AwardInterface` 按视图的 `eager` 关系和这些关系行标签所读的关系（`LABEL_PATHS`：
  评分表 → 申报 → 组织/个人，年度报告 → 获奖 → 申报 → 组织/个人）一律 `joinedload`；
  `AwardSecurityManager.load_user` 一次查询取出用户、角色和用户组（FAB 默认分 3 次）；角色在
  `FAB_ROLES` 中，菜单与按钮的权限检查不查库；搜索表单只含普通列，不出现关联表下拉框。
- **默认 FAB** 慢在搜索表单：关联列的下拉框列出关联表的每一行，每行的标签再触发一次懒加载
  （评分明细页的下拉框列出 4 万份评分表，评分表页列出 92 万条评分明细）。
- **快于 Django admin / 底线 10 倍以内**：未在所有页面达到。cProfile 显示时间主要在 FAB 的模板层：
  `render_template` 约占 45–80%：列表表格部件（约 20–37%），导航菜单（约 25–30%：约 50 个菜单项，
  每项判断一次可见性），`has_access`（每页约 65 次：菜单项与每行的“查看/编辑/删除”按钮，约占
  16–19%，几乎全部是 `current_user`/`g` 等 LocalProxy 查找，不是数据库），以及 flask-babel 每次
  `_()` 查找当前翻译（约 5–20%）。SQL 执行本身只占 1–14%。
  可行的下一步（未在本 issue 中改动，涉及他人负责的文件）：在 `AwardSecurityManager.has_access`
  中按请求缓存 (权限, 视图) 的结果；用自有的轻量列表模板替换 FAB 的 `widgets/list.html`（按钮权限
  每页判定一次，而不是每行一次）；评审员编号在请求内缓存一次（省 1 条语句）。
- **测量环境**：机器为 2 核，且基准运行时其他进程（并行开发中的测试套件）同时占用 CPU，开始时
  的负载见各节；所有比值都来自同一次运行中交替测量的基线，绝对毫秒数偏高，比值更可信。
  `BENCH_FULL=1 make bench` 取更多样本并把并发窗口延长到 60 秒。
- **并发基准的设置**：gunicorn 以开发配置加 `DEBUG=False` 运行（不是 `AWARD_CONFIG=production`）：
  生产配置启动时对每个用户做一次 scrypt 校验以拒绝演示密码，300 个基准用户时每个 worker 启动需要
  数十秒；登录限流关闭，因为 50 名模拟评审员共用一个回环地址。
- **建议补充的索引**（未改动 models/ 与 migrations/）：外键 `ban.application_id`、
  `ban.revocation_case_id`、`revocation_case.follow_up_report_id`、`follow_up_report.document_id`、
  `satisfaction_evaluation.report_document_id`、`review_report.author_id`、
  `criteria_item.category_id`；列表搜索与排序常用列 `audit_entry.at`、`audit_entry.username`、
  `scoresheet.submitted_at`、`application.submitted_on`、`organization.district`。
  列表页用到的其余外键与筛选列（`score_line.scoresheet_id`、`scoresheet.reviewer_id`、
  `application.cycle_id`、`review_group_member.reviewer_id`、`review_assignment.group_id`、
  枚举状态列等）都已有索引。
"""


def render(runs: list[dict]) -> str:
    lines = [
        "# 性能基准（issue 8）",
        "",
        "由 `make bench` 生成（PostgreSQL：`DATABASE_URL=postgresql+psycopg://… make bench`），"
        "每个数字都与同一次运行中测得的基线相比。数据由 `flask --app app award bench-data --scale S` "
        "的同一生成器产生（规模 1：1 万组织、3,000 个人、300 名评审员、20 届、4,000 份申报、"
        "4 万份评分表 × 23 条 = 92 万条评分明细、2,000 份年度报告、2 万条审计日志）。",
        "",
    ]
    for run in runs:
        lines += _run_section(run)
    return "\n".join(lines) + "\n" + NOTES
