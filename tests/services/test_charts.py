"""The radar chart's axis labels stay clear of the chart (issue 16, defect 11)."""

import re

from app.services.charts import radar_chart

AXES = ["领导", "战略", "顾客与市场", "资源", "过程管理", "测量、分析与改进", "结果"]


def _labels(svg: str) -> list[tuple[float, str, list[str]]]:
    found = []
    for x, anchor, body in re.findall(
        r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)">(.*?)</text>', svg
    ):
        lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body)
        if lines:
            found.append((float(x), anchor, lines))
    return found


def test_a_long_chinese_axis_name_is_folded_and_grows_away_from_the_chart():
    svg = radar_chart(AXES, [("甲", [0.8] * 7)], title="类别得分", size=400)
    labels = {"".join(lines): (x, anchor, lines) for x, anchor, lines in _labels(svg)}
    x, anchor, lines = labels["测量、分析与改进"]
    assert lines == ["测量、", "分析与改进"]
    assert x < 200 and anchor == "end"  # left of the centre: the text ends at its axis point
    right = labels["战略"]
    assert right[0] > 200 and right[1] == "start"
    top = labels["领导"]
    assert top[1] == "middle"


def test_a_single_long_english_word_is_never_folded_like_chinese_issue_16():
    """Only Chinese names fold every few characters; "Leadership" stays whole."""
    from app.services.charts import _axis_label

    svg = _axis_label(100, 50, "Leadership", 200, 200)
    assert svg.count("<tspan") == 1 and ">Leadership<" in svg
    folded = _axis_label(100, 50, "测量、分析与改进", 200, 200)
    assert ">测量、<" in folded and ">分析与改进<" in folded
