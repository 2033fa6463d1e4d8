"""The record pages read as sentences and tables in Chinese (issue 16, readable records): the
audit log, the stage log, the score history, the eligibility record; people by full name,
times local and without microseconds."""

import re

import lxml.html
from sqlalchemy import select

from app.extensions import db as _db
from models import AuditEntry, AwardCycle, EligibilityReview, ScoreChange


def _text(resp) -> str:
    doc = lxml.html.fromstring(resp.get_data(as_text=True))
    for node in doc.xpath("//script|//style"):
        node.drop_tree()
    return " ".join(doc.text_content().split())


def test_the_audit_log_reads_as_chinese_sentences(ctx, browser):
    b = browser("office")
    text = _text(b.get("/auditentryview/list/?psize_AuditEntryView=100"))
    for raw in ("advance_stage", "AwardCycle", "Objection", "publish_notice", "{}"):
        assert raw not in text, raw
    assert "推进阶段" in text and "评定年度" in text
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "advance_stage"))
    shown = _text(b.get(f"/auditentryview/show/{entry.id}"))
    cycle = _db.session.get(AwardCycle, entry.cycle_id)
    assert f"{cycle.year}年度" in shown
    assert "原来" in shown and "改为" in shown and "draft" not in shown
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d", shown)  # no microseconds


def test_the_stage_log_names_stages_and_people(ctx, browser):
    b = browser("office")
    text = _text(b.get("/stagemoveview/list/"))
    assert "committee_vote" not in text and "public_notice" not in text
    assert "委员会表决" in text
    cycle = _db.session.scalar(select(AwardCycle).where(AwardCycle.year == 2025))
    page = _text(b.get(f"/awardcycleview/stage/{cycle.id}"))
    assert " office " not in f" {page} "


def test_the_eligibility_record_is_a_table_not_a_python_list(ctx, browser):
    reviews = _db.session.scalars(select(EligibilityReview).order_by(EligibilityReview.id))
    review = next(r for r in reviews if r.checklist)
    page = browser("office").get(f"/eligibilityreviewview/show/{review.id}")
    html = page.get_data(as_text=True)
    assert "[{" not in html and "{&#39;" not in html and "{'" not in html
    doc = lxml.html.fromstring(html)
    assert doc.xpath('//table[contains(@class, "award-checklist")]//td[text()="符合"]')


def test_the_score_history_shows_status_labels_and_names(ctx, browser):
    from models import Scoresheet

    sheet = _db.session.scalar(select(Scoresheet).where(Scoresheet.status == "submitted"))
    change = ScoreChange(
        scoresheet_id=sheet.id, field="status", old_value="draft", new_value="submitted",
        changed_by="office",
    )  # fmt: skip
    _db.session.add(change)
    _db.session.commit()
    text = _text(browser("office").get(f"/scoresheetview/entry/{change.scoresheet_id}"))
    assert "draft" not in text and "submitted" not in text
    assert "已提交" in text
    listed = _text(browser("office").get("/scorechangeview/list/"))
    assert "submitted" not in listed and "draft" not in listed


def test_an_empty_time_is_an_empty_cell_whatever_form_the_list_gives_it():
    """FAB's list rows carry a missing value as ""; the shared time formatter must not crash."""
    from app.presentation import when

    assert when(None) == "" and when("") == ""
