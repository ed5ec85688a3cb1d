"""GEPA's metric: the step's evaluators as `dspy.Prediction(score=..., feedback=...)`.

GEPA proposes new instructions by reflecting on *why* examples scored badly; a bare number tells it
nothing ("This trajectory got a score of 0.0."). So for GEPA the step metric is asked for its
verdict — which evaluator failed and why — while the other optimizers keep the plain float.
"""

from typing import Any

import dspy

from .metrics import Metric


def gepa_metric(metric: Metric) -> Any:
    """The five-argument metric GEPA calls, `(gold, pred, trace, pred_name, pred_trace)`. Feedback is
    program-level (a step has one predictor), so `pred_name` and `pred_trace` are not needed; a
    metric that cannot explain itself gives GEPA its score alone."""

    def metric_with_feedback(
        gold: Any, pred: Any, trace: Any = None, pred_name: str | None = None, pred_trace: Any = None
    ) -> Any:
        verdict = getattr(metric, "verdict", None)
        if verdict is None:
            return metric(gold, pred, trace)
        found = verdict(gold, pred)
        return dspy.Prediction(score=found.score, feedback=found.feedback)

    return metric_with_feedback
