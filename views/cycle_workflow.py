"""The cycle's workflow pages and actions (M-17, M-19.2, M-19.5, M-4, M-19.8, M-5): each page
shows where the cycle stands; each action calls one service and flashes what it refused."""

from flask import abort, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_babel import lazy_gettext as _

from app.domain import stages as stage_rules
from app.domain.enums import Prize, Stage
from app.domain.money import yuan
from app.domain.scoring import round_display
from app.services import prizes, selectors, workflow
from app.services import ranking as ranking_svc
from app.services import shortlist as shortlist_svc
from app.services.disqualification import ground_label
from models import AwardCycle

from . import readable
from .forms import (
    AdvanceStageForm,
    AwardsForm,
    DecideTieForm,
    NoteForm,
    ShortlistForm,
    refuse_invalid,
)


def score(x) -> str:
    return "—" if x is None else str(round_display(x))


class CycleWorkflowMixin:
    """Mixed into AwardCycleView; the pages need can_<page>, the POSTs the action's name."""

    show_template = "award/cycle_show.html"

    def _cycle_or_404(self, pk) -> AwardCycle:
        item = self._scoped_item(pk)
        if item is None:
            abort(404)
        return item

    def _can(self, permission: str) -> bool:
        return self.appbuilder.sm.has_access(permission, self.class_permission_name)

    # --- stage moves (M-17) -------------------------------------------------------------
    @expose("/stage/<int:pk>")
    @has_access
    def stage(self, pk):
        cycle = self._cycle_or_404(pk)
        current = Stage(cycle.stage)
        moves = selectors.stage_moves(cycle.id)
        return self.render_template(
            "award/cycle_stage.html",
            cycle=cycle,
            current=current,
            following=stage_rules.next_stage(current),
            stages=list(Stage),
            missing=workflow.missing_preconditions(cycle),
            moves=moves,
            stage_label=lambda s: Stage(s).label,
            when=readable.when,  # local time, to the minute
            person=readable.person,  # the full name, not the login
            can_advance=self._can("advance_stage"),
        )

    @action("advance_stage", _("推进到下一阶段"), None, "fa-step-forward", multiple=False)
    def advance_stage(self, item):
        back, form = url_for(f"{type(self).__name__}.stage", pk=item.id), AdvanceStageForm()
        if not form.sent("from_stage"):
            return redirect(back)  # the show page's button: see the preconditions first
        return self.run_service(
            lambda: workflow.advance_stage(
                item.id, expected=refuse_invalid(form).from_stage.data, note=form.note.data
            ),
            lambda move: f"已推进到「{Stage(move.to_stage).label}」阶段",
            back,
        )

    # --- material-review ranking and the on-site list (M-19.2) --------------------------
    @expose("/material_ranking/<int:pk>")
    @has_access
    def material_ranking(self, pk):
        cycle = self._cycle_or_404(pk)
        return self.render_template(
            "award/cycle_material_ranking.html",
            cycle=cycle,
            tables=shortlist_svc.material_ranking(cycle),
            score=score,
            can_shortlist=self._can("shortlist") and Stage(cycle.stage) is Stage.MATERIAL_REVIEW,
        )

    @action("shortlist", _("确定现场评审名单"), None, "fa-list-ol", multiple=False)
    def shortlist(self, item):
        back, form = url_for(f"{type(self).__name__}.material_ranking", pk=item.id), ShortlistForm()
        if not form.sent("confirm"):
            return redirect(back)
        return self.run_service(
            lambda: shortlist_svc.choose(
                item.id, refuse_invalid(form).application_id.data or [], form.note.data
            ),
            lambda chosen: f"现场评审名单已确定：{len(chosen)} 份申报入围",
            back,
        )

    # --- comprehensive ranking (M-19.5, M-4) ---------------------------------------------
    @expose("/ranking/<int:pk>")
    @has_access
    def ranking(self, pk):
        cycle = self._cycle_or_404(pk)
        result = ranking_svc.cycle_ranking(cycle)
        in_rank_stage = Stage(cycle.stage) in ranking_svc.RANK_STAGES
        return self.render_template(
            "award/cycle_ranking.html",
            cycle=cycle,
            result=result,
            score=score,
            tied={p: result.tied_open(p) for p in Prize},
            ground_label=ground_label,
            can_rank=self._can("rank") and in_rank_stage,
            can_decide=self._can("decide_tie") and in_rank_stage,
        )

    @action("rank", _("保存综合评价排名"), None, "fa-sort-amount-desc", multiple=False)
    def rank(self, item):
        back, form = url_for(f"{type(self).__name__}.ranking", pk=item.id), NoteForm()
        if not form.sent("confirm"):
            return redirect(back)
        return self.run_service(
            lambda: ranking_svc.store_ranking(item.id, refuse_invalid(form).note.data),
            lambda result: (
                "综合评价排名已保存，拟表彰 "
                f"{sum(len(r.proposed) for r in result.rankings.values())} 个"
            ),
            back,
        )

    @action("decide_tie", _("记录委员会对并列名次的决定"), None, "fa-gavel", multiple=False)
    def decide_tie(self, item):
        back, form = url_for(f"{type(self).__name__}.ranking", pk=item.id), DecideTieForm()
        if not form.sent("confirm"):
            return redirect(back)
        return self.run_service(
            lambda: ranking_svc.decide_tie(
                item.id, refuse_invalid(form).application_id.data or [], form.reason.data
            ),
            lambda chosen: "已记录委员会决定：" + "、".join(a.applicant_name for a in chosen),
            back,
        )

    # --- awards and budget (M-19.8, M-20, M-5) -------------------------------------------
    @action(
        "create_awards",
        _("颁发奖项（生成证书编号）"),
        _("确定按批准名单颁发奖项？"),
        "fa-trophy",
        multiple=False,
    )
    def create_awards(self, item):
        form = AwardsForm()
        return self.run_service(
            lambda: prizes.create_awards(item.id, refuse_invalid(form).awarded_on.data),
            lambda awards: "已颁发：" + "、".join(a.certificate_no for a in awards),
            url_for(f"{type(self).__name__}.budget", pk=item.id),
        )

    @expose("/budget/<int:pk>")
    @has_access
    def budget(self, pk):
        cycle = self._cycle_or_404(pk)
        return self.render_template(
            "award/cycle_budget.html",
            cycle=cycle,
            summary=prizes.budget_of(cycle),
            lines=prizes.award_money(cycle.id),
            yuan=yuan,
            prize_label=lambda p: Prize(p).label,
            can_award=self._can("create_awards") and Stage(cycle.stage) in prizes.AWARD_STAGES,
        )
