"""Ranking a cycle from its score lines in the database: the set-based aggregate (SQLAlchemy),
the hand-written SQL floor, and the application's current per-application Python path."""

import time

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, joinedload

from models import Application, ReviewGroup, ScoreLine, Scoresheet

FLOOR_SQL = """
SELECT s.application_id, AVG(s.total) AS mean, COUNT(*) AS sheets
FROM (SELECT sh.id, sh.application_id, SUM(l.points) AS total
      FROM scoresheet sh
      JOIN application a ON a.id = sh.application_id
      JOIN score_line l ON l.scoresheet_id = sh.id
      WHERE a.cycle_id = :cycle AND sh.stage = :stage
        AND sh.is_consensus = :no AND sh.status = 'submitted'
      GROUP BY sh.id, sh.application_id) s
GROUP BY s.application_id
ORDER BY mean DESC, s.application_id
"""


# The same floor for what closing a group reads: each submitted sheet's category sums (the
# rules then leave out a tied reviewer's sheet, average and flag outliers in Python).
FLOOR_SHEETS_SQL = """
SELECT sh.application_id, sh.id, sh.reviewer_id, ci.category_id, SUM(l.points) AS points
FROM scoresheet sh
JOIN application a ON a.id = sh.application_id
JOIN score_line l ON l.scoresheet_id = sh.id
JOIN criteria_item ci ON ci.id = l.item_id
WHERE a.cycle_id = :cycle AND sh.stage = :stage
  AND sh.is_consensus = :no AND sh.status = 'submitted'
GROUP BY sh.application_id, sh.id, sh.reviewer_id, ci.category_id
"""


def stage_totals(session: Session, cycle_id: int, stage: str) -> list[tuple[int, float, int]]:
    """(application, mean of its sheets' totals, sheets) for a cycle's stage, best first:
    each sheet's total is the sum of its lines' points, computed by the database (M-19.2)."""
    per_sheet = (
        select(
            Scoresheet.application_id.label("application_id"),
            func.sum(ScoreLine.points).label("total"),
        )
        .join(Application, Application.id == Scoresheet.application_id)
        .join(ScoreLine, ScoreLine.scoresheet_id == Scoresheet.id)
        .where(
            Application.cycle_id == cycle_id,
            Scoresheet.stage == stage,
            Scoresheet.is_consensus.is_(False),
            Scoresheet.status == "submitted",
        )
        .group_by(Scoresheet.id, Scoresheet.application_id)
        .subquery()
    )
    mean = func.avg(per_sheet.c.total).label("mean")
    stmt = (
        select(per_sheet.c.application_id, mean, func.count().label("sheets"))
        .group_by(per_sheet.c.application_id)
        .order_by(mean.desc(), per_sheet.c.application_id)
    )
    return [(a, float(m), n) for a, m, n in session.execute(stmt)]


def floor_totals(session: Session, cycle_id: int, stage: str) -> list[tuple[int, float, int]]:
    rows = session.execute(text(FLOOR_SQL), {"cycle": cycle_id, "stage": stage, "no": False})
    return [(a, float(m), n) for a, m, n in rows]


def floor_sheet_sums(session: Session, cycle_id: int, stage: str) -> int:
    """The hand-written SQL for each submitted sheet's category sums; returns the rows."""
    rows = session.execute(
        text(FLOOR_SHEETS_SQL), {"cycle": cycle_id, "stage": stage, "no": False}
    ).all()
    return len(rows)


def app_python_path(session: Session, cycle_id: int, stage: str, limit: int) -> tuple[float, int]:
    """The app's close-group computation (scoring_close.application_results per application: sheets
    and lines loaded row by row, scored in Python) over the first `limit` applications;
    returns (seconds, applications). Read-only: nothing is stored."""
    from app.services import scoresheets, scoring_close

    groups = list(
        session.scalars(
            select(ReviewGroup)
            .where(ReviewGroup.cycle_id == cycle_id, ReviewGroup.stage == stage)
            .order_by(ReviewGroup.id)
        )
    )
    started = time.perf_counter()
    done = 0
    criteria = scoresheets.criteria_of(groups[0].cycle.criteria_version_id) if groups else None
    for group in groups:
        for assignment in group.assignments:
            if done >= limit:
                break
            scoring_close.application_results(group, assignment.application_id, criteria)
            done += 1
    return time.perf_counter() - started, done


def app_close_path(session: Session, cycle_id: int, stage: str) -> tuple[float, int]:
    """What the app computes when the Office closes every group of the stage, as
    app.services.scoring_close.close_group does: whose sheets count per application (M-25.2,
    M-25.3: app.services.conflict_counting, the domain's app.domain.counting, three queries per
    group), each submitted sheet's category sums as submitted (app.services.stage_totals, one
    row per sheet, one query per group), and the domain's mean and category means of the
    counted sheets (`scoring_close.compute_stage_scores`). Returns (seconds, applications).
    Read-only: nothing is stored."""
    from app.domain.enums import Aggregation
    from app.services.conflict_counting import group_counting
    from app.services.scoring_close import compute_stage_scores

    started = time.perf_counter()
    done = 0
    groups = session.scalars(
        select(ReviewGroup)
        .where(ReviewGroup.cycle_id == cycle_id, ReviewGroup.stage == stage)
        .order_by(ReviewGroup.id)
        .options(joinedload(ReviewGroup.cycle))
    ).all()
    for group in groups:
        counting = group_counting(group)
        done += len(compute_stage_scores(group, counting, Aggregation.MEAN))
    return time.perf_counter() - started, done
