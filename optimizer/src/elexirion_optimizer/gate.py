"""Decides whether a candidate prompt pack replaces the active version.

Optimizers are not monotone (a reflective optimizer can make a prompt worse), so a candidate is
promoted only when it beats the active version on held-out examples it was not compiled from, by at
least the step's margin. With a canary share the promotion is provisional: the candidate serves that
share of runs until their live scores confirm or refute it.
"""

from dataclasses import dataclass
from statistics import fmean

#: Live scores each side needs before a canary is confirmed or refuted.
MIN_CANARY_SCORES = 5


@dataclass(frozen=True)
class Decision:
    """The outcome of a comparison, and why, in words that go into the registry record."""

    promote: bool
    reason: str


def decide(candidate: float, active: float, margin: float, examples: int) -> Decision:
    """Promote when `candidate` beats `active` by at least `margin` (and is strictly better)."""
    gain = candidate - active
    summary = f"held-out score {candidate:.3f} vs active {active:.3f} on {examples} examples"
    if examples == 0:
        return Decision(False, "no held-out examples to compare on")
    if gain > 0 and gain >= margin:
        return Decision(True, f"{summary}: +{gain:.3f} meets the margin {margin:.3f}")
    if gain <= 0:
        return Decision(False, f"{summary}: no improvement")
    return Decision(False, f"{summary}: +{gain:.3f} is below the margin {margin:.3f}")


def confirm_canary(canary: list[float], active: list[float]) -> Decision | None:
    """Whether live scores confirm a canary: promote when its mean is at least the active version's,
    refute when below; None while either side has fewer than `MIN_CANARY_SCORES` scores."""
    if len(canary) < MIN_CANARY_SCORES or len(active) < MIN_CANARY_SCORES:
        return None
    live, current = fmean(canary), fmean(active)
    summary = f"live score {live:.3f} over {len(canary)} canary runs vs {current:.3f} over {len(active)} runs"
    if live >= current:
        return Decision(True, f"{summary}: confirmed")
    return Decision(False, f"{summary}: refuted")
