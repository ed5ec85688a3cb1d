import dspy
import pytest
from dspy.utils.dummies import DummyLM

from elexirion_optimizer import metrics
from elexirion_optimizer.spec import EvaluatorSpec, FieldSpec
from factories import optimize_spec, step_spec

SPEC = optimize_spec()
TWO_OUTPUTS = optimize_spec(outputs=(FieldSpec("category"), FieldSpec("urgency", "float")))


def evaluator(kind, **settings):
    return EvaluatorSpec(kind, kind, settings)


def test_output_schema_validates_the_outputs():
    # Prepare
    schema = {
        "type": "object",
        "properties": {"urgency": {"type": "number", "maximum": 1}},
        "required": ["urgency"],
    }
    metric = metrics.output_schema(evaluator("output_schema", schema=schema), TWO_OUTPUTS)

    # Act / Assess
    assert metric(None, dspy.Prediction(category="bug", urgency=0.5)) == 1.0
    assert metric(None, dspy.Prediction(category="bug", urgency=3.0)) == 0.0


@pytest.mark.parametrize(
    ("settings", "answer", "expected"),
    [
        ({"value": "bill"}, "billing", 1.0),
        ({"value": "BILL"}, "billing", 0.0),
        ({"value": "BILL", "ignoreCase": True}, "billing", 1.0),
    ],
)
def test_contains_checks_the_answer_text(settings, answer, expected):
    metric = metrics.contains(evaluator("contains", **settings), SPEC)

    assert metric(None, dspy.Prediction(category=answer)) == expected


def test_regex_checks_a_named_field_and_several_outputs_as_compact_json():
    # Prepare
    on_field = metrics.regex(evaluator("regex", pattern="^bug$", field="category"), TWO_OUTPUTS)
    on_answer = metrics.regex(evaluator("regex", pattern='"urgency":0.5'), TWO_OUTPUTS)
    pred = dspy.Prediction(category="bug", urgency=0.5)

    # Act / Assess
    assert on_field(None, pred) == 1.0
    assert on_answer(None, pred) == 1.0
    assert metrics.answer_text(pred, TWO_OUTPUTS) == '{"category":"bug","urgency":0.5}'


def test_json_path_equals_compares_the_value_at_the_path():
    # Prepare
    spec = optimize_spec(outputs=(FieldSpec("plan", "dict"),))
    metric = metrics.json_path_equals(
        evaluator("json_path_equals", path="$.plan.steps[1]", equals="test"), spec
    )

    # Act / Assess
    assert metric(None, dspy.Prediction(plan={"steps": ["code", "test"]})) == 1.0
    assert metric(None, dspy.Prediction(plan={"steps": ["code"]})) == 0.0


def test_step_succeeded_scores_agreement_with_the_labels():
    # Prepare
    metric = metrics.step_succeeded(evaluator("step_succeeded", step="test"), SPEC)
    gold = dspy.Example(ticket="t", category="Bug ").with_inputs("ticket")
    unlabelled = dspy.Example(ticket="t").with_inputs("ticket")

    # Act / Assess
    assert metric(gold, dspy.Prediction(category="bug")) == 1.0
    assert metric(gold, dspy.Prediction(category="billing")) == 0.0
    assert metric(unlabelled, dspy.Prediction(category="bug")) == 0.0


def test_llm_judge_asks_the_judge_and_clamps_its_score():
    # Prepare
    lm = DummyLM([{"score": "0.75"}, {"score": "7"}, {"score": "not a number"}])
    metric = metrics.llm_judge(evaluator("llm_judge", rubric="names a category"), SPEC, lm)
    example = dspy.Example(ticket="refund").with_inputs("ticket")

    # Act
    with dspy.context(adapter=dspy.ChatAdapter(use_json_adapter_fallback=False)):
        scores = [metric(example, dspy.Prediction(category="billing")) for _ in range(3)]

    # Assess
    assert scores == [0.75, 1.0, 0.0]
    assert "names a category" in lm.history[0]["messages"][-1]["content"]


def test_the_step_metric_is_the_named_evaluator_or_the_mean():
    # Prepare
    evaluators = (
        EvaluatorSpec("known", "regex", {"pattern": "^(bug|billing)$", "field": "category"}),
        EvaluatorSpec("is_bug", "contains", {"value": "bug"}),
    )
    pred = dspy.Prediction(category="billing")

    # Act
    mean = metrics.metric_for(step_spec(evaluators), None)
    named = metrics.metric_for(step_spec(evaluators, metric="is_bug"), None)

    # Assess
    assert mean(None, pred) == 0.5
    assert named(None, pred) == 0.0


def test_a_judge_naming_its_own_model_grades_with_it_and_the_others_with_the_judge_lm():
    # Prepare: the shared judge gives 0.2, the one with its own model 1.0.
    evaluators = (
        EvaluatorSpec("shared", "llm_judge", {"rubric": "is short"}),
        EvaluatorSpec("own", "llm_judge", {"rubric": "names a category", "model": "claude-opus-4-8"}),
    )
    shared, own = DummyLM([{"score": "0.2"}]), DummyLM([{"score": "1.0"}])
    example = dspy.Example(ticket="refund").with_inputs("ticket")

    # Act
    with dspy.context(adapter=dspy.ChatAdapter(use_json_adapter_fallback=False)):
        metric = metrics.metric_for(step_spec(evaluators), shared, {"claude-opus-4-8": own})
        score = metric(example, dspy.Prediction(category="billing"))

    # Assess
    assert score == pytest.approx(0.6)
    assert ["is short" in call["messages"][-1]["content"] for call in shared.history] == [True]
    assert ["names a category" in call["messages"][-1]["content"] for call in own.history] == [True]


def test_value_at_path_reports_a_missing_value():
    assert metrics.value_at_path({"a": [1]}, "$.a[0]") == (True, 1)
    assert metrics.value_at_path({"a": [1]}, "$.b") == (False, None)
