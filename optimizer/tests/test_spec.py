import pytest

from elexirion_optimizer.spec import SpecError, optimized_steps, step_spec

BUNDLE = {
    "pipeline": "support",
    "steps": {
        "classify": {
            "kind": "llm",
            "family": "claude",
            "model": "claude-sonnet-4-5",
            "hash": "abc123",
            "maxOutputTokens": 512,
            "prompt": [],
            "evaluators": [{"name": "known", "kind": "regex", "pattern": "^bug$", "field": "category"}],
            "optimize": {
                "signature": {
                    "instructions": "Classify.",
                    "inputs": [{"name": "ticket", "type": "str", "value": "{{inputs.ticket}}"}],
                    "outputs": [{"name": "category", "type": "str", "desc": "a category"}],
                    "chainOfThought": False,
                },
                "optimizer": "bootstrap_few_shot",
                "budget": {"maxDemos": 4, "trials": 8},
                "heldOut": 0.25,
                "minExamples": 8,
                "margin": 0.05,
                "canary": 0,
                "seed": 7,
                "labelThreshold": 1,
            },
        },
        "reply": {"kind": "llm", "family": "gemini", "model": "g", "hash": "h", "maxOutputTokens": 1},
        "vars": {"kind": "set_variable", "variables": {}},
    },
}


def test_reads_an_opted_in_step_with_its_evaluators():
    # Act
    step = step_spec(BUNDLE, "classify")

    # Assess
    assert step.family == "claude" and step.max_output_tokens == 512
    assert step.evaluators[0].kind == "regex"
    assert step.evaluators[0].settings == {"pattern": "^bug$", "field": "category"}
    assert step.optimize is not None
    assert [f.name for f in step.optimize.inputs] == ["ticket"]
    assert step.optimize.outputs[0].desc == "a category"
    assert (step.optimize.max_demos, step.optimize.trials, step.optimize.margin) == (4, 8, 0.05)
    assert step.optimize.metric is None


def test_a_step_without_optimize_has_none():
    assert step_spec(BUNDLE, "reply").optimize is None


def test_lists_only_the_llm_steps_that_opt_in():
    assert optimized_steps(BUNDLE) == ["classify"]


@pytest.mark.parametrize("step_id", ["missing", "vars"])
def test_rejects_a_step_that_is_not_an_llm_step(step_id):
    with pytest.raises(SpecError, match=step_id):
        step_spec(BUNDLE, step_id)


def test_rejects_an_unknown_optimizer():
    # Prepare
    bundle = {"steps": {"classify": {**BUNDLE["steps"]["classify"]}}}
    bundle["steps"]["classify"]["optimize"] = {
        **BUNDLE["steps"]["classify"]["optimize"],
        "optimizer": "simba",
    }

    # Act / Assess
    with pytest.raises(SpecError, match="optimizer"):
        step_spec(bundle, "classify")


def test_reads_the_judge_and_reflection_models_when_named():
    # Prepare
    raw = {**BUNDLE["steps"]["classify"]}
    raw["optimize"] = {
        **raw["optimize"],
        "reflectionModel": "claude-opus-4-8",
        "judgeModel": "claude-haiku-4-5",
    }

    # Act
    spec = step_spec({"steps": {"classify": raw}}, "classify").optimize

    # Assess
    assert (spec.reflection_model, spec.judge_model) == ("claude-opus-4-8", "claude-haiku-4-5")
    assert step_spec(BUNDLE, "classify").optimize.judge_model is None
