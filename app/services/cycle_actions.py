"""Which of a cycle's actions its stage allows (M-17, M-19): the cycle page offers those and
shows the others disabled with the reason (issue 16). The services still check the stage
themselves; this only reads the same stage sets so the page and the rule agree."""

from app.domain.enums import Stage
from app.domain.stages import next_stage
from app.services.prizes import AWARD_STAGES
from app.services.ranking import RANK_STAGES
from app.services.review_proposal import FORMING_STAGES
from app.services.scoresheets import SCORING_STAGE

# action name -> (the stages it may run in, the rule that says so)
ACTION_STAGES: dict[str, tuple[frozenset, str]] = {
    "confirm_eligible": (frozenset({Stage.ELIGIBILITY}), "M-19.1"),
    "propose_groups": (frozenset().union(*FORMING_STAGES.values()), "M-10"),
    "close_groups": (frozenset(SCORING_STAGE.values()), "M-19.2"),
    "shortlist": (frozenset({Stage.MATERIAL_REVIEW}), "M-19.2"),
    "rank": (frozenset(RANK_STAGES), "M-19.5"),
    "decide_tie": (frozenset(RANK_STAGES), "M-19.5"),
    "create_awards": (frozenset(AWARD_STAGES), "M-19.8"),
}


def _names(stages) -> str:
    return "、".join(f"「{s.label}」" for s in sorted(stages, key=lambda s: s.order))


def unavailable(stage: str) -> dict[str, str]:
    """For a cycle at `stage`: each action its stage does not allow, with the reason."""
    current = Stage(stage)
    reasons = {}
    for name, (stages, rule) in ACTION_STAGES.items():
        if current not in stages:
            reasons[name] = (
                f"当前阶段为「{current.label}」，此操作仅在{_names(stages)}阶段可用（{rule}）"
            )
    if next_stage(current) is None:
        reasons["advance_stage"] = f"本届已处于「{current.label}」阶段，没有下一阶段（M-17）"
    return reasons
