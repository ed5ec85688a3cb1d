"""One run of the compile job: for each step that opts in, settle a live canary, or build the data
set, compile a candidate, judge it against the active version on held-out examples, and record it."""

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import dspy

from . import keys
from .compile import compile_program
from .dataset import Dataset, Observation, build_dataset
from .export import PackContext, canonical_json, export_pack
from .gate import Decision, confirm_canary, decide
from .metrics import Metric, metric_for
from .program import program_for, program_from_pack
from .registry import StepRegistry
from .spec import OptimizeSpec, SpecError, StepSpec, optimized_steps, step_spec
from .step_lms import LMFactory, StepLMs, step_lms
from .store import RecordStore

#: The adapter packs are rendered with. No JSON fallback: the runtime has none, so compilation must
#: not score behaviour the runtime lacks.
ADAPTER = dspy.ChatAdapter(use_json_adapter_fallback=False)

#: Held-out inputs rendered into each pack's golden samples, for the runtime's self-check.
GOLDEN_SAMPLES = 3


@dataclass(frozen=True)
class JobOptions:
    """Which steps to optimize, over how many recent runs, and the timestamp the records get."""

    pipeline: str | None
    step: str | None
    max_runs: int
    now: str


@dataclass(frozen=True)
class StepOutcome:
    """What the job did for one step. `status` is one of promoted, canary, rejected, unchanged, skipped,
    confirmed, refuted, waiting; `before` and `after` are held-out scores in [0, 1]."""

    pipeline: str
    step: str
    status: str
    reason: str
    version: str | None = None
    before: float | None = None
    after: float | None = None
    trials: int | None = None
    train: int = 0
    held_out: int = 0

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON, without absent fields."""
        return {k: v for k, v in asdict(self).items() if v is not None}


def run_job(store: RecordStore, options: JobOptions, lm_for: LMFactory) -> list[StepOutcome]:
    """Optimizes every step that opts in, of one pipeline or of every pipeline with recent runs, using
    each pipeline's newest spec bundle. `SpecError` when `options.step` does not opt in. `lm_for(step)`
    gives a step's LM, `lm_for(step, model)` the judge or reflection model its `optimize:` names."""
    runs = store.recent_runs(options.pipeline, options.max_runs)
    outcomes = []
    for pipeline in dict.fromkeys(run["pipeline"] for run in runs):
        pipeline_runs = [run for run in runs if run["pipeline"] == pipeline]
        bundle = store.get_json(pipeline_runs[0]["bundleKey"])
        step_ids = optimized_steps(bundle)
        if options.step is not None:
            if options.step not in step_ids:
                raise SpecError(f"step {options.step!r} of pipeline {pipeline!r} does not declare optimize:")
            step_ids = [options.step]
        for step_id in step_ids:
            step = step_spec(bundle, step_id)
            registry = StepRegistry(store, pipeline, step_id, options.now)
            outcomes.append(optimize_step(registry, step, pipeline_runs, step_lms(step, lm_for)))
    return outcomes


def optimize_step(
    registry: StepRegistry, step: StepSpec, runs: list[dict[str, Any]], lms: StepLMs
) -> StepOutcome:
    """Settles the step's canary when it has one; otherwise compiles, gates and records a candidate."""
    spec = _opted_in(step)
    pointer = registry.pointer()
    observations = registry.store.observations(runs, step.step_id)
    if "canary" in pointer:
        return _settle_canary(registry, spec, step, pointer, observations)
    data = build_dataset(observations, spec)
    counts = {"train": len(data.train), "held_out": len(data.held_out)}
    outcome = _outcome(registry, **counts)
    if len(data.train) < spec.min_examples or not data.held_out:
        found = f"{len(data.train)} labelled train and {len(data.held_out)} held-out examples"
        return outcome("skipped", f"{found}; need {spec.min_examples} and 1")
    candidate = _compile_candidate(registry, step, data, observations, pointer.get("active"), lms)
    version = candidate.pack["version"]
    scores = {
        "version": version,
        "before": candidate.before,
        "after": candidate.after,
        "trials": candidate.trials,
    }
    if pointer.get("active", {}).get("version") == version:
        return outcome("unchanged", "the candidate is the active version", **scores)
    status = _record_candidate(registry, spec, pointer, candidate)
    return outcome({"active": "promoted"}.get(status, status), candidate.decision.reason, **scores)


def held_out_score(program: dspy.Module, examples: list[dspy.Example], metric: Metric) -> float:
    """The program's mean metric over the examples, in [0, 1]."""
    result = dspy.Evaluate(devset=examples, metric=metric, num_threads=1, display_progress=False)(program)
    return round(result.score / 100, 6)


@dataclass(frozen=True)
class _Candidate:
    """A compiled pack, the held-out scores of it and of the active version, and the verdict."""

    pack: dict[str, Any]
    before: float
    after: float
    trials: int
    decision: Decision


def _compile_candidate(
    registry: StepRegistry,
    step: StepSpec,
    data: Dataset,
    observations: list[Observation],
    active: dict[str, Any] | None,
    lms: StepLMs,
) -> _Candidate:
    """Scores the active version, then compiles a candidate *from* it (its pack loaded back with
    `load_state`), so each run continues where the last promoted one left off; a step without an
    active version, or whose signature changed, starts from its declared prompt."""
    spec = _opted_in(step)
    lm = lms.task
    active_pack = registry.store.get_json(active["packKey"]) if active else None
    with dspy.context(lm=lm, adapter=ADAPTER):
        metric = metric_for(step, lms.judge, lms.judges)
        baseline = program_from_pack(spec, active_pack) if _fits(active_pack, spec) else program_for(spec)
        before = held_out_score(baseline, data.held_out, metric)
        compiled = compile_program(baseline, data.train, metric, spec, reflection_lm=lms.reflection)
        after = held_out_score(compiled.program, data.held_out, metric)
        sampling = {k: v for k, v in lm.kwargs.items() if k in ("temperature", "max_tokens")}
        context = PackContext(
            tenant_id=registry.tenant,
            pipeline=registry.pipeline,
            step_id=step.step_id,
            spec_hash=step.hash,
            created_at=registry.now,
            lm={"model": lm.model, **sampling},
            optimizer={
                "name": compiled.optimizer,
                "settings": compiled.settings,
                "seed": spec.seed,
                "trials": compiled.trials,
            },
            scores={
                "metric": spec.metric or "mean",
                "heldOut": {"candidate": after, "active": before, "examples": len(data.held_out)},
            },
            lineage=_lineage(data, observations, active),
        )
        golden = [dict(e.inputs()) for e in data.held_out[:GOLDEN_SAMPLES]]
        pack = export_pack(compiled.program, ADAPTER, context, golden)
    return _Candidate(
        pack, before, after, compiled.trials, decide(after, before, spec.margin, len(data.held_out))
    )


def _record_candidate(
    registry: StepRegistry, spec: OptimizeSpec, pointer: dict[str, Any], candidate: _Candidate
) -> str:
    """Stores the pack and its record, and points the step at it when it won; returns its status
    (active, canary or rejected)."""
    version = candidate.pack["version"]
    pack_key = keys.prompt_pack_key(registry.tenant, registry.pipeline, registry.step_id, version)
    registry.store.put_json(pack_key, candidate.pack)
    status = ("canary" if spec.canary > 0 else "active") if candidate.decision.promote else "rejected"
    registry.record(
        version,
        {
            "packKey": pack_key,
            "status": status,
            "reason": candidate.decision.reason,
            "heldOut": candidate.pack["scores"]["heldOut"],
            "optimizer": candidate.pack["optimizer"]["name"],
            "trials": candidate.trials,
            "createdAt": registry.now,
        },
    )
    if status == "active":
        registry.activate(pointer, {"version": version, "packKey": pack_key})
    elif status == "canary":
        canary = {"version": version, "packKey": pack_key, "share": spec.canary, "since": registry.now}
        registry.point(pointer | {"canary": canary})
    return status


def _settle_canary(
    registry: StepRegistry,
    spec: OptimizeSpec,
    step: StepSpec,
    pointer: dict[str, Any],
    observations: list[Observation],
) -> StepOutcome:
    """Compares the live scores of the canary's attempts with the active version's."""
    canary = pointer["canary"]
    active_version = pointer["active"]["version"] if "active" in pointer else f"spec:{step.hash[:12]}"
    live: dict[str, list[float]] = {canary["version"]: [], active_version: []}
    for observation in observations:
        score = observation.recorded_score(spec.metric)
        if score is not None and observation.prompt_version in live:
            live[observation.prompt_version].append(score)
    decision = confirm_canary(live[canary["version"]], live[active_version])
    outcome = _outcome(registry, version=canary["version"])
    if decision is None:
        return outcome(
            "waiting", f"canary {canary['version']} has {len(live[canary['version']])} live scores so far"
        )
    rest = {k: v for k, v in pointer.items() if k != "canary"}
    if decision.promote:
        registry.activate(rest, {"version": canary["version"], "packKey": canary["packKey"]})
    else:
        registry.point(rest)
    status = "active" if decision.promote else "rejected"
    registry.update(canary["version"], {"status": status, "reason": decision.reason})
    return outcome("confirmed" if decision.promote else "refuted", decision.reason)


def _outcome(registry: StepRegistry, **fixed: Any) -> Callable[..., StepOutcome]:
    """Builds the step's outcomes: `outcome(status, reason, **fields)`."""

    def outcome(status: str, reason: str, **fields: Any) -> StepOutcome:
        return StepOutcome(registry.pipeline, registry.step_id, status, reason, **fixed, **fields)

    return outcome


def _opted_in(step: StepSpec) -> OptimizeSpec:
    if step.optimize is None:
        raise SpecError(f"step {step.step_id!r} does not declare optimize:")
    return step.optimize


def _fits(pack: dict[str, Any] | None, spec: OptimizeSpec) -> bool:
    """Whether a stored pack has the step's current fields (a changed signature starts afresh)."""
    if pack is None:
        return False
    fields = [(f["name"], f["type"]) for f in pack["signature"]["inputs"]]
    wanted = [(f.name, f.type) for f in spec.inputs]
    outputs = [f["name"] for f in pack["signature"]["outputs"] if f["name"] != "reasoning"]
    return fields == wanted and outputs == [f.name for f in spec.outputs]


def _lineage(data: Dataset, observations: list[Observation], active: dict[str, Any] | None) -> dict[str, Any]:
    used = set(data.train_ids) | set(data.held_out_ids)
    rows = [asdict(o) for o in observations if f"{o.run_id}#{o.attempt}" in used]
    return {
        "activeVersion": active["version"] if active else None,
        "train": data.train_ids,
        "heldOut": data.held_out_ids,
        "dataHash": hashlib.sha256(canonical_json(rows).encode()).hexdigest(),
    }
