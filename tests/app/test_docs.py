"""The README's role/permission matrix is the one the code declares."""

from pathlib import Path

from app.security.matrix_doc import BEGIN, END, matrix_markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_permission_matrix_matches_the_declared_roles():
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == matrix_markdown(), (
        "README 中的权限矩阵与代码不一致：运行 `python -m app.security.matrix_doc` 更新"
    )


def test_the_readme_shows_the_two_commands_and_the_demo_users():
    text = README.read_text(encoding="utf-8")
    for needle in (
        "make run",
        "make test",
        "admin",
        "office",
        "leader1",
        "reviewer1",
        "committee1",
        "recommender1",
        "demo12345",
        "DATABASE_URL",
    ):
        assert needle in text


def test_every_path_the_readme_layout_names_is_in_the_tree_issue_20():
    """Issue 20: the structure the README's layout section describes is the one in the tree;
    every file or folder it names exists (a page builder `group_page.py` named beside
    app/services/ is looked up there)."""
    import re

    text = README.read_text(encoding="utf-8")
    section = text[text.index("## How the code is laid out") :]
    block = section[section.index("```") + 3 :]
    block = block[: block.index("```")]
    root = README.parent
    named = set(re.findall(r"(?<![\w/.])((?:[a-z_][\w.-]*/)+[\w.-]*)", block))
    named |= {
        f"app/services/{name}" for name in re.findall(r"\(([\w, .]+)\)", block)[0].split(", ")
    }
    assert len(named) >= 15, named
    missing = sorted(p for p in named if not (root / p.rstrip(".")).exists())
    assert not missing, f"README 的代码布局一节提到但树中没有：{missing}"
