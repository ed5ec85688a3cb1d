from elexirion_optimizer.registry import StepRegistry
from factories import MemoryStore

NOW = "2026-11-26T00:00:00.000Z"


def test_activating_a_version_retires_the_one_it_replaces():
    # Prepare
    store = MemoryStore([])
    registry = StepRegistry(store, "support", "classify", NOW)
    registry.record("pack:old", {"status": "active", "reason": "first"})
    old = {"version": "pack:old", "packKey": "old.json"}

    # Act
    registry.activate({"active": old}, {"version": "pack:new", "packKey": "new.json"})

    # Assess
    assert registry.pointer() == {
        "active": {"version": "pack:new", "packKey": "new.json"},
        "tenantId": "acme",
        "pipeline": "support",
        "stepId": "classify",
        "updatedAt": NOW,
    }
    record = store.items["PROMPTPACK#support#classify#pack:old"]
    assert (record["status"], record["reason"], record["version"]) == (
        "retired",
        "replaced by pack:new",
        "pack:old",
    )


def test_updating_a_record_keeps_its_other_fields():
    # Prepare
    store = MemoryStore([])
    registry = StepRegistry(store, "support", "classify", NOW)
    registry.record("pack:1", {"status": "canary", "packKey": "k", "trials": 3})

    # Act
    registry.update("pack:1", {"status": "rejected", "reason": "refuted"})

    # Assess
    assert store.items["PROMPTPACK#support#classify#pack:1"] == {
        "tenantId": "acme",
        "pipeline": "support",
        "stepId": "classify",
        "version": "pack:1",
        "status": "rejected",
        "packKey": "k",
        "trials": 3,
        "reason": "refuted",
        "updatedAt": NOW,
    }
