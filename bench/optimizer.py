"""Optimizer benchmark: held-out accuracy of a step before and after the compile job's optimizer.

THE LM IS SIMULATED. The task is synthetic: route a support ticket to one of four queues. Each
ticket names one of eight product areas (two per queue) among random filler words. The simulated LM
(the optimizer's offline LM, `offline_lm.py`) answers with the queue of the demonstration in its
prompt that shares the most words with the ticket, and "unknown" when none does, so it is right only
when the prompt carries a demonstration of the same product area: the uncompiled prompt scores 0,
and the score after compiling measures how well the optimizer picks demonstrations within its
budget. No network, no key; seeded, so every run prints the same numbers.

Run with `npm run bench:optimizer`. The last line reads `optimizer: before=0.NN after=0.NN trials=N`.
"""

import argparse
import logging
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "optimizer" / "src"))

import dspy

from elexirion_optimizer.compile import compile_program
from elexirion_optimizer.gate import decide
from elexirion_optimizer.job import ADAPTER, held_out_score
from elexirion_optimizer.metrics import metric_for
from elexirion_optimizer.offline_lm import offline_lm
from elexirion_optimizer.program import only_predictor, program_for
from elexirion_optimizer.spec import EvaluatorSpec, FieldSpec, OptimizeSpec, StepSpec

QUEUES = {
    "billing": ["invoice", "refund"],
    "engineering": ["crash", "timeout"],
    "identity": ["password", "login"],
    "logistics": ["parcel", "courier"],
}
FILLER = [f"w{i:03d}" for i in range(400)]


def tickets(count: int, rng: random.Random) -> list[dspy.Example]:
    """Tickets naming one product area among three filler words, labelled with its queue."""
    examples = []
    for _ in range(count):
        queue = rng.choice(sorted(QUEUES))
        words = [rng.choice(QUEUES[queue]), *rng.sample(FILLER, 3)]
        rng.shuffle(words)
        examples.append(dspy.Example(ticket=" ".join(words), queue=queue).with_inputs("ticket"))
    return examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--optimizer", default="bootstrap_few_shot", choices=["bootstrap_few_shot", "mipro_v2", "gepa"]
    )
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--max-demos", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # DSPy's progress would interleave with the results.
    logging.getLogger("dspy").setLevel(logging.WARNING)

    rng = random.Random(args.seed)
    train, held_out = tickets(60, rng), tickets(40, rng)
    optimize = OptimizeSpec(
        inputs=(FieldSpec("ticket", "str", "the customer's message"),),
        outputs=(FieldSpec("queue", "str", "billing, engineering, identity or logistics"),),
        instructions="Route the support ticket to the team that handles it.",
        chain_of_thought=False,
        metric=None,
        optimizer=args.optimizer,
        max_demos=args.max_demos,
        trials=args.trials,
        held_out=0.4,
        min_examples=1,
        margin=0.02,
        canary=0.0,
        seed=args.seed,
        label_threshold=1.0,
    )
    # Accuracy: agreement with the labels (the `step_succeeded` metric scores exactly that).
    step = StepSpec(
        "route",
        "claude",
        "simulated",
        "bench",
        64,
        None,
        None,
        (EvaluatorSpec("accuracy", "step_succeeded", {"step": "resolve"}),),
        optimize,
    )
    lm = offline_lm()
    print("Optimizer benchmark: the LM is SIMULATED (a deterministic stand-in, no provider is called).")
    print(
        f"Task: route tickets to {len(QUEUES)} queues; {len(train)} train, {len(held_out)} held-out tickets."
    )
    budget = f"at most {args.max_demos} demonstrations and {args.trials} trials"
    print(f"Optimizer: {args.optimizer}, {budget}, seed {args.seed}.")
    with dspy.context(lm=lm, adapter=ADAPTER):
        metric = metric_for(step, lm)
        before = held_out_score(program_for(optimize), held_out, metric)
        started = time.perf_counter()
        compiled = compile_program(program_for(optimize), train, metric, optimize, reflection_lm=lm)
        seconds = time.perf_counter() - started
        after = held_out_score(compiled.program, held_out, metric)
    demos = only_predictor(compiled.program)[1].demos
    areas = {word for demo in demos for word in demo.ticket.split() if not word.startswith("w")}
    print(f"held-out accuracy before: {before:.2f} (uncompiled prompt: no demonstrations)")
    covering = f"{len(demos)} demonstrations covering {len(areas)} of 8 product areas"
    print(f"held-out accuracy after:  {after:.2f} ({covering})")
    print(
        f"compiled in {seconds:.1f} s; gate: {decide(after, before, optimize.margin, len(held_out)).reason}"
    )
    print(f"optimizer: before={before:.2f} after={after:.2f} trials={compiled.trials}")


if __name__ == "__main__":
    main()
