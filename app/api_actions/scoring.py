"""REST endpoints for score entry (M-19.2, M-19.4): save lines, submit, the Office's reopen and
closing a group; the same row scope as the screens (another reviewer's sheet is a 404)."""

from flask import g
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect

from app.domain.errors import InvalidInput
from app.extensions import db
from app.security.scopes import reviewer_id_of, scope
from app.services import scoresheets, scoring, scoring_close
from models import ReviewGroup, Scoresheet

from .base import ActionApi, action_doc, string


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


LINES_PROPERTIES = {
    "lines": {
        "description": "条款评分：列表 [{item, percent, strengths, improvements}]，或以条款代码为键的对象",
        "oneOf": [
            {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["item"],
                    "properties": {
                        "item": {"type": "string", "description": "条款代码（如 4.1）"},
                        "percent": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": 100,
                            "multipleOf": 5,
                            "nullable": True,
                        },
                        "strengths": {"type": "string", "nullable": True},
                        "improvements": {"type": "string", "nullable": True},
                    },
                },
            },
            {"type": "object"},
        ],
    },
    "overall_comment": {"type": "string", "nullable": True},
    "version": {
        "type": "integer",
        "description": "评分表的版本号（列表或 /entry 中的 version）；已被他人保存时拒绝（409）",
    },
}


class ScoresheetActionsApi(ActionApi):
    """Read, save and submit one's own scoresheet; the Office reopens a submitted one."""

    resource_name = "scoresheet"
    class_permission_name = "ScoresheetApi"
    openapi_spec_tag = "评分表"
    model = Scoresheet

    def _visible(self, pk: int, *options) -> Scoresheet | None:
        query = db.session.query(Scoresheet).filter(Scoresheet.id == pk).options(*options)
        return scope(Scoresheet, query).first()

    def _own(self, pk: int) -> Scoresheet | None:
        # Loaded with what the use case reads, so it finds the sheet and its relations loaded.
        sheet = self._visible(pk, *scoring.for_writing())
        rid = reviewer_id_of(g.user)
        return sheet if sheet is not None and rid is not None and sheet.reviewer_id == rid else None

    def _write(self, pk: int, write):
        sheet = self._own(pk)  # held: the session keeps loaded rows only while referenced
        if sheet is None:
            return self.response_404()
        actor = scoring.Actor(g.user.username, reviewer_id_of(g.user))
        return self.act(
            pk,
            lambda data: write(
                pk, actor, data.get("version"), entries_from_json(data), data.get("overall_comment")
            ),
            lambda sheet: self.response(200, **sheet_body(scoresheets.sheet_with_lines(pk))),
            lambda sheet: dict(getattr(sheet, "known_after_commit", {})),
            check_version=False,  # the use case checks it, in the database (no lost update)
        )

    @expose("/<int:pk>/entry", methods=["GET"])
    @protect()
    def entry(self, pk: int):
        """The sheet as its entry page shows it: version, status, total and each item's line.
        ---
        get:
          summary: 读取评分表（含 version 与各条款代码、评分），供保存和提交使用
          responses:
            200: {description: 评分表内容}
            404: {description: 无此评分表或无权访问（评审员只能读取本人的评分表）}
        """
        sheet = self._visible(pk)
        rid = reviewer_id_of(g.user)
        if sheet is None or (rid is not None and sheet.reviewer_id != rid):
            return self.response_404()
        return self.response(200, **sheet_body(sheet))

    @expose("/<int:pk>/save", methods=["PUT", "POST"])
    @protect()
    def save(self, pk: int):
        return self._write(pk, scoring.save)

    save.__doc__ = action_doc(
        "保存评分草稿（须带 version；lines 为条款评分，每项 0~100 且为 5 的倍数）",
        ("put", "post"),
        properties=LINES_PROPERTIES,
        required=("version",),
        ok="评分表的最新内容（含新的 version）",
    )

    @expose("/<int:pk>/submit", methods=["POST"])
    @protect()
    def submit(self, pk: int):
        return self._write(pk, scoring.submit)

    submit.__doc__ = action_doc(
        "提交评分表（须带 version；23 个条款均须评分，提交后锁定）",
        properties=LINES_PROPERTIES,
        required=("version",),
        ok="评分表的最新内容（已提交）",
    )

    @expose("/<int:pk>/reopen", methods=["POST"])
    @protect()
    def reopen(self, pk: int):
        """The Office sends a submitted sheet back to its reviewer with a reason.
        ---
        post:
          summary: 退回评分表（市质评办，须填写理由 reason）
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [reason]
                  properties:
                    reason: {type: string, description: 退回理由（评审员可见）}
                    version: {type: integer, description: 评分表的版本号；不符时拒绝（409）}
        """
        if self._visible(pk) is None:
            return self.response_404()
        actor = scoring.Actor(g.user.username, reviewer_id_of(g.user))
        return self.act(
            pk,
            lambda data: scoring.reopen(pk, actor, data.get("reason") or ""),
            lambda sheet: self.response(200, **sheet_body(db.session.get(Scoresheet, pk))),
        )


class ReviewGroupActionsApi(ActionApi):
    """Close a group's stage: every member submitted; stage scores computed (M-19.2)."""

    resource_name = "review_group"
    class_permission_name = "ReviewGroupApi"
    openapi_spec_tag = "评审组"
    model = ReviewGroup

    @expose("/<int:pk>/close", methods=["POST"])
    @protect()
    def close_group(self, pk: int):
        actor = self._actor(pk)
        if actor is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: scoring_close.close_group(pk, actor),
            lambda stored: self._closed(pk, stored),
        )

    close_group.__doc__ = action_doc(
        "结束评审组评审并计算阶段得分（M-19.2）",
        description="全体成员提交评分表后结束本组评审，按本届汇总方法计算各申报的阶段得分。",
        ok="各申报的阶段得分",
    )

    @expose("/<int:pk>/reopen", methods=["POST"])
    @protect()
    def reopen_group(self, pk: int):
        actor = self._actor(pk)
        if actor is None:
            return self.response_404()
        return self.act(
            pk,
            lambda data: scoring_close.reopen_group(pk, actor, str(data.get("reason") or "")),
            lambda group: self.response(
                200, group_id=pk, closed_at=None, version=db.session.get(ReviewGroup, pk).version
            ),
        )

    reopen_group.__doc__ = action_doc(
        "重新开启已结束的评审组（M-19.2、M-25.2，须填写理由 reason，M-3）",
        description="结束评审后登记的利益冲突使阶段得分不能重算时，市质评办重新开启评审组："
        "撤销本组阶段得分，补充评审员评分后再结束评审；委员会表决起不能重新开启（M-26）。",
        properties={"reason": string("重新开启的理由（记入审计日志）")},
        required=("reason",),
        ok="评审组已重新开启",
    )

    def _actor(self, pk: int) -> scoring.Actor | None:
        """The user acting on a group they may see; None where the group is not theirs (404)."""
        query = db.session.query(ReviewGroup).filter(ReviewGroup.id == pk)
        if scope(ReviewGroup, query).first() is None:
            return None
        return scoring.Actor(g.user.username, reviewer_id_of(g.user))

    def _closed(self, pk, stored):
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
