"""Packs round-trip through DSPy's dump_state/load_state, and compiling leaves global RNG state alone."""

import json
import random
from pathlib import Path

import dspy
import pytest
from dspy.utils.dummies import DummyLM

from elexirion_optimizer.compile import compile_program
from elexirion_optimizer.export import export_pack
from elexirion_optimizer.metrics import metric_for
from elexirion_optimizer.offline_lm import offline_lm
from elexirion_optimizer.program import only_predictor, program_for, program_from_pack
from factories import step_spec
from test_export import CONTEXT
from test_golden import CASES, GOLDEN, context

ADAPTER = dspy.ChatAdapter(use_json_adapter_fallback=False)
ANSWERS = {
    "refund": {"category": "billing"},
    "crash": {"category": "bug"},
    "password": {"category": "account"},
}
TRAIN = [
    dspy.Example(ticket=f"{t} #{i}", category=c).with_inputs("ticket")
    for i, (t, c) in enumerate(
        [("refund my order", "billing"), ("app crash", "bug"), ("password", "account")] * 3
    )
]


def compiled_pack(optimizer="bootstrap_few_shot", seed=7, lm=None):
    lm = lm or DummyLM(ANSWERS)
    step = step_spec(optimizer=optimizer, seed=seed, max_demos=2, trials=2)
    with dspy.context(lm=lm, adapter=ADAPTER):
        compiled = compile_program(program_for(step.optimize), TRAIN, metric_for(step, lm), step.optimize, lm)
        return (
            step,
            compiled.program,
            export_pack(compiled.program, ADAPTER, CONTEXT, [{"ticket": "refund x"}]),
        )


def test_compile_export_load_state_gives_the_same_program():
    # Prepare
    step, program, pack = compiled_pack()

    # Act
    loaded = program_from_pack(step.optimize, pack)

    # Assess: the same state, the same messages sent, the same pack, the same predictions.
    name = only_predictor(program)[0]
    assert loaded.dump_state()[name]["demos"] == [
        {k: v for k, v in d.items() if k in ("augmented", "ticket", "category")}
        for d in program.dump_state()[name]["demos"]
    ]
    assert export_pack(loaded, ADAPTER, CONTEXT, [{"ticket": "refund x"}]) == pack
    answers = []
    for candidate in (program, loaded):
        lm = DummyLM([{"category": "billing"}] * 3)
        with dspy.context(lm=lm, adapter=ADAPTER):
            answers.append([candidate(ticket=t).category for t in ("refund y", "crash y")])
        answers.append([call["messages"] for call in lm.history])
    assert answers[0] == answers[2] and answers[1] == answers[3]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_golden_pack_loaded_back_renders_the_golden_messages(case, fresh_dspy_settings):
    # Prepare
    golden = json.loads(Path(GOLDEN / f"{case}.json").read_text(encoding="utf-8"))
    program = CASES[case]["program"]()
    spec_name = only_predictor(program)[0]

    # Act: a fresh program of the same signature, with the golden pack's state loaded into it.
    fresh = program.deepcopy()
    only_predictor(fresh)[1].demos = []
    state = fresh.dump_state()
    state[spec_name]["demos"] = [dspy.Example(**d) for d in golden["pack"]["demos"]]
    state[spec_name]["signature"]["instructions"] = golden["pack"]["signature"]["instructions"]
    fresh.load_state(state)
    pack = export_pack(
        fresh,
        ADAPTER,
        context(case),
        golden["pack"]["golden"][0:1] and [golden["pack"]["golden"][0]["inputs"]],
    )

    # Assess
    assert pack["rendered"] == golden["pack"]["rendered"]
    signature = only_predictor(fresh)[1].signature
    for rendering in golden["renderings"]:
        assert ADAPTER.format(signature, pack["demos"], rendering["inputs"]) == rendering["messages"]


@pytest.mark.parametrize("optimizer", ["bootstrap_few_shot", "mipro_v2", "gepa"])
def test_compiling_leaves_the_global_random_state_alone(optimizer):
    # Prepare
    lm = offline_lm()
    step = step_spec(optimizer=optimizer, seed=7, max_demos=2, trials=2)
    student, metric = program_for(step.optimize), metric_for(step, lm)
    random.seed(12345)
    before = random.getstate()

    # Act
    with dspy.context(lm=lm, adapter=ADAPTER):
        compile_program(student, TRAIN, metric, step.optimize, lm)

    # Assess
    assert random.getstate() == before


@pytest.mark.parametrize("optimizer", ["bootstrap_few_shot", "mipro_v2", "gepa"])
def test_the_same_seed_twice_in_one_process_gives_the_same_pack(optimizer):
    # Act: global random state disturbed in between, which must not matter.
    first = compiled_pack(optimizer, lm=offline_lm())[2]
    random.random()
    second = compiled_pack(optimizer, lm=offline_lm())[2]

    # Assess
    assert first["version"] == second["version"] and first == second
