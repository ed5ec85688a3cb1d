"""Writes a prompt pack: what a step's compiled predictor sends, as DSPy's ChatAdapter renders it.

The TypeScript runtime never runs DSPy: it sends the pack's system and demo messages verbatim and
renders only the final user message (`functions/prompt-packs/`). The pack also carries a few
golden renderings, which the runtime checks its own rendering against before it uses the pack.
"""

import hashlib
import json
import platform
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import dspy
from dspy.adapters.utils import get_annotation_name

from .program import only_predictor

#: The pack format; `functions/prompt-packs/pack-schema.ts` reads exactly this.
PACK_FORMAT = "elexirion.prompt-pack/1"


@dataclass(frozen=True)
class PackContext:
    """Where a pack comes from and how it was made: everything but the program itself."""

    tenant_id: str
    pipeline: str
    step_id: str
    spec_hash: str
    created_at: str
    lm: dict[str, Any]
    optimizer: dict[str, Any]
    scores: dict[str, Any]
    lineage: dict[str, Any]


def export_pack(
    program: dspy.Module,
    adapter: dspy.ChatAdapter,
    context: PackContext,
    golden_inputs: list[dict[str, Any]],
) -> dict[str, Any]:
    """The prompt pack of a step program's one predictor. Its version is a hash of what the model is
    sent (instructions, fields, demos, rendered messages, LM settings), so compiling the same data
    twice gives the same version.

    Instructions and demos come from the program's `dump_state()`, DSPy's own serialization of what
    compilation tuned (what `program.save()` writes), so `program_from_pack` can `load_state` them back;
    field names and types, which the state leaves out, come from the signature."""
    name, predictor = only_predictor(program)
    state = program.dump_state()[name]
    signature = predictor.signature.with_instructions(state["signature"]["instructions"])
    demos = [_demo(demo, signature) for demo in state["demos"]]
    # format(sig, demos, {}) renders the system and demo turns, which do not depend on the inputs;
    # its last message is the output requirements alone (no inputs), which the runtime renders itself.
    messages = adapter.format(signature, demos, {})
    if messages[0]["role"] != "system" or messages[-1]["role"] != "user":
        raise ValueError(f"unexpected ChatAdapter layout: {[m['role'] for m in messages]}")
    sent = {
        "stepId": context.step_id,
        "predictor": name,
        "adapter": {"name": "chat", "useJsonAdapterFallback": adapter.use_json_adapter_fallback},
        "signature": {
            "instructions": signature.instructions,
            "inputs": [_field(n, f) for n, f in signature.input_fields.items()],
            "outputs": [_field(n, f) for n, f in signature.output_fields.items()],
        },
        "demos": demos,
        "rendered": {"system": messages[0]["content"], "demoMessages": messages[1:-1]},
        "lm": context.lm,
    }
    return {
        "format": PACK_FORMAT,
        "version": "pack:" + hashlib.sha256(canonical_json(sent).encode()).hexdigest()[:12],
        "tenantId": context.tenant_id,
        "pipeline": context.pipeline,
        "specHash": context.spec_hash,
        "createdAt": context.created_at,
        **sent,
        "optimizer": context.optimizer,
        "scores": context.scores,
        "lineage": context.lineage,
        "dependencies": dependency_versions(),
        "golden": [{"inputs": i, "messages": adapter.format(signature, demos, i)} for i in golden_inputs],
    }


def dependency_versions() -> dict[str, str]:
    """The versions that shaped the pack: the rendering depends on DSPy's, the calls on litellm's."""
    return {"python": platform.python_version(), "dspy": version("dspy"), "litellm": version("litellm")}


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces, for hashing."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _field(name: str, info: Any) -> dict[str, Any]:
    desc = info.json_schema_extra.get("desc")
    # DSPy's placeholder description `${name}` renders as nothing; the pack leaves it out.
    return {"name": name, "type": get_annotation_name(info.annotation)} | (
        {"desc": desc} if desc and desc != f"${{{name}}}" else {}
    )


def _demo(demo: Any, signature: type[dspy.Signature]) -> dict[str, Any]:
    values = demo.toDict() if hasattr(demo, "toDict") else dict(demo)
    kept = {k: v for k, v in values.items() if k in signature.fields}
    return ({"augmented": True} if values.get("augmented") else {}) | kept
