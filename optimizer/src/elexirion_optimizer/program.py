"""A pipeline step as a DSPy program, and the program a prompt pack describes."""

from typing import Any

import dspy

from .signatures import signature_for
from .spec import OptimizeSpec


class StepProgram(dspy.Module):
    """One pipeline step: a `Predict` over the step's signature, or a `ChainOfThought` when it asks
    for reasoning. Its one predictor is what a prompt pack describes."""

    def __init__(self, signature: type[dspy.Signature], chain_of_thought: bool = False):
        super().__init__()
        self.step = dspy.ChainOfThought(signature) if chain_of_thought else dspy.Predict(signature)

    def forward(self, **inputs: Any) -> dspy.Prediction:
        return self.step(**inputs)


def program_for(spec: OptimizeSpec) -> StepProgram:
    """The uncompiled program of a step: its declared instructions and no demos."""
    return StepProgram(signature_for(spec), spec.chain_of_thought)


def only_predictor(program: dspy.Module) -> tuple[str, dspy.Predict]:
    """The program's single named predictor; a step is one LM call."""
    predictors = program.named_predictors()
    if len(predictors) != 1:
        raise ValueError(f"a step program has one predictor, this one has {len(predictors)}")
    return predictors[0]


def program_from_pack(spec: OptimizeSpec, pack: dict[str, Any]) -> StepProgram:
    """The program a stored prompt pack describes: the step's signature with the pack's instructions
    and demos, so the active version can be evaluated next to a candidate and compiled further.

    It goes through DSPy's `load_state`, the inverse of the `dump_state` the pack was exported from:
    the fresh program's own state with the pack's instructions and demos put in (the pack keeps no
    field prefixes, which no adapter renders)."""
    program = program_for(spec)
    program.load_state(pack_state(program, pack))
    return program


def pack_state(program: dspy.Module, pack: dict[str, Any]) -> dict[str, Any]:
    """The program's `dump_state()` with its one predictor's instructions and demos from the pack.
    Demos go in as `dspy.Example`s, which is what compilation leaves there (`load_state` would
    otherwise keep plain dicts)."""
    name, _ = only_predictor(program)
    state = program.dump_state()
    predictor = state[name]
    predictor["signature"] = predictor["signature"] | {"instructions": pack["signature"]["instructions"]}
    predictor["demos"] = [dspy.Example(**demo) for demo in pack["demos"]]
    return state
