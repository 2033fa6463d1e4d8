"""M-19.6: the Committee's vote on a candidate: a valid tally, an optional quorum, a majority."""

from dataclasses import dataclass
from fractions import Fraction

from app.domain.errors import InvalidInput, RuleViolation


class InvalidVote(RuleViolation):
    rule = "M-19.6"
    default_message = "表决票数不合理"


class QuorumNotMet(RuleViolation):
    rule = "M-19.6"
    default_message = "出席委员人数不足，表决无效"


@dataclass(frozen=True)
class VoteTally:
    """One candidate's vote: votes cast, members present, and members of the Committee."""

    for_: int
    against: int
    abstain: int
    present: int
    members: int

    @property
    def cast(self) -> int:
        return self.for_ + self.against + self.abstain


def ensure_valid_tally(t: VoteTally) -> None:
    """Refuse a tally that cannot have happened: negatives, more votes than present, and so on."""
    counts = {"赞成": t.for_, "反对": t.against, "弃权": t.abstain, "出席": t.present}
    counts["委员总数"] = t.members
    negatives = [name for name, n in counts.items() if n < 0]
    if negatives:
        raise InvalidVote(f"{'、'.join(negatives)}人数不能为负数")
    if t.members == 0:
        raise InvalidVote("委员总数不能为 0")
    if t.present > t.members:
        raise InvalidVote(f"出席 {t.present} 人，多于委员总数 {t.members} 人")
    if t.cast > t.present:
        raise InvalidVote(
            f"赞成 {t.for_}、反对 {t.against}、弃权 {t.abstain}，共 {t.cast} 票，"
            f"多于出席人数 {t.present} 人"
        )


def ensure_quorum(t: VoteTally, quorum: Fraction) -> None:
    """At least `quorum` of the members must be present for the vote to count."""
    if not 0 < quorum <= 1:
        raise InvalidInput(f"法定人数比例应在 0 与 1 之间，不能为 {quorum}")
    if t.present < quorum * t.members:
        raise QuorumNotMet(
            f"委员 {t.members} 人，出席 {t.present} 人，不足 {quorum} 的法定人数，表决无效"
        )


def vote_passes(
    t: VoteTally, threshold: Fraction = Fraction(1, 2), quorum: Fraction | None = None
) -> bool:
    """True when strictly more than `threshold` of the members present voted for.

    The RULES.md M-19.6 decision: more than half of those present; abstaining counts as
    present but not for. Raises `InvalidVote` for an impossible tally and `QuorumNotMet` when
    a quorum is set and too few members came.
    """
    if not 0 <= threshold < 1:
        raise InvalidInput(f"通过比例应在 0 与 1 之间，不能为 {threshold}")
    ensure_valid_tally(t)
    if quorum is not None:
        ensure_quorum(t, quorum)
    return t.for_ > threshold * t.present
