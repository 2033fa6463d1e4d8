"""M-19.6: the Committee's vote passes with more than half of the members present."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import InvalidInput
from app.domain.votes import (
    InvalidVote,
    QuorumNotMet,
    VoteTally,
    ensure_valid_tally,
    vote_passes,
)


def test_a_vote_passes_with_4_for_of_7_present_m19_6():
    assert vote_passes(VoteTally(for_=4, against=2, abstain=1, present=7, members=9))


def test_a_vote_fails_with_exactly_half_3_of_6_present_m19_6():
    assert not vote_passes(VoteTally(for_=3, against=3, abstain=0, present=6, members=9))


def test_abstentions_count_as_present_but_not_for():
    assert not vote_passes(VoteTally(for_=3, against=0, abstain=3, present=6, members=6))


def test_members_present_who_did_not_vote_still_count_in_the_majority():
    assert not vote_passes(VoteTally(for_=3, against=0, abstain=0, present=7, members=7))


def test_a_two_thirds_threshold_needs_strictly_more_than_two_thirds():
    t = VoteTally(for_=6, against=3, abstain=0, present=9, members=9)
    assert not vote_passes(t, threshold=Fraction(2, 3))
    assert vote_passes(VoteTally(7, 2, 0, 9, 9), threshold=Fraction(2, 3))


def test_more_votes_than_members_present_is_refused_m19_6():
    with pytest.raises(InvalidVote) as e:
        ensure_valid_tally(VoteTally(for_=5, against=2, abstain=1, present=7, members=9))
    assert e.value.message == "赞成 5、反对 2、弃权 1，共 8 票，多于出席人数 7 人"
    assert e.value.rule == "M-19.6"


def test_more_present_than_members_is_refused():
    with pytest.raises(InvalidVote, match="多于委员总数"):
        ensure_valid_tally(VoteTally(5, 0, 0, present=10, members=9))


def test_negative_counts_are_refused():
    with pytest.raises(InvalidVote, match="反对人数不能为负数"):
        ensure_valid_tally(VoteTally(5, -1, 0, 7, 9))


def test_a_committee_with_no_members_is_refused():
    with pytest.raises(InvalidVote):
        ensure_valid_tally(VoteTally(0, 0, 0, 0, 0))


def test_vote_passes_checks_the_tally_first():
    with pytest.raises(InvalidVote):
        vote_passes(VoteTally(8, 0, 0, 7, 9))


def test_without_a_quorum_setting_any_attendance_may_vote():
    assert vote_passes(VoteTally(2, 0, 0, present=2, members=15))


def test_a_vote_below_the_quorum_is_void():
    with pytest.raises(QuorumNotMet, match="委员 15 人，出席 9 人，不足 2/3"):
        vote_passes(VoteTally(9, 0, 0, present=9, members=15), quorum=Fraction(2, 3))
    assert vote_passes(VoteTally(10, 0, 0, present=10, members=15), quorum=Fraction(2, 3))


def test_an_impossible_threshold_is_refused():
    with pytest.raises(InvalidInput):
        vote_passes(VoteTally(1, 0, 0, 1, 1), threshold=Fraction(1, 1))


@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_a_vote_passes_exactly_when_for_is_more_than_half_of_present(for_, other, absent):
    present = for_ + other
    t = VoteTally(for_, other, 0, present, present + absent or 1)
    assert vote_passes(t) == (2 * for_ > present)
