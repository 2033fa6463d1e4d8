"""Comprehensive evaluation: rank a prize's finalists by on-site score and propose winners (M-19.5)."""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.domain.enums import Prize
from app.domain.errors import InvalidInput

NOT_RANKED_EXCLUDED = "已取消资格，不参与排名"
NOT_RANKED_NO_ONSITE = "无现场评审得分，不参与排名"


@dataclass(frozen=True)
class Candidate:
    """A finalist's unrounded stage scores; satisfaction is shown beside them, never ranked on."""

    application_id: Hashable
    prize: Prize
    applicant_name: str
    onsite: Decimal | None
    results_category: Decimal | None
    material: Decimal | None
    satisfaction: Decimal | None
    excluded: bool = False


@dataclass(frozen=True)
class RankedLine:
    """A candidate's place; ``tie_break`` says how an equal on-site score was separated."""

    candidate: Candidate
    rank: int
    tied_with: tuple[Hashable, ...] = ()
    tie_note: str = ""
    proposed: bool = False
    below_minimum: bool = False
    tie_break: str = ""


@dataclass(frozen=True)
class Ranking:
    """One prize's ranking. A tie straddling the quota is left to the Committee: none of the
    tied is proposed, ``unresolved_tie`` is set and the seats they compete for count as vacant
    until the Committee decides."""

    prize: Prize | None
    quota: int
    minimum_onsite: Decimal | None
    lines: tuple[RankedLine, ...]
    not_ranked: tuple[tuple[Candidate, str], ...]
    unresolved_tie: bool

    @property
    def proposed(self) -> tuple[RankedLine, ...]:
        return tuple(line for line in self.lines if line.proposed)

    @property
    def vacancies(self) -> int:
        return max(self.quota - len(self.proposed), 0)


def _order_key(c: Candidate) -> tuple:
    # A missing tie-break score sorts below any present one rather than counting as 0.
    return (
        c.onsite,
        c.results_category is not None,
        c.results_category or Decimal(0),
        c.material is not None,
        c.material or Decimal(0),
    )


def _names(candidates: Iterable[Candidate]) -> str:
    return "、".join(c.applicant_name for c in candidates)


def _tie_break_note(c: Candidate, ranked: Sequence[Candidate]) -> str:
    same_onsite = [o for o in ranked if o is not c and o.onsite == c.onsite]
    by_results = [o for o in same_onsite if o.results_category != c.results_category]
    by_material = [
        o
        for o in same_onsite
        if o.results_category == c.results_category and o.material != c.material
    ]
    notes = []
    if by_results:
        notes.append(f"现场评审得分与{_names(by_results)}相同，按现场评审结果类别得分区分")
    if by_material:
        notes.append(f"现场评审得分及结果类别得分与{_names(by_material)}相同，按材料评审得分区分")
    return "；".join(notes)


def rank_candidates(
    candidates: Iterable[Candidate],
    quota: int,
    minimum_onsite: Decimal | None = None,
    *,
    prize: Prize | None = None,
) -> Ranking:
    """M-19.5: rank one prize's candidates by on-site score, highest first, and propose winners.

    Ties are broken by the on-site results category score, then the material review score;
    candidates equal on all three share a rank (1, 1, 3) and the tie goes to the Committee.
    No candidate below ``minimum_onsite`` is proposed, which may leave seats vacant (M-4).
    Candidates that remain tied keep the order they were given in. ``prize`` names the prize
    when the list may be empty; otherwise it is taken from the candidates.
    """
    candidates = list(candidates)
    if quota < 0:
        raise InvalidInput(f"名额不能为负数（{quota}）")
    prizes = {c.prize for c in candidates} | ({prize} if prize else set())
    if len(prizes) > 1:
        raise InvalidInput("排名须按奖项分别进行，候选名单中混有不同奖项")
    ids = [c.application_id for c in candidates]
    if len(set(ids)) != len(ids):
        raise InvalidInput("候选名单中有重复的申报")
    prize = prizes.pop() if prizes else None

    not_ranked: list[tuple[Candidate, str]] = []
    scored: list[Candidate] = []
    for c in candidates:
        if c.excluded:
            not_ranked.append((c, NOT_RANKED_EXCLUDED))
        elif c.onsite is None:
            not_ranked.append((c, NOT_RANKED_NO_ONSITE))
        else:
            scored.append(c)
    ordered = sorted(scored, key=_order_key, reverse=True)  # stable: ties keep input order

    groups: list[list[Candidate]] = []
    for c in ordered:
        if groups and _order_key(groups[-1][0]) == _order_key(c):
            groups[-1].append(c)
        else:
            groups.append([c])

    lines: list[RankedLine] = []
    proposed_count = 0
    closed = False  # once a group cannot be proposed, nobody ranked after it may be
    unresolved_tie = False
    rank = 1
    for group in groups:
        below = minimum_onsite is not None and group[0].onsite < minimum_onsite
        left = quota - proposed_count
        propose = not closed and not below and len(group) <= left
        straddles = not closed and not below and len(group) > 1 and 0 < left < len(group)
        if not propose:
            closed = True
        if straddles:
            unresolved_tie = True
        for c in group:
            others = [o for o in group if o is not c]
            note = ""
            if others:
                note = f"与{_names(others)}并列，需委员会决定"
                if straddles:
                    note += f"（剩余名额 {left} 个，少于并列的 {len(group)} 个）"
            lines.append(
                RankedLine(
                    candidate=c,
                    rank=rank,
                    tied_with=tuple(o.application_id for o in others),
                    tie_note=note,
                    proposed=propose,
                    below_minimum=below,
                    tie_break=_tie_break_note(c, ordered),
                )
            )
        if propose:
            proposed_count += len(group)
        rank += len(group)

    return Ranking(
        prize=prize,
        quota=quota,
        minimum_onsite=minimum_onsite,
        lines=tuple(lines),
        not_ranked=tuple(not_ranked),
        unresolved_tie=unresolved_tie,
    )


def rank_cycle(
    candidates: Iterable[Candidate],
    quotas: dict[Prize, int],
    minimum: Decimal | None = None,
) -> dict[Prize, Ranking]:
    """M-19.5 for a whole cycle: one ranking per prize that has a quota, even with no candidates."""
    candidates = list(candidates)
    stray = {c.prize for c in candidates} - set(quotas)
    if stray:
        raise InvalidInput(f"未设置名额的奖项：{'、'.join(Prize(p).label for p in stray)}")
    rankings: dict[Prize, Ranking] = {}
    for prize in Prize:
        if prize not in quotas:
            continue
        rankings[prize] = rank_candidates(
            [c for c in candidates if c.prize == prize], quotas[prize], minimum, prize=prize
        )
    return rankings
