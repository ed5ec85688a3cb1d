"""One plain DSPy metric per evaluator kind, `metric(example, pred, trace=None) -> float` in [0, 1].

The same evaluators score live attempts in the step runner (`functions/core/evaluators/`); here they
score predictions during compilation and on the held-out set. Each metric reads what the evaluator
names: an output field (`field`), or the answer as a whole — the single output's value, or the outputs
as compact JSON when there are several.
"""

import json
import re
from collections.abc import Callable
from statistics import fmean
from typing import Any

import dspy
import jsonschema

from .spec import EvaluatorSpec, OptimizeSpec, StepSpec

#: A DSPy metric.
Metric = Callable[..., float]


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

    def metric(example: Any, pred: Any, trace: Any = None) -> float:
        try:
            jsonschema.validate(outputs_of(pred, spec), schema)
        except jsonschema.ValidationError:
            return 0.0
        return 1.0

    return metric


def contains(evaluator: EvaluatorSpec, spec: OptimizeSpec) -> Metric:
    """1 when the checked text contains the value (optionally ignoring case, as JavaScript lower-cases)."""
    value, ignore_case = evaluator.settings["value"], evaluator.settings.get("ignoreCase", False)

    def metric(example: Any, pred: Any, trace: Any = None) -> float:
        text = _checked_text(pred, spec, evaluator)
        return float(value.lower() in text.lower() if ignore_case else value in text)

    return metric


def regex(evaluator: EvaluatorSpec, spec: OptimizeSpec) -> Metric:
    """1 when the pattern matches somewhere in the checked text (JavaScript and Python agree on the
    subset the pipeline schema accepts)."""
    pattern = re.compile(evaluator.settings["pattern"])

    def metric(example: Any, pred: Any, trace: Any = None) -> float:
        return float(pattern.search(_checked_text(pred, spec, evaluator)) is not None)

    return metric


def json_path_equals(evaluator: EvaluatorSpec, spec: OptimizeSpec) -> Metric:
    """1 when the value at the JSON path of the outputs equals the expected value."""
    path, expected = evaluator.settings["path"], evaluator.settings["equals"]

    def metric(example: Any, pred: Any, trace: Any = None) -> float:
        found, value = value_at_path(outputs_of(pred, spec), path)
        return float(found and value == expected)

    return metric


def llm_judge(evaluator: EvaluatorSpec, spec: OptimizeSpec, lm: dspy.LM) -> Metric:
    """The judge LM's grade of the answer against the rubric, clamped to [0, 1]; 0 when the judge's
    reply does not parse."""
    judge = dspy.Predict(JudgeSignature)
    rubric = evaluator.settings["rubric"]

    def metric(example: Any, pred: Any, trace: Any = None) -> float:
        task = json.dumps(
            {f.name: example[f.name] for f in spec.inputs if f.name in example}, ensure_ascii=False
        )
        try:
            with dspy.context(lm=lm):
                score = judge(rubric=rubric, task=task, answer=answer_text(pred, spec)).score
        except (ValueError, dspy.utils.exceptions.AdapterParseError):
            return 0.0
        return min(1.0, max(0.0, float(score)))

    return metric


def step_succeeded(evaluator: EvaluatorSpec, spec: OptimizeSpec) -> Metric:
    """A later step's success cannot be replayed offline, so this scores agreement with the labels:
    the outputs of recorded attempts whose later step succeeded. An example without labels scores 0
    for every program, which leaves comparisons between programs unchanged."""

    def metric(example: Any, pred: Any, trace: Any = None) -> float:
        labels = outputs_of(example, spec)
        if len(labels) != len(spec.outputs):
            return 0.0
        return float(all(_same(pred.get(name), label) for name, label in labels.items()))

    return metric


def metric_for(step: StepSpec, judge_lm: dspy.LM) -> Metric:
    """The step's metric: the evaluator `optimize.metric` names, else the mean of every evaluator."""
    spec = step.optimize
    if spec is None:
        raise ValueError(f"step {step.step_id!r} does not opt in to optimization")
    metrics = {e.name: _metric(e, spec, judge_lm) for e in step.evaluators}
    if not metrics:
        raise ValueError(f"step {step.step_id!r} declares no evaluator to optimize against")
    if spec.metric is not None:
        return metrics[spec.metric]
    chosen = list(metrics.values())

    def mean(example: Any, pred: Any, trace: Any = None) -> float:
        return fmean(m(example, pred, trace) for m in chosen)

    return mean


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


def _same(value: Any, label: Any) -> bool:
    if isinstance(value, str) and isinstance(label, str):
        return value.strip().casefold() == label.strip().casefold()
    return value == label
