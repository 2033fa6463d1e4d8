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
