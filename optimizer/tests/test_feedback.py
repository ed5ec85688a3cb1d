"""GEPA gets the evaluators' reasons as text; every other optimizer keeps a float."""

import dspy
import pytest
from dspy.utils.dummies import DummyLM

from elexirion_optimizer import compile as compile_module
from elexirion_optimizer import metrics
from elexirion_optimizer.compile import compile_program
from elexirion_optimizer.feedback import gepa_metric
from elexirion_optimizer.metrics import metric_for
from elexirion_optimizer.offline_lm import offline_lm
from elexirion_optimizer.program import program_for
from elexirion_optimizer.spec import EvaluatorSpec, FieldSpec
from factories import optimize_spec, step_spec

ADAPTER = dspy.ChatAdapter(use_json_adapter_fallback=False)
KNOWN = EvaluatorSpec("known", "regex", {"pattern": "^(billing|bug|account)$", "field": "category"})
BILLING = EvaluatorSpec("says_billing", "contains", {"value": "billing"})
TRAIN = [
    dspy.Example(ticket=f"{t} #{i}", category=c).with_inputs("ticket")
    for i, (t, c) in enumerate([("refund my order", "billing"), ("app crash", "bug")] * 2)
]


def test_a_verdict_names_the_failed_check_and_why():
    # Prepare
    step = step_spec(evaluators=(KNOWN, BILLING))
    metric = metric_for(step, DummyLM([]))

    # Act
    verdict = metric.verdict(TRAIN[0], dspy.Prediction(category="refunds"))

    # Assess
    assert verdict.score == 0.0
    assert (
        "known: failed — field 'category' 'refunds' does not match /^(billing|bug|account)$/"
        in verdict.feedback
    )
    assert "says_billing: failed — the answer does not contain 'billing'" in verdict.feedback


def test_schema_errors_and_label_disagreements_are_spelled_out():
    # Prepare
    spec = optimize_spec(outputs=(FieldSpec("category"), FieldSpec("urgency", "float")))
    schema = {"type": "object", "properties": {"urgency": {"type": "number", "maximum": 1}}}
    on_schema = metrics.output_schema(EvaluatorSpec("shape", "output_schema", {"schema": schema}), spec)
    on_labels = metrics.step_succeeded(EvaluatorSpec("tests", "step_succeeded", {"step": "t"}), spec)
    gold = dspy.Example(ticket="t", category="bug", urgency=0.5).with_inputs("ticket")
    pred = dspy.Prediction(category="billing", urgency=3.0)

    # Act / Assess
    assert on_schema.verdict(gold, pred).feedback == (
        "shape: failed — the outputs do not match the JSON Schema at ['urgency']: "
        "3.0 is greater than the maximum of 1"
    )
    assert on_labels.verdict(gold, pred).feedback == (
        "tests: failed — category should be 'bug', not 'billing'; urgency should be 0.5, not 3.0"
    )


def test_the_judges_verdict_carries_its_rationale_and_its_metric_stays_a_float():
    # Prepare
    lm = DummyLM([{"score": "0.5"}, {"reasoning": "It names no category.", "score": "0.25"}])
    judge = metrics.llm_judge(
        EvaluatorSpec("judge", "llm_judge", {"rubric": "names a category"}), optimize_spec(), lm
    )
    example = dspy.Example(ticket="refund").with_inputs("ticket")

    # Act
    with dspy.context(adapter=ADAPTER):
        score = judge(example, dspy.Prediction(category="hmm"))
        verdict = judge.verdict(example, dspy.Prediction(category="hmm"))

    # Assess
    assert score == 0.5 and type(score) is float
    assert verdict.score == 0.25
    assert verdict.feedback == (
        "judge: scored 0.25 — the judge, against the rubric 'names a category', said: It names no category."
    )


def test_gepa_metric_returns_a_prediction_with_feedback():
    # Prepare
    metric = gepa_metric(metric_for(step_spec(), DummyLM([])))

    # Act
    result = metric(TRAIN[0], dspy.Prediction(category="nope"), None, "step", [])

    # Assess
    assert isinstance(result, dspy.Prediction)
    assert result.score == 0.0 and result.feedback.startswith("known: failed")


def spy_on(monkeypatch, name):
    """Replaces the optimizer class `name` in compile.py by one recording what its metric returns."""
    returned = []
    original = getattr(compile_module, name)

    class Spy(original):
        def __init__(self, metric, **kwargs):
            def recorded(*args, **kw):
                returned.append(metric(*args, **kw))
                return returned[-1]

            super().__init__(metric=recorded, **kwargs)

    monkeypatch.setattr(compile_module, name, Spy)
    return returned


def test_gepa_reflects_on_feedback_naming_the_failed_check(monkeypatch):
    # Prepare: the task LM answers one ticket wrongly, so the regex check fails on it.
    returned = spy_on(monkeypatch, "GEPA")
    task = DummyLM({"refund": {"category": "billing"}, "crash": {"category": "crashes"}})
    reflection = DummyLM([{"new_instruction": "Answer billing, bug or account."}] * 20)
    step = step_spec(optimizer="gepa", trials=2)

    # Act
    with dspy.context(lm=task, adapter=ADAPTER):
        compile_program(program_for(step.optimize), TRAIN, metric_for(step, task), step.optimize, reflection)

    # Assess
    feedback = [r.feedback for r in returned if isinstance(r, dspy.Prediction)]
    assert len(feedback) == len(returned) > 0
    assert "known: failed — field 'category' 'crashes' does not match /^(billing|bug|account)$/" in feedback
    assert any(
        "crashes" in m["content"] and "known: failed" in m["content"]
        for call in reflection.history
        for m in call["messages"]
    )


@pytest.mark.parametrize("optimizer", ["bootstrap_few_shot", "mipro_v2"])
def test_other_optimizers_get_a_float(monkeypatch, optimizer):
    # Prepare
    returned = spy_on(
        monkeypatch, {"bootstrap_few_shot": "BootstrapFewShot", "mipro_v2": "MIPROv2"}[optimizer]
    )
    lm = offline_lm()
    step = step_spec(optimizer=optimizer, trials=2, max_demos=1)

    # Act
    with dspy.context(lm=lm, adapter=ADAPTER):
        compile_program(program_for(step.optimize), TRAIN, metric_for(step, lm), step.optimize, lm)

    # Assess
    assert returned and all(type(r) is float for r in returned)
