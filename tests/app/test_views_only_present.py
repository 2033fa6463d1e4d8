"""Views only present (issue 20): files organised by topic, not by delivery history; no view
module borrows another's page functions; queries live in app/services (selectors)."""

import ast
import importlib
import inspect
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"-{3}\s*(end of )?issue \d+", re.IGNORECASE)
# Shared building blocks every screen may import (not screens' page code).
COMMON = {"base", "labels", "rendering", "fieldsets", "forms"}
# `select(` in a view: none (the queries live in app/services/selectors.py).
SELECT_LEFT: dict[str, int] = {}


def _sources():
    for folder, pattern in (("app", "**/*.py"), ("views", "*.py"), ("models", "*.py")):
        yield from (ROOT / folder).glob(pattern)
    yield from (ROOT / "app" / "templates").glob("**/*.html")


def test_no_issue_block_markers_in_the_tree_issue_20():
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _sources()
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if MARKER.search(line)
    ]
    assert not found, f"按交付历史划分的标记（应按主题组织）：{found}"


def test_no_view_module_imports_another_view_modules_functions_issue_20():
    """views/cycles.py took its actions from views/review.py and views/intake.py."""
    borrowed = []
    for path in (ROOT / "views").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level != 1 or not node.module:
                continue
            if node.module in COMMON:
                continue
            module = importlib.import_module(f"views.{node.module}")
            for alias in node.names:
                if not inspect.isclass(getattr(module, alias.name, None)):
                    borrowed.append(f"{path.name}: {node.module}.{alias.name}")
    assert not borrowed, f"视图模块互相借用页面函数（应移到 app/services）：{borrowed}"


def test_views_build_no_queries_beyond_the_listed_leftovers_issue_20():
    counts = {}
    for path in (ROOT / "views").glob("*.py"):
        n = path.read_text(encoding="utf-8").count("select(")
        if n:
            counts[str(path.relative_to(ROOT))] = n
    assert counts == SELECT_LEFT, f"视图中的查询（应放进 app/services/selectors.py）：{counts}"


# `request.form` read by hand: only FAB's own action plumbing (the `action` name and the
# `rowid`s of its list form); the JSON API (app/api_actions) reads bodies, not forms.
FORM_READS_LEFT = {"views/base.py": 2, "app/request_guards.py": 2}


def _reads_of_request_form(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "form"
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
    )


def test_posted_values_reach_views_only_through_form_classes_issue_20():
    """Each custom page's post is a Flask-WTF class in views/forms.py (dates and integers
    parsed there, refused naming the field), never `request.form[...]` parsed by hand."""
    counts = {}
    for path in [*(ROOT / "views").glob("*.py"), *(ROOT / "app").glob("**/*.py")]:
        rel = str(path.relative_to(ROOT))
        if rel.startswith("app/api_actions/"):
            continue
        n = _reads_of_request_form(path)
        if n:
            counts[rel] = n
    assert counts == FORM_READS_LEFT, f"视图直接读取 request.form（应通过表单类）：{counts}"
