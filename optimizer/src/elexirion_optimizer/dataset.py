"""Scored attempts as DSPy examples, split into a train set and a held-out set."""

import hashlib
from dataclasses import dataclass
from statistics import fmean
from typing import Any

import dspy

from .spec import OptimizeSpec


@dataclass(frozen=True)
class Observation:
    """One recorded attempt of a step: its signature values and how it was scored.

    `scores` are the evaluators' scores by evaluator name; `feedback` is the mean human score given
    to the step (or to its run), when anyone gave one.
    """

    run_id: str
    attempt: int
    prompt_version: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    scores: dict[str, float]
    feedback: float | None = None

    def recorded_score(self, metric: str | None) -> float | None:
        """How the attempt did: human feedback when given (people outrank evaluators), else the score of
        the evaluator `metric` names, else the mean of its evaluator scores; None when unscored."""
        if self.feedback is not None:
            return self.feedback
        if metric is not None:
            return self.scores.get(metric)
        return fmean(self.scores.values()) if self.scores else None


@dataclass(frozen=True)
class Dataset:
    """Examples to compile from and examples to judge on, with the attempts they came from."""

    train: list[dspy.Example]
    held_out: list[dspy.Example]
    train_ids: list[str]
    held_out_ids: list[str]


def build_dataset(observations: list[Observation], spec: OptimizeSpec) -> Dataset:
    """Splits the scored observations that carry every declared input into held-out and train examples,
    by a seeded hash of their run id (so a run stays on its side as data grows). When the hash holds out
    none of two or more runs (likely with a handful of runs), the run whose hash comes nearest to the
    line is held out, since a candidate cannot be judged on nothing. Outputs become labels only for
    attempts that scored at least `label_threshold`; the train set keeps only labelled examples, since
    DSPy uses train examples as demonstrations."""
    usable = (o for o in observations if o.recorded_score(spec.metric) is not None and _complete(o, spec))
    scored = sorted(usable, key=_order)
    held_out_runs = _held_out_runs([o.run_id for o in scored], spec)
    train, held_out, train_ids, held_out_ids = [], [], [], []
    for observation in scored:
        example = _example(observation, spec)
        attempt_id = f"{observation.run_id}#{observation.attempt}"
        if observation.run_id in held_out_runs:
            held_out.append(example)
            held_out_ids.append(attempt_id)
        elif _labelled(example, spec):
            train.append(example)
            train_ids.append(attempt_id)
    return Dataset(train, held_out, train_ids, held_out_ids)


def _held_out_runs(run_ids: list[str], spec: OptimizeSpec) -> set[str]:
    """The runs whose share falls below `held_out`, or else (with `held_out` above 0 and at least two
    runs) the run with the smallest share: the first to fall below the line as data grows."""
    shares = {run_id: _share(spec.seed, run_id) for run_id in run_ids}
    chosen = {run_id for run_id, share in shares.items() if share < spec.held_out}
    if chosen or spec.held_out == 0 or len(shares) < 2:
        return chosen
    return {min(shares, key=lambda run_id: (shares[run_id], run_id))}


def _example(observation: Observation, spec: OptimizeSpec) -> dspy.Example:
    inputs = {f.name: observation.inputs[f.name] for f in spec.inputs}
    score = observation.recorded_score(spec.metric)
    good = score is not None and score >= spec.label_threshold
    labels = {
        f.name: observation.outputs[f.name] for f in spec.outputs if good and f.name in observation.outputs
    }
    return dspy.Example(**inputs, **labels).with_inputs(*inputs)


def _complete(observation: Observation, spec: OptimizeSpec) -> bool:
    return all(f.name in observation.inputs for f in spec.inputs)


def _labelled(example: dspy.Example, spec: OptimizeSpec) -> bool:
    return all(f.name in example for f in spec.outputs)


def _share(seed: int, run_id: str) -> float:
    digest = hashlib.sha256(f"{seed}:{run_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _order(observation: Observation) -> tuple[str, int]:
    return observation.run_id, observation.attempt
