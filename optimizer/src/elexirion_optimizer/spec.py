"""The part of a compiled step spec the optimizer reads, as the TypeScript compiler writes it.

The spec bundle (`pipelines/contract/spec-bundle.ts`, `LlmStepSpec`) carries each LLM step's
`evaluators` and, for a step that opts in, its `optimize` block with every default already applied;
this module parses that JSON into frozen dataclasses and rejects anything it does not know.
"""

from dataclasses import dataclass
from typing import Any

#: The signature field types a pipeline may declare, by the name DSPy renders them with.
FIELD_TYPES = ("str", "int", "float", "bool", "list[str]", "dict")

#: The optimizers a step may select.
OPTIMIZERS = ("bootstrap_few_shot", "mipro_v2", "gepa")

#: The evaluator kinds, one metric each in `metrics.py`.
EVALUATOR_KINDS = ("output_schema", "contains", "regex", "json_path_equals", "llm_judge", "step_succeeded")


class SpecError(ValueError):
    """A step spec the optimizer cannot use (a bundle from another version, or a bug)."""


@dataclass(frozen=True)
class FieldSpec:
    """One field of a step's signature."""

    name: str
    type: str = "str"
    desc: str | None = None


@dataclass(frozen=True)
class EvaluatorSpec:
    """One evaluator of a step: its unique name, its kind, and the kind's settings."""

    name: str
    kind: str
    settings: dict[str, Any]


@dataclass(frozen=True)
class OptimizeSpec:
    """A step's `optimize:` block, defaults applied."""

    inputs: tuple[FieldSpec, ...]
    outputs: tuple[FieldSpec, ...]
    instructions: str | None
    chain_of_thought: bool
    metric: str | None
    optimizer: str
    max_demos: int
    trials: int
    held_out: float
    min_examples: int
    margin: float
    canary: float
    seed: int
    label_threshold: float
    #: GEPA's reflection model and the LLM judge's model while compiling, of the step's provider;
    #: None: the step's own model.
    reflection_model: str | None = None
    judge_model: str | None = None


@dataclass(frozen=True)
class StepSpec:
    """What the optimizer needs to know about one LLM step."""

    step_id: str
    family: str
    model: str
    hash: str
    max_output_tokens: int
    temperature: float | None
    output_schema: dict[str, Any] | None
    evaluators: tuple[EvaluatorSpec, ...]
    optimize: OptimizeSpec | None


def step_spec(bundle: dict[str, Any], step_id: str) -> StepSpec:
    """The spec of `step_id` in a spec bundle; `SpecError` when it is missing or not an LLM step."""
    raw = bundle.get("steps", {}).get(step_id)
    if not isinstance(raw, dict) or raw.get("kind") != "llm":
        raise SpecError(f"bundle of pipeline {bundle.get('pipeline')!r} has no LLM step {step_id!r}")
    return StepSpec(
        step_id=step_id,
        family=_one_of(raw, "family", ("claude", "gemini")),
        model=_require(raw, "model", str),
        hash=_require(raw, "hash", str),
        max_output_tokens=_require(raw, "maxOutputTokens", int),
        temperature=raw.get("temperature"),
        output_schema=raw.get("outputSchema"),
        evaluators=tuple(_evaluator(e) for e in raw.get("evaluators", [])),
        optimize=_optimize(raw["optimize"]) if "optimize" in raw else None,
    )


def optimized_steps(bundle: dict[str, Any]) -> list[str]:
    """The ids of a bundle's LLM steps that declare `optimize:`, in bundle order."""
    return [sid for sid, s in bundle.get("steps", {}).items() if s.get("kind") == "llm" and "optimize" in s]


def _evaluator(raw: dict[str, Any]) -> EvaluatorSpec:
    settings = {k: v for k, v in raw.items() if k not in ("name", "kind")}
    return EvaluatorSpec(
        name=_require(raw, "name", str), kind=_one_of(raw, "kind", EVALUATOR_KINDS), settings=settings
    )


def _optimize(raw: dict[str, Any]) -> OptimizeSpec:
    signature = _require(raw, "signature", dict)
    budget = _require(raw, "budget", dict)
    return OptimizeSpec(
        inputs=tuple(_field(f) for f in _require(signature, "inputs", list)),
        outputs=tuple(_field(f) for f in _require(signature, "outputs", list)),
        instructions=signature.get("instructions"),
        chain_of_thought=bool(signature.get("chainOfThought", False)),
        metric=raw.get("metric"),
        optimizer=_one_of(raw, "optimizer", OPTIMIZERS),
        max_demos=_require(budget, "maxDemos", int),
        trials=_require(budget, "trials", int),
        held_out=float(_require(raw, "heldOut", (int, float))),
        min_examples=_require(raw, "minExamples", int),
        margin=float(_require(raw, "margin", (int, float))),
        canary=float(_require(raw, "canary", (int, float))),
        seed=_require(raw, "seed", int),
        label_threshold=float(_require(raw, "labelThreshold", (int, float))),
        reflection_model=_optional(raw, "reflectionModel", str),
        judge_model=_optional(raw, "judgeModel", str),
    )


def _field(raw: dict[str, Any]) -> FieldSpec:
    return FieldSpec(
        name=_require(raw, "name", str), type=_one_of(raw, "type", FIELD_TYPES), desc=raw.get("desc")
    )


def _require(raw: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = raw.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise SpecError(f"spec field {key!r} is missing or of the wrong type: {value!r}")
    return value


def _optional(raw: dict[str, Any], key: str, kind: type) -> Any:
    return None if raw.get(key) is None else _require(raw, key, kind)


def _one_of(raw: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = raw.get(key)
    if value not in allowed:
        raise SpecError(f"spec field {key!r} is {value!r}, expected one of {', '.join(allowed)}")
    return value
