"""Compiles a step program with the optimizer its `optimize:` block selects; returns a new program."""

import contextlib
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import dspy
from dspy.teleprompt import GEPA, BootstrapFewShot, MIPROv2

from .feedback import gepa_metric
from .metrics import Metric
from .spec import OptimizeSpec


@dataclass(frozen=True)
class Compiled:
    """A compiled program, with the optimizer's name, its settings and how many candidate programs it
    scored (its trials)."""

    program: dspy.Module
    optimizer: str
    settings: dict[str, Any] = field(default_factory=dict)
    trials: int = 1


def compile_program(
    student: dspy.Module,
    trainset: list[dspy.Example],
    metric: Metric,
    spec: OptimizeSpec,
    reflection_lm: dspy.LM | None = None,
) -> Compiled:
    """Compiles `student` on `trainset` without changing it. The train set is shuffled by a local RNG
    seeded with the step's seed and the optimizers get that seed, so a run is reproducible from its
    data and seed (with a deterministic LM; a sampling LM adds its own noise) without touching the
    process's global `random` state, which other code in the process may rely on. DSPy's progress
    output goes to stderr, keeping stdout for the job's results. `reflection_lm` writes instructions:
    GEPA reflects with it, MIPROv2 proposes candidates with it (its `prompt_model`); None: the current
    LM. `bootstrap_few_shot` writes none and ignores it."""
    shuffled = list(trainset)
    random.Random(spec.seed).shuffle(shuffled)
    with contextlib.redirect_stdout(sys.stderr), _global_random_kept():
        return _OPTIMIZERS[spec.optimizer](student, shuffled, metric, spec, reflection_lm)


@contextlib.contextmanager
def _global_random_kept() -> Iterator[None]:
    """Puts the global `random` state back afterwards. The optimizers draw only from their own seeded
    RNGs, but every `dspy.Predict` they create takes an (unused) `stage` id from the global RNG, which
    would otherwise make compiling shift the random numbers of everything else in the process."""
    state = random.getstate()
    try:
        yield
    finally:
        random.setstate(state)


def _bootstrap_few_shot(
    student: dspy.Module, trainset: list[dspy.Example], metric: Metric, spec: OptimizeSpec, _: Any
) -> Compiled:
    # Demos come from traces that pass the metric, topped up with labelled examples, max_demos in all.
    settings = {
        "max_bootstrapped_demos": spec.max_demos,
        "max_labeled_demos": spec.max_demos,
        "max_rounds": 1,
    }
    optimizer = BootstrapFewShot(metric=metric, metric_threshold=spec.label_threshold, **settings)
    return Compiled(optimizer.compile(student, trainset=trainset), "bootstrap_few_shot", settings, trials=1)


def _mipro_v2(
    student: dspy.Module, trainset: list[dspy.Example], metric: Metric, spec: OptimizeSpec, reflection_lm: Any
) -> Compiled:
    # auto=None so `trials` is the budget; MIPROv2 replaces seed 0 with 9 (stanfordnlp/dspy#10321).
    # Its proposer writes the instruction candidates with the reflection model when the step names one.
    settings = {
        "max_bootstrapped_demos": spec.max_demos,
        "max_labeled_demos": spec.max_demos,
        "num_candidates": max(2, spec.trials // 2),
        "seed": spec.seed or 9,
    }
    optimizer = MIPROv2(
        metric=metric,
        prompt_model=reflection_lm,
        auto=None,
        num_threads=1,
        metric_threshold=spec.label_threshold,
        verbose=False,
        **settings,
    )
    program = optimizer.compile(student, trainset=trainset, num_trials=spec.trials, minibatch=False)
    return Compiled(program, "mipro_v2", {**settings, "num_trials": spec.trials}, trials=spec.trials)


def _gepa(
    student: dspy.Module, trainset: list[dspy.Example], metric: Metric, spec: OptimizeSpec, reflection_lm: Any
) -> Compiled:
    # GEPA tunes instructions only; its budget is metric calls, `trials` full passes over the train set.
    # It reflects on the evaluators' feedback, with the reflection model when the step names one.
    settings = {"max_metric_calls": spec.trials * max(1, len(trainset)), "seed": spec.seed}
    optimizer = GEPA(
        metric=gepa_metric(metric),
        reflection_lm=reflection_lm or dspy.settings.lm,
        num_threads=1,
        track_stats=True,
        **settings,
    )
    program = optimizer.compile(student, trainset=trainset)
    trials = len(program.detailed_results.candidates) if hasattr(program, "detailed_results") else spec.trials
    return Compiled(program, "gepa", settings, trials=trials)


_OPTIMIZERS: dict[str, Callable[..., Compiled]] = {
    "bootstrap_few_shot": _bootstrap_few_shot,
    "mipro_v2": _mipro_v2,
    "gepa": _gepa,
}
