"""Issue 15: each checklist line has its own rule ID. Where one rule has several lines, each
line is the sub-rule with a letter, in the order RULES.md lists the facts: M-11.1a domicile in
Yining City and M-11.1b in normal operation for 3 years or more (M-11.1); M-10.3a 5 years of
quality work and M-10.3b excellence-review experience (M-10.3). A judgement, an error's `rule`
and the summary workbook then name one line, never two."""

from collections import Counter

from app.domain.reviewers import qualification
from tests.domain.test_eligibility import org_check, organization, person, person_check
from tests.domain.test_reviewers import ON, make_reviewer


def _duplicates(rules) -> list[str]:
    return [rule for rule, n in Counter(rules).items() if n > 1]


def test_every_organization_checklist_line_has_its_own_rule_id_m11_1():
    rules = [item.rule for item in org_check(organization()).items]
    assert not _duplicates(rules), rules
    titles = {item.rule: item.title for item in org_check(organization()).items}
    assert "住所" in titles["M-11.1a"] and "经营" in titles["M-11.1b"]
    assert "M-11.1" not in rules


def test_every_individual_checklist_line_has_its_own_rule_id_m12():
    rules = [item.rule for item in person_check(person()).items]
    assert not _duplicates(rules), rules


def test_every_reviewer_qualification_line_has_its_own_rule_id_m10_3():
    items = qualification(make_reviewer(), ON)
    rules = [item.rule for item in items]
    assert not _duplicates(rules), rules
    titles = {item.rule: item.title for item in items}
    assert "5 年以上" in titles["M-10.3a"] and "卓越绩效评审经验" in titles["M-10.3b"]
    assert "M-10.3" not in rules
