"""Scoresheets as the pure rules read them (M-16, M-17, M-19.2): the cycle's bound criteria
version, a sheet's lines and scores, the blank sheets made when a reviewer meets an
application, and the cycle stage in which each kind of sheet is entered. Entering scores is
app.services.scoring; closing a group and its stage scores is app.services.scoring_close."""

from dataclasses import dataclass
from decimal import Decimal

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.domain.criteria import CriteriaCategory as SpecCategory
from app.domain.criteria import CriteriaItem as SpecItem
from app.domain.criteria import CriteriaVersion as Spec
from app.domain.enums import ReviewStage, SheetStatus, Stage
from app.domain.scoring import SheetLine, SheetScores, sheet_scores
from app.extensions import db
from models import (
    Application,
    AwardCycle,
    CriteriaCategory,
    CriteriaVersion,
    ReviewGroup,
    ScoreLine,
    Scoresheet,
)

# The review stage of the cycle in which each kind of sheet is entered (M-17).
SCORING_STAGE = {
    ReviewStage.MATERIAL: Stage.MATERIAL_REVIEW,
    ReviewStage.ONSITE: Stage.ONSITE_REVIEW,
}


@dataclass(frozen=True)
class Criteria:
    spec: Spec
    item_ids: dict[str, int]  # item code -> criteria_item.id
    codes: dict[int, str]  # criteria_item.id -> item code


def criteria_of(version_id: int) -> Criteria:
    """The cycle's bound criteria version (M-16) as the pure rules read it: read in one query
    (the version joined to its categories and items) and, within one request, once (a score
    save checks the entries against it and answers with the sheet's scores)."""
    memo = g.setdefault("_award_criteria", {}) if has_request_context() else {}
    if version_id not in memo:
        memo[version_id] = _read_criteria(version_id)
    return memo[version_id]


def _read_criteria(version_id: int) -> Criteria:
    version = (
        db.session.scalars(
            select(CriteriaVersion)
            .where(CriteriaVersion.id == version_id)
            .options(joinedload(CriteriaVersion.categories).joinedload(CriteriaCategory.items))
        )
        .unique()
        .one()
    )
    categories = []
    item_ids = {}
    for cat in version.categories:
        items = tuple(
            SpecItem(i.code, i.name_zh, i.name_en, Decimal(i.points), cat.code) for i in cat.items
        )
        item_ids.update({i.code: i.id for i in cat.items})
        categories.append(
            SpecCategory(cat.code, cat.name_zh, cat.name_en, Decimal(cat.points), cat.kind, items)
        )
    spec = Spec(version.code, version.name, tuple(categories))
    return Criteria(spec, item_ids, {v: k for k, v in item_ids.items()})


def sheet_with_lines(sheet_id: int) -> Scoresheet | None:
    """The stored sheet with its application, cycle and lines, in two queries, read afresh
    (the answer to a save or submit after its commit)."""
    return (
        db.session.scalars(
            select(Scoresheet)
            .where(Scoresheet.id == sheet_id)
            .options(
                joinedload(Scoresheet.application).joinedload(Application.cycle),
                selectinload(Scoresheet.lines),
            )
            .execution_options(populate_existing=True)
        )
        .unique()
        .one_or_none()
    )


def criteria_for_sheet(sheet: Scoresheet) -> Criteria:
    return criteria_of(sheet.application.cycle.criteria_version_id)


def sheet_lines(sheet: Scoresheet, criteria: Criteria) -> list[SheetLine]:
    return [
        SheetLine(
            criteria.codes.get(line.item_id, f"#{line.item_id}"),
            line.percent,
            line.strengths or "",
            line.improvements or "",
        )
        for line in sheet.lines
    ]


def scores_of(sheet: Scoresheet, criteria: Criteria | None = None) -> SheetScores:
    criteria = criteria or criteria_for_sheet(sheet)
    return sheet_scores(criteria.spec, sheet_lines(sheet, criteria))


def blank_sheets(group: ReviewGroup, application_id: int, reviewer_ids, *, consensus=False):
    """Draft sheets with one empty line per item of the cycle's criteria version (M-19.2)."""
    cycle = group.cycle or db.session.get(AwardCycle, group.cycle_id)
    criteria = criteria_of(cycle.criteria_version_id)
    made = []
    for reviewer_id in reviewer_ids:
        exists = db.session.scalar(
            select(Scoresheet.id).where(
                Scoresheet.application_id == application_id,
                Scoresheet.stage == group.stage,
                Scoresheet.reviewer_id == reviewer_id,
                Scoresheet.is_consensus.is_(consensus),
            )
        )
        if exists:
            continue
        sheet = Scoresheet(
            application_id=application_id,
            group_id=group.id,
            reviewer_id=reviewer_id,
            stage=group.stage,
            is_consensus=consensus,
            status=SheetStatus.DRAFT.value,
            total=Decimal(0),
        )
        sheet.lines = [
            ScoreLine(item_id=criteria.item_ids[code]) for code in criteria.spec.item_codes
        ]
        db.session.add(sheet)
        made.append(sheet)
    return made
