import dspy
import pytest

from elexirion_optimizer.program import only_predictor, program_for, program_from_pack
from factories import optimize_spec


def test_a_step_is_one_predict():
    name, predictor = only_predictor(program_for(optimize_spec()))

    assert name == "step"
    assert type(predictor) is dspy.Predict


def test_chain_of_thought_adds_reasoning_before_the_outputs():
    name, predictor = only_predictor(program_for(optimize_spec(chain_of_thought=True)))

    assert name == "step.predict"
    assert list(predictor.signature.output_fields) == ["reasoning", "category"]


def test_a_pack_sets_instructions_and_demos_on_a_fresh_program():
    # Prepare
    pack = {
        "signature": {"instructions": "Pick the category the ticket is about."},
        "demos": [{"augmented": True, "ticket": "refund please", "category": "billing"}],
    }

    # Act
    _, predictor = only_predictor(program_from_pack(optimize_spec(), pack))

    # Assess
    assert predictor.signature.instructions == "Pick the category the ticket is about."
    assert predictor.demos[0].category == "billing"
    assert only_predictor(program_for(optimize_spec()))[1].demos == []


def test_only_predictor_refuses_a_program_of_two():
    # Prepare
    class Two(dspy.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = dspy.Predict("x -> y"), dspy.Predict("y -> z")

    # Act / Assess
    with pytest.raises(ValueError, match="2"):
        only_predictor(Two())
