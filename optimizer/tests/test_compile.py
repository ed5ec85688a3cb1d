import dspy
import pytest
from dspy.utils.dummies import DummyLM

from elexirion_optimizer.compile import compile_program
from elexirion_optimizer.metrics import metric_for
from elexirion_optimizer.offline_lm import offline_lm
from elexirion_optimizer.program import only_predictor, program_for
from factories import step_spec

TICKETS = [
    ("refund my order", "billing"),
    ("app crash on login", "bug"),
    ("reset my password", "account"),
] * 3
TRAIN = [
    dspy.Example(ticket=f"{t} #{i}", category=c).with_inputs("ticket") for i, (t, c) in enumerate(TICKETS)
]
ANSWERS = {
    "refund": {"category": "billing"},
    "crash": {"category": "bug"},
    "password": {"category": "account"},
}


def compile_with(lm, **overrides):
    step = step_spec(**overrides)
    student = program_for(step.optimize)
    with dspy.context(lm=lm, adapter=dspy.ChatAdapter(use_json_adapter_fallback=False)):
        compiled = compile_program(student, TRAIN, metric_for(step, lm), step.optimize, reflection_lm=lm)
    return student, compiled


def test_bootstrap_few_shot_returns_a_new_program_with_demos_and_leaves_the_student_alone():
    # Act
    student, compiled = compile_with(DummyLM(ANSWERS), max_demos=3)

    # Assess
    demos = only_predictor(compiled.program)[1].demos
    assert compiled.program is not student
    assert only_predictor(student)[1].demos == []
    assert len(demos) == 3 and all(d.get("augmented") for d in demos)
    assert (compiled.optimizer, compiled.trials) == ("bootstrap_few_shot", 1)


def test_a_seed_reproduces_the_same_program_and_another_seed_may_not():
    # Act
    runs = [compile_with(DummyLM(ANSWERS), max_demos=2, seed=seed)[1] for seed in (3, 3, 4)]

    # Assess
    demos = [[d.ticket for d in only_predictor(c.program)[1].demos] for c in runs]
    assert demos[0] == demos[1]
    assert demos[0] != demos[2]


@pytest.mark.parametrize("optimizer", ["mipro_v2", "gepa"])
def test_mipro_v2_and_gepa_run_offline_within_their_budget(optimizer):
    # Act
    _, compiled = compile_with(offline_lm(), optimizer=optimizer, max_demos=2, trials=2)

    # Assess
    assert compiled.optimizer == optimizer
    assert 1 <= compiled.trials <= 2
    assert len(only_predictor(compiled.program)[1].demos) <= 2


def test_mipro_v2_proposes_its_instructions_with_the_reflection_lm():
    # Prepare
    task, reflection = offline_lm(), offline_lm()
    step = step_spec(optimizer="mipro_v2", max_demos=1, trials=2)

    # Act
    with dspy.context(lm=task, adapter=dspy.ChatAdapter(use_json_adapter_fallback=False)):
        compile_program(program_for(step.optimize), TRAIN, metric_for(step, task), step.optimize, reflection)

    # Assess: the proposer (which starts by summarizing the data set) asks the reflection LM, the
    # program's own calls go to the task LM.
    def sent(lm):
        return [m["content"] for call in lm.history for m in call["messages"]]

    assert any("[[ ## observations ## ]]" in text for text in sent(reflection))
    assert not any("[[ ## observations ## ]]" in text for text in sent(task))
    assert not any("[[ ## ticket ## ]]" in text for text in sent(reflection))
    assert any("[[ ## ticket ## ]]" in text for text in sent(task))
