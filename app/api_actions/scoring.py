"""REST endpoints for score entry (M-19.2, M-19.4): save lines, submit, the Office's reopen and
closing a group; the same row scope as the screens (another reviewer's sheet is a 404)."""

from flask import g, request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect

from app.domain.errors import InvalidInput, RuleViolation
from app.extensions import db
from app.security.scopes import reviewer_id_of, scope
from app.services import scoresheets, scoring, scoring_close
from models import ReviewGroup, Scoresheet


def sheet_body(sheet: Scoresheet) -> dict:
    criteria = scoresheets.criteria_of(sheet.application.cycle.criteria_version_id)
    scores = scoresheets.scores_of(sheet, criteria)
    return {
        "id": sheet.id,
        "application_id": sheet.application_id,
        "stage": sheet.stage,
        "is_consensus": sheet.is_consensus,
        "status": sheet.status,
        "version": sheet.version,
        "total": str(scores.total),
        "categories": {code: str(v) for code, v in scores.categories.items()},
        "missing": scores.missing,
        "reopened_reason": sheet.reopened_reason,
        "overall_comment": sheet.overall_comment,
        "lines": [
            {
                "item": criteria.codes.get(line.item_id),
                "percent": line.percent,
                "points": None if line.points is None else str(line.points),
                "strengths": line.strengths,
                "improvements": line.improvements,
            }
            for line in sheet.lines
        ],
    }


def entries_from_json(data: dict) -> dict:
    """`lines` as a list of {item, percent, strengths, improvements} or a dict by item code."""
    lines = data.get("lines") or {}
    if isinstance(lines, dict):
        return {str(code): dict(fields or {}) for code, fields in lines.items()}
    if not isinstance(lines, list):
        raise InvalidInput("lines 应为列表或以条款代码为键的对象")
    entries = {}
    for line in lines:
        if not isinstance(line, dict) or not line.get("item"):
            raise InvalidInput("lines 中每项须含条款代码 item")
        code = str(line["item"])
        if code in entries:
            raise InvalidInput(f"条款 {code} 出现了两次")
        entries[code] = {k: v for k, v in line.items() if k != "item"}
    return entries


class ScoresheetActionsApi(BaseApi):
    """Save and submit one's own scoresheet; the Office reopens a submitted one."""

    resource_name = "scoresheet"
    class_permission_name = "ScoresheetApi"
    openapi_spec_tag = "评分表"
    allow_browser_login = False

    def _visible(self, pk: int) -> Scoresheet | None:
        return scope(Scoresheet, db.session.query(Scoresheet).filter(Scoresheet.id == pk)).first()

    def _own(self, pk: int) -> Scoresheet | None:
        sheet = self._visible(pk)
        rid = reviewer_id_of(g.user)
        return sheet if sheet is not None and rid is not None and sheet.reviewer_id == rid else None

    def _write(self, pk: int, write):
        if self._own(pk) is None:
            return self.response_404()
        data = request.get_json(silent=True)
        data = data if isinstance(data, dict) else {}
        actor = scoring.Actor(g.user.username, reviewer_id_of(g.user))
        try:
            write(
                pk, actor, data.get("version"), entries_from_json(data), data.get("overall_comment")
            )
        except RuleViolation as exc:
            db.session.rollback()
            return self.response(422, message=str(exc), rule=exc.rule)
        return self.response(200, **sheet_body(db.session.get(Scoresheet, pk)))

    @expose("/<int:pk>/save", methods=["PUT", "POST"])
    @protect()
    def save(self, pk: int):
        """Save item percentages (0..100 in steps of 5), strengths and improvements as a draft.
        ---
        put:
          summary: 保存评分草稿（须带 version；lines 为条款评分）
        post:
          summary: 保存评分草稿（同 PUT）
        """
        return self._write(pk, scoring.save)

    @expose("/<int:pk>/submit", methods=["POST"])
    @protect()
    def submit(self, pk: int):
        """Save the given lines, if any, and submit: all 23 items scored; the sheet is locked.
        ---
        post:
          summary: 提交评分表（23 个条款均须评分）
        """
        return self._write(pk, scoring.submit)

    @expose("/<int:pk>/reopen", methods=["POST"])
    @protect()
    def reopen(self, pk: int):
        """The Office sends a submitted sheet back to its reviewer with a reason.
        ---
        post:
          summary: 退回评分表（市质评办，须填写理由 reason）
        """
        if self._visible(pk) is None:
            return self.response_404()
        data = request.get_json(silent=True)
        reason = data.get("reason") if isinstance(data, dict) else None
        actor = scoring.Actor(g.user.username, reviewer_id_of(g.user))
        try:
            scoring.reopen(pk, actor, reason or "")
        except RuleViolation as exc:
            db.session.rollback()
            return self.response(422, message=str(exc), rule=exc.rule)
        return self.response(200, **sheet_body(db.session.get(Scoresheet, pk)))


class ReviewGroupActionsApi(BaseApi):
    """Close a group's stage: every member submitted; stage scores computed (M-19.2)."""

    resource_name = "review_group"
    class_permission_name = "ReviewGroupApi"
    openapi_spec_tag = "评审组"
    allow_browser_login = False

    @expose("/<int:pk>/close", methods=["POST"])
    @protect()
    def close_group(self, pk: int):
        """Close the group and compute each application's stage score.
        ---
        post:
          summary: 结束评审组评审并计算阶段得分
          responses:
            200: {description: 各申报的阶段得分}
            404: {description: 无此评审组或无权访问}
            422: {description: 尚有成员未提交等，message 与 rule 说明原因}
        """
        query = db.session.query(ReviewGroup).filter(ReviewGroup.id == pk)
        if scope(ReviewGroup, query).first() is None:
            return self.response_404()
        actor = scoring.Actor(g.user.username, reviewer_id_of(g.user))
        try:
            stored = scoring_close.close_group(pk, actor)
        except RuleViolation as exc:
            db.session.rollback()
            return self.response(422, message=str(exc), rule=exc.rule)
        return self.response(
            200,
            group_id=pk,
            stage_scores=[
                {
                    "application_id": s.application_id,
                    "stage": s.stage,
                    "method": s.method,
                    "total": str(s.total),
                    "categories": s.categories,
                    "sheets": s.sheets,
                }
                for s in stored
            ],
        )


def register(appbuilder) -> None:
    appbuilder.add_api(ScoresheetActionsApi)
    appbuilder.add_api(ReviewGroupActionsApi)
