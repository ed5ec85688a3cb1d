"""One plain DSPy metric per evaluator kind, `metric(example, pred, trace=None) -> float` in [0, 1].

The same evaluators score live attempts in the step runner (`functions/evaluators/`); here they
score predictions during compilation and on the held-out set. Each metric reads what the evaluator
names: an output field (`field`), or the answer as a whole — the single output's value, or the outputs
as compact JSON when there are several.

Every metric is also an `EvaluatorMetric`, whose `verdict()` says in words why it scored what it did
(which check failed, the schema error, the judge's rationale): GEPA reflects on that text
(`feedback.py`), while every other optimizer and the held-out gate only ever see the float.
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from statistics import fmean
from typing import Any

import dspy
import jsonschema

from .spec import EvaluatorSpec, OptimizeSpec, StepSpec

#: A DSPy metric.
Metric = Callable[..., float]


@dataclass(frozen=True)
class Verdict:
    """A score in [0, 1] and the reason for it, as a sentence a reflection LM can act on."""

    score: float
    feedback: str


#: How an evaluator judges one prediction: `check(example, pred) -> (score, why)`.
Check = Callable[[Any, Any], tuple[float, str]]


class EvaluatorMetric:
    """A DSPy metric returning a float, which can also explain itself: `verdict(example, pred)`.

    A class rather than a closure so the float path stays what DSPy expects while GEPA can ask the
    same evaluator for text; `explain` may differ from `check` (the judge reasons aloud only there).
    """

    def __init__(self, name: str, check: Check, explain: Check | None = None):
        """`name` heads each verdict (empty for a combination whose parts name themselves)."""
        self.name = name
        self._check = check
        self._explain = explain or check

    def __call__(self, example: Any, pred: Any, trace: Any = None) -> float:
        return self._check(example, pred)[0]

    def verdict(self, example: Any, pred: Any) -> Verdict:
        """The score with a sentence naming this evaluator and why it passed or failed."""
        score, why = self._explain(example, pred)
        if not self.name:
            return Verdict(score, why)
        status = "passed" if score >= 1.0 else "failed" if score <= 0.0 else f"scored {score:g}"
        return Verdict(score, f"{self.name}: {status}" + (f" — {why}" if why else ""))


class JudgeSignature(dspy.Signature):
    """Grade how well the answer meets the rubric, given the task it answers."""

    rubric: str = dspy.InputField()
    task: str = dspy.InputField(desc="the inputs the answer was given")
    answer: str = dspy.InputField()
    score: float = dspy.OutputField(desc="from 0.0 (fails the rubric) to 1.0 (fully meets it)")


def outputs_of(pred: Any, spec: OptimizeSpec) -> dict[str, Any]:
    """The declared output fields of a prediction (or labelled example) that it has."""
    return {f.name: pred[f.name] for f in spec.outputs if f.name in pred}


def answer_text(pred: Any, spec: OptimizeSpec) -> str:
    """The answer as one text: the single output's value, else the outputs as compact JSON."""
    outputs = outputs_of(pred, spec)
    if len(spec.outputs) == 1:
        value = outputs.get(spec.outputs[0].name, "")
        return value if isinstance(value, str) else compact_json(value)
    return compact_json(outputs)


def compact_json(value: Any) -> str:
    """JSON without spaces, as JavaScript's `JSON.stringify` writes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def output_schema(evaluator: EvaluatorSpec, spec: OptimizeSpec) -> Metric:
    """1 when the outputs validate against the evaluator's JSON Schema."""
    schema = evaluator.settings["schema"]

    def check(example: Any, pred: Any) -> tuple[float, str]:
        try:
            jsonschema.validate(outputs_of(pred, spec), schema)
        except jsonschema.ValidationError as error:
            where = "".join(f"[{p!r}]" for p in error.absolute_path) or "the outputs"
            return 0.0, f"the outputs do not match the JSON Schema at {where}: {error.message}"
        return 1.0, "the outputs match the JSON Schema"

    return EvaluatorMetric(evaluator.name, check)


def contains(evaluator: EvaluatorSpec, spec: OptimizeSpec) -> Metric:
    """1 when the checked text contains the value (optionally ignoring case, as JavaScript lower-cases)."""
    value, ignore_case = evaluator.settings["value"], evaluator.settings.get("ignoreCase", False)

    def check(example: Any, pred: Any) -> tuple[float, str]:
        text = _checked_text(pred, spec, evaluator)
        found = value.lower() in text.lower() if ignore_case else value in text
        case = " (ignoring case)" if ignore_case else ""
        return float(found), f"{_checked_name(evaluator)} {_verb(found, 'contain')} {value!r}{case}"

    return EvaluatorMetric(evaluator.name, check)


def regex(evaluator: EvaluatorSpec, spec: OptimizeSpec) -> Metric:
    """1 when the pattern matches somewhere in the checked text (JavaScript and Python agree on the
    subset the pipeline schema accepts)."""
    pattern = re.compile(evaluator.settings["pattern"])

    def check(example: Any, pred: Any) -> tuple[float, str]:
        text = _checked_text(pred, spec, evaluator)
        found = pattern.search(text) is not None
        return float(
            found
        ), f"{_checked_name(evaluator)} {text!r} {_verb(found, 'match')} /{pattern.pattern}/"

    return EvaluatorMetric(evaluator.name, check)


def json_path_equals(evaluator: EvaluatorSpec, spec: OptimizeSpec) -> Metric:
    """1 when the value at the JSON path of the outputs equals the expected value."""
    path, expected = evaluator.settings["path"], evaluator.settings["equals"]

    def check(example: Any, pred: Any) -> tuple[float, str]:
        found, value = value_at_path(outputs_of(pred, spec), path)
        if not found:
            return 0.0, f"the outputs have no value at {path}; expected {compact_json(expected)}"
        equal = value == expected
        return float(
            equal
        ), f"the value at {path} is {compact_json(value)}, expected {compact_json(expected)}"

    return EvaluatorMetric(evaluator.name, check)


def llm_judge(evaluator: EvaluatorSpec, spec: OptimizeSpec, lm: dspy.LM) -> Metric:
    """The judge LM's grade of the answer against the rubric, clamped to [0, 1]; 0 when the judge's
    reply does not parse. The score is asked for exactly as the runtime's judge pack asks; only a
    verdict (for GEPA) lets the judge reason first, since the rationale is the feedback."""
    rubric = evaluator.settings["rubric"]

    def grade(judge: dspy.Module) -> Check:
        def check(example: Any, pred: Any) -> tuple[float, str]:
            task = json.dumps(
                {f.name: example[f.name] for f in spec.inputs if f.name in example}, ensure_ascii=False
            )
            try:
                with dspy.context(lm=lm):
                    graded = judge(rubric=rubric, task=task, answer=answer_text(pred, spec))
                score = min(1.0, max(0.0, float(graded.score)))
            except (ValueError, dspy.utils.exceptions.AdapterParseError):
                return 0.0, f"the judge's reply did not parse (rubric: {rubric})"
            rationale = graded.get("reasoning")
            return score, f"the judge, against the rubric {rubric!r}, said: {rationale}" if rationale else ""

        return check

    return EvaluatorMetric(
        evaluator.name, grade(dspy.Predict(JudgeSignature)), grade(dspy.ChainOfThought(JudgeSignature))
    )


def step_succeeded(evaluator: EvaluatorSpec, spec: OptimizeSpec) -> Metric:
    """A later step's success cannot be replayed offline, so this scores agreement with the labels:
    the outputs of recorded attempts whose later step succeeded. An example without labels scores 0
    for every program, which leaves comparisons between programs unchanged."""

    def check(example: Any, pred: Any) -> tuple[float, str]:
        labels = outputs_of(example, spec)
        if len(labels) != len(spec.outputs):
            return 0.0, "the example has no labelled answer to agree with"
        wrong = [
            f"{name} should be {label!r}, not {pred.get(name)!r}"
            for name, label in labels.items()
            if not _same(pred.get(name), label)
        ]
        return (0.0, "; ".join(wrong)) if wrong else (1.0, "the outputs agree with the labelled answer")

    return EvaluatorMetric(evaluator.name, check)


def metric_for(step: StepSpec, judge_lm: dspy.LM, judges: Mapping[str, dspy.LM] | None = None) -> Metric:
    """The step's metric: the evaluator `optimize.metric` names, else the mean of every evaluator.
    An `llm_judge` that names its own model grades with `judges[model]`; every other one with
    `judge_lm` (the step's `optimize.judge_model`, else the step's own model)."""
    spec = step.optimize
    if spec is None:
        raise ValueError(f"step {step.step_id!r} does not opt in to optimization")
    named = judges or {}
    metrics = {
        e.name: _metric(e, spec, named.get(e.settings.get("model", ""), judge_lm)) for e in step.evaluators
    }
    if not metrics:
        raise ValueError(f"step {step.step_id!r} declares no evaluator to optimize against")
    if spec.metric is not None:
        return metrics[spec.metric]
    chosen = list(metrics.values())

    def mean(example: Any, pred: Any) -> tuple[float, str]:
        return fmean(m(example, pred) for m in chosen), ""

    def explained(example: Any, pred: Any) -> tuple[float, str]:
        verdicts = [m.verdict(example, pred) for m in chosen]
        return fmean(v.score for v in verdicts), "\n".join(v.feedback for v in verdicts)

    return EvaluatorMetric("", mean, explained)


def value_at_path(value: Any, path: str) -> tuple[bool, Any]:
    """The value at a JSON path of the form `$.a.b[0]`; `(False, None)` when there is none."""
    for name, index in re.findall(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]", path):
        if name and isinstance(value, dict) and name in value:
            value = value[name]
        elif index and isinstance(value, list) and int(index) < len(value):
            value = value[int(index)]
        else:
            return False, None
    return True, value


def _metric(evaluator: EvaluatorSpec, spec: OptimizeSpec, judge_lm: dspy.LM) -> Metric:
    if evaluator.kind == "llm_judge":
        return llm_judge(evaluator, spec, judge_lm)
    return _WITHOUT_LM[evaluator.kind](evaluator, spec)


_WITHOUT_LM: dict[str, Callable[[EvaluatorSpec, OptimizeSpec], Metric]] = {
    "output_schema": output_schema,
    "contains": contains,
    "regex": regex,
    "json_path_equals": json_path_equals,
    "step_succeeded": step_succeeded,
}


def _checked_text(pred: Any, spec: OptimizeSpec, evaluator: EvaluatorSpec) -> str:
    field = evaluator.settings.get("field")
    if field is None:
        return answer_text(pred, spec)
    value = pred.get(field)
    if value is None:
        return ""
    return value if isinstance(value, str) else compact_json(value)


def _checked_name(evaluator: EvaluatorSpec) -> str:
    field = evaluator.settings.get("field")
    return f"field {field!r}" if field else "the answer"


def _verb(ok: bool, verb: str) -> str:
    return f"does {verb}" if ok else f"does not {verb}"


def _same(value: Any, label: Any) -> bool:
    if isinstance(value, str) and isinstance(label, str):
        return value.strip().casefold() == label.strip().casefold()
    return value == label
