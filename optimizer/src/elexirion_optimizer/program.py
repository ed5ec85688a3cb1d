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
    and demos, so the active version can be evaluated next to a candidate."""
    program = program_for(spec)
    _, predictor = only_predictor(program)
    predictor.signature = predictor.signature.with_instructions(pack["signature"]["instructions"])
    predictor.demos = [dspy.Example(**demo) for demo in pack["demos"]]
    return program
