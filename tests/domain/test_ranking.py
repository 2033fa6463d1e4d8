"""Comprehensive evaluation ranks by on-site score and proposes winners (M-19.5, M-4)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.enums import Prize
from app.domain.errors import InvalidInput
from app.domain.ranking import (
    NOT_RANKED_EXCLUDED,
    NOT_RANKED_NO_ONSITE,
    Candidate,
    rank_candidates,
    rank_cycle,
)


def cand(
    app_id: int,
    onsite: str | int | None,
    results: str | int | None = 300,
    material: str | int | None = 600,
    *,
    prize: Prize = Prize.AWARD,
    excluded: bool = False,
) -> Candidate:
    def dec(v):
        return None if v is None else Decimal(str(v))

    return Candidate(
        application_id=app_id,
        prize=prize,
        applicant_name=f"单位{app_id}",
        onsite=dec(onsite),
        results_category=dec(results),
        material=dec(material),
        satisfaction=Decimal(90),
        excluded=excluded,
    )


def ids(ranking) -> list[int]:
    return [line.candidate.application_id for line in ranking.lines]


def test_candidates_are_ranked_by_onsite_score_highest_first_m19_5():
    ranking = rank_candidates([cand(1, 700), cand(2, 820), cand(3, "750.5")], quota=2)
    assert ids(ranking) == [2, 3, 1]
    assert [line.rank for line in ranking.lines] == [1, 2, 3]
    assert [line.candidate.application_id for line in ranking.proposed] == [2, 3]
    assert ranking.vacancies == 0
    assert not ranking.unresolved_tie


def test_an_equal_onsite_score_is_broken_by_the_results_category_score():
    ranking = rank_candidates([cand(1, 800, results=300), cand(2, 800, results=320)], quota=1)
    assert ids(ranking) == [2, 1]
    assert [line.rank for line in ranking.lines] == [1, 2]
    assert [line.candidate.application_id for line in ranking.proposed] == [2]
    assert "结果类别" in ranking.lines[0].tie_break
    assert ranking.lines[0].tie_note == ""


def test_equal_onsite_and_results_scores_are_broken_by_the_material_score():
    ranking = rank_candidates(
        [cand(1, 800, 300, material=600), cand(2, 800, 300, material="600.5")], quota=1
    )
    assert ids(ranking) == [2, 1]
    assert [line.rank for line in ranking.lines] == [1, 2]
    assert "材料评审" in ranking.lines[1].tie_break
    assert not ranking.unresolved_tie


def test_a_tie_on_all_three_scores_shares_a_rank_and_goes_to_the_committee():
    ranking = rank_candidates([cand(1, 800), cand(2, 800), cand(3, 700)], quota=2)
    assert [line.rank for line in ranking.lines] == [1, 1, 3]
    first = ranking.lines[0]
    assert first.tied_with == (2,)
    assert first.tie_note == "与单位2并列，需委员会决定"
    # Both fit in the quota, so both are proposed and nothing is left unresolved.
    assert [line.proposed for line in ranking.lines] == [True, True, False]
    assert not ranking.unresolved_tie


def test_a_tie_straddling_the_quota_proposes_none_of_the_tied():
    ranking = rank_candidates([cand(1, 900), cand(2, 800), cand(3, 800), cand(4, 700)], quota=2)
    assert [line.rank for line in ranking.lines] == [1, 2, 2, 4]
    assert [line.proposed for line in ranking.lines] == [True, False, False, False]
    assert ranking.unresolved_tie
    assert ranking.vacancies == 1
    assert "需委员会决定" in ranking.lines[1].tie_note
    assert "剩余名额 1 个" in ranking.lines[1].tie_note


def test_a_tie_below_a_filled_quota_is_not_an_unresolved_tie():
    ranking = rank_candidates([cand(1, 900), cand(2, 800), cand(3, 800)], quota=1)
    assert [line.proposed for line in ranking.lines] == [True, False, False]
    assert not ranking.unresolved_tie
    assert ranking.lines[1].tie_note == "与单位3并列，需委员会决定"


def test_three_tied_name_each_other():
    ranking = rank_candidates([cand(1, 800), cand(2, 800), cand(3, 800)], quota=2)
    assert ranking.lines[0].tie_note.startswith("与单位2、单位3并列")
    assert ranking.proposed == ()
    assert ranking.unresolved_tie


def test_no_prize_is_proposed_below_the_minimum_onsite_score_leaving_it_vacant_m4():
    ranking = rank_candidates(
        [cand(1, 720), cand(2, "699.9")], quota=2, minimum_onsite=Decimal(700)
    )
    assert [line.proposed for line in ranking.lines] == [True, False]
    assert [line.below_minimum for line in ranking.lines] == [False, True]
    assert ranking.vacancies == 1


def test_a_score_equal_to_the_minimum_may_be_proposed():
    ranking = rank_candidates([cand(1, 700)], quota=2, minimum_onsite=Decimal(700))
    assert ranking.lines[0].proposed


def test_when_all_are_below_the_minimum_the_prize_stays_vacant():
    ranking = rank_candidates([cand(1, 600), cand(2, 650)], quota=2, minimum_onsite=Decimal(700))
    assert ranking.proposed == ()
    assert ranking.vacancies == 2


def test_disqualified_and_unscored_candidates_leave_the_ranking():
    ranking = rank_candidates([cand(1, 900, excluded=True), cand(2, None), cand(3, 700)], quota=2)
    assert ids(ranking) == [3]
    assert ranking.lines[0].rank == 1
    assert [(c.application_id, why) for c, why in ranking.not_ranked] == [
        (1, NOT_RANKED_EXCLUDED),
        (2, NOT_RANKED_NO_ONSITE),
    ]


def test_a_missing_tie_break_score_ranks_below_a_present_one():
    ranking = rank_candidates([cand(1, 800, results=None), cand(2, 800, results=0)], quota=1)
    assert ids(ranking) == [2, 1]


def test_a_ranking_is_for_one_prize_only():
    with pytest.raises(InvalidInput):
        rank_candidates([cand(1, 800), cand(2, 800, prize=Prize.NOMINATION)], quota=2)


def test_a_negative_quota_is_refused():
    with pytest.raises(InvalidInput):
        rank_candidates([cand(1, 800)], quota=-1)


def test_a_cycle_is_ranked_per_prize_and_a_prize_without_candidates_is_vacant():
    rankings = rank_cycle(
        [cand(1, 800), cand(2, 850), cand(3, 600, prize=Prize.NOMINATION)],
        {Prize.AWARD: 1, Prize.NOMINATION: 2},
        Decimal(650),
    )
    assert [line.candidate.application_id for line in rankings[Prize.AWARD].proposed] == [2]
    assert rankings[Prize.NOMINATION].vacancies == 2
    assert rankings[Prize.NOMINATION].prize is Prize.NOMINATION
    empty = rank_cycle([], {Prize.AWARD: 2, Prize.NOMINATION: 2}, None)
    assert empty[Prize.AWARD].prize is Prize.AWARD
    assert empty[Prize.AWARD].vacancies == 2


def test_a_cycle_refuses_a_candidate_for_a_prize_without_quota():
    with pytest.raises(InvalidInput, match="政府质量提名奖"):
        rank_cycle([cand(1, 800, prize=Prize.NOMINATION)], {Prize.AWARD: 2})


# Few distinct values, so ties at every level are common.
scores = st.sampled_from([None, 600, 700, 800]).map(lambda v: None if v is None else Decimal(v))
candidates = st.lists(st.tuples(scores, scores, scores, st.booleans()), max_size=8).map(
    lambda rows: [
        Candidate(i, Prize.AWARD, f"单位{i}", on, res, mat, None, excluded)
        for i, (on, res, mat, excluded) in enumerate(rows)
    ]
)


@given(candidates, st.integers(0, 4), st.sampled_from([None, Decimal(700)]))
def test_ranking_invariants(cands, quota, minimum):
    ranking = rank_candidates(cands, quota, minimum)
    ranked = sorted(line.candidate.application_id for line in ranking.lines)
    expected = sorted(c.application_id for c in cands if not c.excluded and c.onsite is not None)
    assert ranked == expected  # a permutation of the non-excluded scored candidates
    assert len(ranking.proposed) <= quota
    assert ranking.vacancies == quota - len(ranking.proposed)
    assert all(not line.below_minimum for line in ranking.proposed)
    onsite = [line.candidate.onsite for line in ranking.lines]
    assert onsite == sorted(onsite, reverse=True)
    # Proposed lines are a prefix: nobody is proposed after someone who is not.
    flags = [line.proposed for line in ranking.lines]
    assert flags == sorted(flags, reverse=True)
    # Tied candidates share both their rank and their fate.
    by_id = {line.candidate.application_id: line for line in ranking.lines}
    for line in ranking.lines:
        for other in line.tied_with:
            assert by_id[other].rank == line.rank
            assert by_id[other].proposed == line.proposed
