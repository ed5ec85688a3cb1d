"""Small step specs the tests build on."""

import json
from typing import Any

from elexirion_optimizer.spec import EvaluatorSpec, FieldSpec, OptimizeSpec, StepSpec
from elexirion_optimizer.store import RecordStore, StoreConfig


def optimize_spec(**overrides: Any) -> OptimizeSpec:
    """A one-input, one-output classification step's optimize block."""
    values: dict[str, Any] = {
        "inputs": (FieldSpec("ticket", "str", "raw customer message"),),
        "outputs": (FieldSpec("category", "str", "one of: billing, bug, account"),),
        "instructions": "Classify the support ticket.",
        "chain_of_thought": False,
        "metric": None,
        "optimizer": "bootstrap_few_shot",
        "max_demos": 4,
        "trials": 4,
        "held_out": 0.3,
        "min_examples": 2,
        "margin": 0.0,
        "canary": 0.0,
        "seed": 7,
        "label_threshold": 1.0,
    }
    return OptimizeSpec(**(values | overrides))


def step_spec(evaluators: tuple[EvaluatorSpec, ...] | None = None, **overrides: Any) -> StepSpec:
    """A Claude step that opts in, scored by a regex over its category."""
    return StepSpec(
        step_id="classify",
        family="claude",
        model="claude-sonnet-4-5",
        hash="0123456789abcdef0123",
        max_output_tokens=256,
        temperature=None,
        output_schema=None,
        evaluators=evaluators
        or (EvaluatorSpec("known", "regex", {"pattern": "^(billing|bug|account)$", "field": "category"}),),
        optimize=optimize_spec(**overrides),
    )


def step_json(**optimize: Any) -> dict[str, Any]:
    """A compiled spec of an opted-in classification step, as the TypeScript compiler writes it."""
    return {
        "kind": "llm",
        "family": "claude",
        "model": "claude-sonnet-4-5",
        "hash": "feedfacefeedface",
        "maxOutputTokens": 256,
        "prompt": [{"type": "static", "content": "Classify {{inputs.ticket}}"}],
        "evaluators": [
            {"name": "known", "kind": "regex", "pattern": "^(billing|bug|account)$", "field": "category"}
        ],
        "optimize": {
            "signature": {
                "instructions": "Classify the ticket.",
                "inputs": [{"name": "ticket", "type": "str", "value": "{{inputs.ticket}}"}],
                "outputs": [{"name": "category", "type": "str"}],
                "chainOfThought": False,
            },
            "optimizer": "bootstrap_few_shot",
            "budget": {"maxDemos": 3, "trials": 1},
            "heldOut": 0.3,
            "minExamples": 3,
            "margin": 0.0,
            "canary": 0,
            "seed": 7,
            "labelThreshold": 1,
            **optimize,
        },
    }


class MemoryStore(RecordStore):
    """The store's reads and writes over dicts, with the observations given up front."""

    def __init__(self, found, **optimize):
        self.config = StoreConfig(tenant_id="acme", bucket="b", runs_table="runs", attempts_table="attempts")
        self.found = found
        self.objects = {"bundle.json": {"pipeline": "support", "steps": {"classify": step_json(**optimize)}}}
        self.items = {}

    def recent_runs(self, pipeline, limit):
        return [{"runId": "run-999", "pipeline": "support", "bundleKey": "bundle.json"}][:limit]

    def observations(self, runs, step_id):
        return self.found

    def get_json(self, key):
        return self.objects.get(key)

    def put_json(self, key, value):
        self.objects[key] = json.loads(json.dumps(value))

    def get_item(self, key):
        return self.items.get(key["sk"])

    def put_item(self, key, record):
        self.items[key["sk"]] = json.loads(json.dumps({k: v for k, v in record.items() if v is not None}))
