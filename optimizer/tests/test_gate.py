import pytest

from elexirion_optimizer.gate import MIN_CANARY_SCORES, confirm_canary, decide


@pytest.mark.parametrize(
    ("candidate", "active", "margin", "promote", "says"),
    [
        (0.8, 0.5, 0.1, True, "meets the margin"),
        (0.55, 0.5, 0.1, False, "below the margin"),
        (0.5, 0.5, 0.0, False, "no improvement"),
        (0.4, 0.5, 0.0, False, "no improvement"),
        (0.51, 0.5, 0.0, True, "meets the margin"),
    ],
)
def test_promotes_only_a_candidate_that_beats_the_active_version_by_the_margin(
    candidate, active, margin, promote, says
):
    decision = decide(candidate, active, margin, examples=10)

    assert decision.promote is promote
    assert says in decision.reason


def test_no_held_out_examples_means_no_promotion():
    assert decide(1.0, 0.0, 0.0, examples=0).promote is False


def test_a_canary_waits_for_enough_live_scores_then_is_confirmed_or_refuted():
    enough = MIN_CANARY_SCORES

    assert confirm_canary([1.0] * (enough - 1), [0.0] * enough) is None
    assert confirm_canary([0.8] * enough, [0.6] * enough).promote is True
    assert confirm_canary([0.4] * enough, [0.6] * enough).promote is False
