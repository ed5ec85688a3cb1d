import pytest

from elexirion_optimizer.dataset import Observation
from elexirion_optimizer.gate import MIN_CANARY_SCORES
from elexirion_optimizer.job import JobOptions, run_job
from elexirion_optimizer.offline_lm import offline_lm
from elexirion_optimizer.spec import SpecError
from factories import MemoryStore

POINTER = "PROMPTACTIVE#support#classify"
TOPICS = {"billing": "refund invoice charge", "bug": "crash error freeze", "account": "password login email"}


def observations(count, version="spec:feedfacefeed", score=1.0):
    found = []
    for i in range(count):
        category = list(TOPICS)[i % 3]
        words = TOPICS[category].split()
        ticket = f"{words[i % 3]} problem number {i}"
        found.append(
            Observation(
                f"run-{i:03}", 1, version, {"ticket": ticket}, {"category": category}, {"known": score}
            )
        )
    return found


def run(store, step=None):
    options = JobOptions(pipeline="support", step=step, max_runs=100, now="2026-11-26T00:00:00.000Z")
    return run_job(store, options, lambda _: offline_lm())


def test_a_better_candidate_is_promoted_and_recorded():
    # Prepare
    store = MemoryStore(observations(30))

    # Act
    [outcome] = run(store)

    # Assess
    assert outcome.status == "promoted"
    assert outcome.before == 0.0 and outcome.after > 0.5
    assert outcome.trials == 1 and outcome.train >= 3 and outcome.held_out >= 1
    pointer = store.items[POINTER]
    assert pointer["active"]["version"] == outcome.version
    pack = store.objects[pointer["active"]["packKey"]]
    assert pack["version"] == outcome.version and len(pack["demos"]) == 3
    assert pack["scores"]["heldOut"] == {
        "candidate": outcome.after,
        "active": 0.0,
        "examples": outcome.held_out,
    }
    assert pack["lineage"]["activeVersion"] is None and len(pack["golden"]) >= 1
    record = store.items[f"PROMPTPACK#support#classify#{outcome.version}"]
    assert record["status"] == "active" and "meets the margin" in record["reason"]


def test_the_same_data_again_leaves_the_active_version_alone():
    # Prepare
    store = MemoryStore(observations(30))
    [first] = run(store)

    # Act
    [again] = run(store)

    # Assess
    assert (again.status, again.version) == ("unchanged", first.version)


def test_a_candidate_below_the_margin_is_recorded_as_rejected_with_the_reason():
    # Prepare
    store = MemoryStore(observations(30), margin=2.0)

    # Act
    [outcome] = run(store)

    # Assess
    assert outcome.status == "rejected" and "below the margin" in outcome.reason
    assert POINTER not in store.items
    record = store.items[f"PROMPTPACK#support#classify#{outcome.version}"]
    assert record["status"] == "rejected" and record["reason"] == outcome.reason
    assert record["packKey"] in store.objects


def test_a_canary_serves_first_and_live_scores_confirm_it():
    # Prepare
    store = MemoryStore(observations(30), canary=0.25)
    [candidate] = run(store)
    live = observations(MIN_CANARY_SCORES, candidate.version) + observations(MIN_CANARY_SCORES, score=0.0)

    # Act
    store.found = observations(MIN_CANARY_SCORES - 1, candidate.version)
    [waiting] = run(store)
    store.found = live
    [confirmed] = run(store)

    # Assess
    assert candidate.status == "canary"
    assert waiting.status == "waiting"
    assert confirmed.status == "confirmed"
    pointer = store.items[POINTER]
    assert pointer["active"]["version"] == candidate.version and "canary" not in pointer
    assert store.items[f"PROMPTPACK#support#classify#{candidate.version}"]["status"] == "active"


def test_live_scores_below_the_active_version_refute_a_canary():
    # Prepare
    store = MemoryStore(observations(30), canary=0.25)
    [candidate] = run(store)
    store.found = observations(MIN_CANARY_SCORES, candidate.version, score=0.0) + observations(
        MIN_CANARY_SCORES
    )

    # Act
    [refuted] = run(store)

    # Assess
    assert refuted.status == "refuted" and "refuted" in refuted.reason
    assert "canary" not in store.items[POINTER]
    assert store.items[f"PROMPTPACK#support#classify#{candidate.version}"]["status"] == "rejected"


def test_too_few_scored_examples_skip_the_step():
    [outcome] = run(MemoryStore(observations(2)))

    assert outcome.status == "skipped" and "need 3" in outcome.reason


def test_a_step_that_does_not_opt_in_cannot_be_named():
    with pytest.raises(SpecError, match="reply"):
        run(MemoryStore(observations(30)), step="reply")


def test_the_judge_and_reflection_models_are_built_for_the_step_and_passed_on(monkeypatch):
    # Prepare
    from elexirion_optimizer import job

    store = MemoryStore(observations(30), optimizer="gepa", judgeModel="judge-m", reflectionModel="reflect-m")
    asked, seen = [], {}
    lms = {None: offline_lm(), "judge-m": offline_lm(), "reflect-m": offline_lm()}

    def lm_for(step, model=None):
        asked.append(model)
        return lms[model]

    def compile_spy(student, train, metric, spec, reflection_lm=None):
        seen["reflection"] = reflection_lm
        return compile_program(student, train, metric, spec, reflection_lm)

    def metric_spy(step, judge_lm, judges=None):
        seen["judge"] = judge_lm
        return metric_for(step, judge_lm, judges)

    from elexirion_optimizer.compile import compile_program
    from elexirion_optimizer.metrics import metric_for

    monkeypatch.setattr(job, "compile_program", compile_spy)
    monkeypatch.setattr(job, "metric_for", metric_spy)

    # Act
    run_job(store, JobOptions("support", None, 100, "2026-11-26T00:00:00.000Z"), lm_for)

    # Assess
    assert asked == [None, "judge-m", "reflect-m"]
    assert seen == {"judge": lms["judge-m"], "reflection": lms["reflect-m"]}


def test_the_bundles_judge_model_grades_for_judges_without_a_model_and_a_judges_own_model_for_it():
    # Prepare: the bundle as the TypeScript compiler writes it, with two judges beside the regex.
    store = MemoryStore(observations(30), judgeModel="claude-haiku-4-5")
    step = store.objects["bundle.json"]["steps"]["classify"]
    step["evaluators"] += [
        {"name": "shared", "kind": "llm_judge", "rubric": "is short"},
        {"name": "own", "kind": "llm_judge", "rubric": "names a category", "model": "claude-opus-4-8"},
    ]
    lms = {None: offline_lm(), "claude-haiku-4-5": offline_lm(), "claude-opus-4-8": offline_lm()}

    # Act
    run_job(store, JobOptions("support", None, 100, "2026-11-26T00:00:00.000Z"), lambda _, m=None: lms[m])

    # Assess: each judge LM graded only its own rubric; the task LM graded nothing.
    def rubrics(lm):
        return {
            r for call in lm.history for r in ("is short", "names a category") if r in str(call["messages"])
        }

    assert rubrics(lms["claude-haiku-4-5"]) == {"is short"}
    assert rubrics(lms["claude-opus-4-8"]) == {"names a category"}
    assert rubrics(lms[None]) == set()


def test_a_candidate_is_compiled_from_the_active_pack_loaded_back():
    # Prepare: an active pack whose instructions differ from the spec's.
    store = MemoryStore(observations(30))
    [first] = run(store)
    key = store.items[POINTER]["active"]["packKey"]
    store.objects[key]["signature"]["instructions"] = "Name the ticket's category."

    # Act
    [second] = run(store)

    # Assess: bootstrapping keeps the instructions it starts from, so the candidate is a new version.
    assert second.status != "unchanged" and second.version != first.version
    candidate = store.objects[store.items[f"PROMPTPACK#support#classify#{second.version}"]["packKey"]]
    assert candidate["signature"]["instructions"] == "Name the ticket's category."
