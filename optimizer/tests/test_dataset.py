from elexirion_optimizer.dataset import Observation, build_dataset
from factories import optimize_spec


def observation(run_id, category="bug", score=1.0, feedback=None, inputs=None):
    return Observation(
        run_id=run_id,
        attempt=1,
        prompt_version="spec:abc",
        inputs={"ticket": f"ticket of {run_id}"} if inputs is None else inputs,
        outputs={"category": category},
        scores={} if score is None else {"known": score},
        feedback=feedback,
    )


def test_recorded_score_prefers_human_feedback():
    assert observation("r1", score=0.0, feedback=0.9).recorded_score(None) == 0.9
    assert observation("r1", score=0.4).recorded_score("known") == 0.4
    assert observation("r1", score=None).recorded_score(None) is None


def test_split_is_seeded_and_stable_as_data_grows():
    # Prepare
    spec = optimize_spec(held_out=0.3)
    first = [observation(f"run-{i:03}") for i in range(40)]

    # Act
    small = build_dataset(first, spec)
    grown = build_dataset([*first, *(observation(f"run-{i:03}") for i in range(40, 80))], spec)
    reseeded = build_dataset(first, optimize_spec(held_out=0.3, seed=8))

    # Assess
    assert 0 < len(small.held_out) < 40 and len(small.train) + len(small.held_out) == 40
    assert set(small.held_out_ids) <= set(grown.held_out_ids)
    assert set(small.train_ids) <= set(grown.train_ids)
    assert reseeded.held_out_ids != small.held_out_ids


def test_a_split_that_holds_out_no_run_holds_out_the_one_nearest_the_line():
    # Prepare: with a share this small the hash holds out none of five runs
    runs = [observation(f"run-{i}") for i in range(5)]

    # Act
    few = build_dataset(runs, optimize_spec(held_out=0.001))
    more = build_dataset(runs, optimize_spec(held_out=0.6))
    alone = build_dataset(runs[:1], optimize_spec(held_out=0.001))

    # Assess: one run is held out, the one a larger share holds out first; one run alone stays in train
    assert len(few.held_out_ids) == 1 and len(few.train_ids) == 4
    assert set(few.held_out_ids) < set(more.held_out_ids)
    assert alone.train_ids == ["run-0#1"] and alone.held_out_ids == []


def test_only_good_attempts_give_labels_and_train_keeps_only_labelled_examples():
    # Prepare
    spec = optimize_spec(held_out=0.0, label_threshold=1.0)
    data = [observation("good"), observation("bad", category="billing", score=0.0)]

    # Act
    dataset = build_dataset(data, spec)

    # Assess
    assert dataset.train_ids == ["good#1"]
    assert dataset.train[0].category == "bug"
    assert list(dataset.train[0].inputs().keys()) == ["ticket"]


def test_held_out_keeps_unlabelled_examples_without_their_outputs():
    dataset = build_dataset([observation("bad", score=0.0)], optimize_spec(held_out=1.0))

    assert dataset.held_out_ids == ["bad#1"]
    assert "category" not in dataset.held_out[0]


def test_unscored_attempts_and_attempts_missing_an_input_are_left_out():
    dataset = build_dataset([observation("a", score=None), observation("b", inputs={})], optimize_spec())

    assert dataset.train == [] and dataset.held_out == []
