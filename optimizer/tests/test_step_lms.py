from elexirion_optimizer.offline_lm import offline_lm
from elexirion_optimizer.spec import EvaluatorSpec
from elexirion_optimizer.step_lms import step_lms
from factories import step_spec

JUDGES = (
    EvaluatorSpec("shared", "llm_judge", {"rubric": "is short"}),
    EvaluatorSpec("own", "llm_judge", {"rubric": "names a category", "model": "claude-opus-4-8"}),
    EvaluatorSpec("again", "llm_judge", {"rubric": "is polite", "model": "claude-opus-4-8"}),
    EvaluatorSpec("known", "regex", {"pattern": "^b"}),
)


def recording_factory():
    """An `lm_for` that builds a distinct LM per call and records the model each call asked for."""
    asked, built = [], []

    def lm_for(step, model=None):
        asked.append(model)
        built.append(offline_lm())
        return built[-1]

    return lm_for, asked, built


def test_a_step_that_names_no_model_compiles_everything_with_its_own():
    # Prepare
    lm_for, asked, _ = recording_factory()

    # Act
    lms = step_lms(step_spec(), lm_for)

    # Assess
    assert asked == [None]
    assert lms.judge is lms.task and lms.reflection is lms.task and dict(lms.judges) == {}


def test_the_named_judge_and_reflection_models_and_each_judge_model_are_built_once():
    # Prepare
    lm_for, asked, built = recording_factory()
    step = step_spec(JUDGES, judge_model="claude-haiku-4-5", reflection_model="claude-sonnet-4-6")

    # Act
    lms = step_lms(step, lm_for)

    # Assess
    assert asked == [None, "claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-8"]
    task, judge, reflection, own = built
    assert lms.task is task and lms.judge is judge and lms.reflection is reflection
    assert list(lms.judges) == ["claude-opus-4-8"] and lms.judges["claude-opus-4-8"] is own
