"""The LMs one step is compiled with: the step's own model, and the judge and reflection models its
`optimize:` block may name instead.

A strong reflection model writes better GEPA instructions, and a cheaper (or stronger) judge may grade
while compiling; both default to the step's model, so a step that names neither compiles as before.
"""

from collections.abc import Callable
from dataclasses import dataclass

import dspy

from .spec import StepSpec

#: Builds an LM for a step: `lm_for(step)` its own model, `lm_for(step, model)` another of its provider.
LMFactory = Callable[..., dspy.LM]


@dataclass(frozen=True)
class StepLMs:
    """The task LM (whose prompts are compiled), the LLM judge's LM, and GEPA's reflection LM."""

    task: dspy.LM
    judge: dspy.LM
    reflection: dspy.LM


def step_lms(step: StepSpec, lm_for: LMFactory) -> StepLMs:
    """The step's LMs; a model the step does not name is its own task LM, built once."""
    task = lm_for(step)
    spec = step.optimize

    def named(model: str | None) -> dspy.LM:
        return task if model is None else lm_for(step, model)

    return StepLMs(
        task=task,
        judge=named(spec.judge_model if spec else None),
        reflection=named(spec.reflection_model if spec else None),
    )
