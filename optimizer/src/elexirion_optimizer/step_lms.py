"""The LMs one step is compiled with: the step's own model, and the judge and reflection models its
`optimize:` block may name instead (`judge_model`, `reflection_model` in the pipeline YAML, resolved
to provider ids by the TypeScript compiler).

A strong reflection model writes better GEPA and MIPROv2 instructions, and a cheaper (or stronger)
judge may grade while compiling; both default to the step's model, so a step that names neither
compiles as before. An `llm_judge` evaluator that names its own model grades with that model, as it
does at run time; `judge_model` serves the judges that name none.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import dspy

from .spec import StepSpec

#: Builds an LM for a step: `lm_for(step)` its own model, `lm_for(step, model)` another of its provider.
LMFactory = Callable[..., dspy.LM]


@dataclass(frozen=True)
class StepLMs:
    """The task LM (whose prompts are compiled), the LLM judge's LM, the reflection LM (GEPA's
    `reflection_lm`, MIPROv2's `prompt_model`), and the LMs of judges that name their own model."""

    task: dspy.LM
    judge: dspy.LM
    reflection: dspy.LM
    judges: Mapping[str, dspy.LM] = field(default_factory=dict)


def step_lms(step: StepSpec, lm_for: LMFactory) -> StepLMs:
    """The step's LMs; a model the step does not name is its own task LM, built once."""
    task = lm_for(step)
    spec = step.optimize

    def named(model: str | None) -> dspy.LM:
        return task if model is None else lm_for(step, model)

    judge = named(spec.judge_model if spec else None)
    reflection = named(spec.reflection_model if spec else None)
    own = [e.settings["model"] for e in step.evaluators if e.kind == "llm_judge" and e.settings.get("model")]
    return StepLMs(task, judge, reflection, {model: lm_for(step, model) for model in dict.fromkeys(own)})
