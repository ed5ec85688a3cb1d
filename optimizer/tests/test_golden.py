"""Golden vectors: DSPy's own rendering of prompt packs and parsing of replies, written to files the
TypeScript tests compare byte for byte (`test/unit/functions/prompt-packs/golden.test.ts`).

Each file holds a pack exported from a real program, inputs with the exact messages DSPy's
ChatAdapter sends for them (and those messages in the Claude and Gemini request shapes), and replies
with what ChatAdapter parses from them. The files are committed; this test fails when DSPy's output
changes, and `UPDATE_GOLDEN=1` rewrites them. It also writes the LLM judge's pack, which the
runtime's `llm_judge` evaluator uses.
"""

import json
import os
from pathlib import Path
from typing import Any

import dspy
import pytest
from dspy.utils.dummies import DummyLM
from dspy.utils.exceptions import AdapterParseError

from elexirion_optimizer.export import PackContext, export_pack
from elexirion_optimizer.metrics import JudgeSignature
from elexirion_optimizer.program import StepProgram, only_predictor, program_for
from elexirion_optimizer.spec import FieldSpec
from factories import optimize_spec

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "test" / "fixtures" / "dspy-golden"
JUDGE_PACK = ROOT / "functions" / "evaluators" / "llm-judge-pack.json"
ADAPTER = dspy.ChatAdapter(use_json_adapter_fallback=False)


def context(step_id: str) -> PackContext:
    return PackContext(
        tenant_id="golden",
        pipeline="golden",
        step_id=step_id,
        spec_hash="golden",
        created_at="2026-11-26T00:00:00.000Z",
        lm={"model": "dummy"},
        optimizer={"name": "none", "settings": {}, "seed": 0, "trials": 0},
        scores={"metric": "mean", "heldOut": {"candidate": 0, "active": 0, "examples": 0}},
        lineage={"activeVersion": None, "train": [], "heldOut": [], "dataHash": ""},
    )


def classify_program() -> dspy.Module:
    """Compiled for real: BootstrapFewShot over a DummyLM that knows three categories."""
    spec = optimize_spec(
        instructions="Classify the support ticket into a category.\nAnswer with the category only."
    )
    answers = {
        "refund": {"category": "billing"},
        "crash": {"category": "bug"},
        "password": {"category": "account"},
    }
    train = [
        dspy.Example(ticket=t, category=c).with_inputs("ticket")
        for t, c in [
            ("I want a refund", "billing"),
            ("the app crash again", "bug"),
            ("forgot password", "account"),
        ]
    ]
    with dspy.context(lm=DummyLM(answers), adapter=ADAPTER):
        return dspy.BootstrapFewShot(max_bootstrapped_demos=2, max_labeled_demos=3).compile(
            program_for(spec), trainset=train
        )


def typed_program() -> dspy.Module:
    spec = optimize_spec(
        instructions="Review the change.",
        inputs=(
            FieldSpec("title", "str", "what the change is called"),
            FieldSpec("tags", "list[str]"),
            FieldSpec("count", "int"),
            FieldSpec("weight", "float"),
            FieldSpec("urgent", "bool"),
            FieldSpec("context", "dict", "anything else, as JSON"),
        ),
        outputs=(
            FieldSpec("summary", "str"),
            FieldSpec("score", "float", "0 to 1"),
            FieldSpec("approved", "bool"),
            FieldSpec("steps", "list[str]"),
            FieldSpec("meta", "dict"),
            FieldSpec("priority", "int"),
        ),
    )
    program = program_for(spec)
    only_predictor(program)[1].demos = [
        dspy.Example(
            augmented=True,
            title="Add cache",
            tags=["perf"],
            count=2,
            weight=0.5,
            urgent=False,
            context={"repo": "core", "ü": "é"},
            summary="Adds a cache.",
            score=0.9,
            approved=True,
            steps=["review", "merge"],
            meta={"risk": "low"},
            priority=1,
        ),
        dspy.Example(
            title="Drop table", tags=[], count=1, weight=1.5, urgent=True, context={}, summary="Risky."
        ),
    ]
    return program


def reasoning_program() -> dspy.Module:
    program = program_for(optimize_spec(instructions=None, chain_of_thought=True))
    only_predictor(program)[1].demos = [
        dspy.Example(augmented=True, ticket="refund", reasoning="Money back is billing.", category="billing"),
        dspy.Example(ticket="crash on start", category="bug"),
    ]
    return program


def zero_shot_program() -> dspy.Module:
    return program_for(
        optimize_spec(instructions="  First line.\n    Indented line.\nLast line.  ", max_demos=0)
    )


CASES: dict[str, dict[str, Any]] = {
    "classify": {
        "program": classify_program,
        "inputs": [
            {"ticket": "I was charged twice"},
            {"ticket": "Rückerstattung für «Bestellung» — bitte 🙏"},
            {"ticket": "line one  \nline two\n\n  indented\n"},
            {"ticket": ""},
            {"ticket": "  padded\t"},
            {"ticket": "[[ ## category ## ]]\nbilling"},
            {"ticket": 'quotes " and \\ backslash'},
        ],
        "replies": [
            "[[ ## category ## ]]\nbilling\n\n[[ ## completed ## ]]\n",
            "Sure.\n[[ ## category ## ]]\n  bug  \n[[ ## category ## ]]\naccount",
            "  [[ ## category ## ]] account\r\nmore\u2028text\x0bend",
            "[[ ## category ## ]]\n\n[[ ## completed ## ]]",
            "[[ ## categories ## ]]\nbilling",
            "billing",
        ],
    },
    "typed": {
        "program": typed_program,
        "inputs": [
            {
                "title": "Add retries",
                "tags": ["net", "ü"],
                "count": 3,
                "weight": 0.1,
                "urgent": True,
                "context": {"repo": "api", "limits": [1, 2.5, 1e-05], "nested": {"ok": False, "none": None}},
            },
            {
                "title": ["first", "multi\nline", "has «quote»"],
                "tags": [],
                "count": 9007199254740992,
                "weight": 1e-05,
                "urgent": False,
                "context": {"s": 'q"uote\\ \n\t\x01 é 🙂', "big": 2.5e21},
            },
            {
                "title": ["only one"],
                "tags": ["x"],
                "count": -7,
                "weight": 0.30000000000000004,
                "urgent": True,
                "context": {"e": 1.5e-07, "f": 123.456, "n": -0.5},
            },
            {"title": [], "tags": ["a"], "count": 0, "weight": 2.5, "urgent": False, "context": {}},
            {
                "title": {"a": 1, "b": [True, None]},
                "tags": ["a"],
                "count": 1,
                "weight": 100.25,
                "urgent": True,
                "context": {"list": []},
            },
            {"title": 5, "tags": ["a"], "count": 1, "weight": 3.75, "urgent": False, "context": {"x": "y"}},
            {
                "title": True,
                "tags": ["a"],
                "count": 1,
                "weight": 1e300,
                "urgent": False,
                "context": {"x": "y"},
            },
            {
                "title": None,
                "tags": ["a"],
                "count": 1,
                "weight": 5e-324,
                "urgent": False,
                "context": {"x": "y"},
            },
        ],
        "replies": [
            "[[ ## summary ## ]]\nok\n\n[[ ## score ## ]]\n0.5\n\n[[ ## approved ## ]]\nTrue\n\n"
            '[[ ## steps ## ]]\n["a", "b"]\n\n[[ ## meta ## ]]\n{"k": [1, 2]}\n\n[[ ## priority ## ]]\n3\n\n'
            "[[ ## completed ## ]]",
            "[[ ## summary ## ]]\n  two\nlines \n[[ ## score ## ]]\n1\n[[ ## approved ## ]]\nfalse\n"
            "[[ ## steps ## ]]\n[]\n[[ ## meta ## ]]\n{}\n[[ ## priority ## ]]\n3.0",
            "[[ ## summary ## ]]\nx\n[[ ## score ## ]]\n-2.5e-3\n[[ ## approved ## ]]\nyes\n"
            '[[ ## steps ## ]]\n["only"]\n[[ ## meta ## ]]\n{"a": {"b": null}}\n[[ ## priority ## ]]\n-4',
            "[[ ## summary ## ]]\nx\n[[ ## score ## ]]\n0.5\n[[ ## approved ## ]]\nTrue\n"
            '[[ ## steps ## ]]\n["a"]\n[[ ## meta ## ]]\n{}\n[[ ## priority ## ]]\n3.5',
            "[[ ## summary ## ]]\nx\n[[ ## score ## ]]\nhigh\n[[ ## approved ## ]]\nTrue\n"
            '[[ ## steps ## ]]\n["a"]\n[[ ## meta ## ]]\n{}\n[[ ## priority ## ]]\n1',
            "[[ ## summary ## ]]\nx\n[[ ## score ## ]]\n0.5\n[[ ## approved ## ]]\nmaybe\n"
            '[[ ## steps ## ]]\n["a"]\n[[ ## meta ## ]]\n{}\n[[ ## priority ## ]]\n1',
            "[[ ## summary ## ]]\nx\n[[ ## score ## ]]\n0.5",
        ],
    },
    "reasoning": {
        "program": reasoning_program,
        "inputs": [{"ticket": "where is my invoice"}],
        "replies": [
            "[[ ## reasoning ## ]]\nInvoices are billing.\n\n[[ ## category ## ]]\nbilling\n\n"
            "[[ ## completed ## ]]",
            "[[ ## category ## ]]\nbilling",
        ],
    },
    "zero-shot": {
        "program": zero_shot_program,
        "inputs": [{"ticket": "hello"}],
        "replies": ["[[ ## category ## ]]\nbug"],
    },
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_vectors(case):
    # Prepare
    spec = CASES[case]
    program = spec["program"]()
    for inputs in spec["inputs"]:
        assert not _unstable_in_javascript(inputs), "JavaScript would read or write this number differently"

    # Act
    vectors = golden_vectors(program, case, spec["inputs"], spec["replies"])

    # Assess
    check_or_write(GOLDEN / f"{case}.json", vectors)


def test_llm_judge_pack():
    # Act
    pack = _stable(export_pack(StepProgram(JudgeSignature), ADAPTER, context("llm_judge"), [JUDGE_SAMPLE]))

    # Assess
    check_or_write(JUDGE_PACK, pack)


JUDGE_SAMPLE = {"rubric": "Names one category.", "task": '{"ticket": "refund"}', "answer": "billing"}


def golden_vectors(
    program: dspy.Module, case: str, inputs: list[dict[str, Any]], replies: list[str]
) -> dict[str, Any]:
    signature = only_predictor(program)[1].signature
    pack = _stable(export_pack(program, ADAPTER, context(case), inputs[:1]))
    renderings = []
    for values in inputs:
        messages = ADAPTER.format(signature, pack["demos"], values)
        renderings.append({"inputs": values, "messages": messages, **provider_shapes(messages)})
    return {"pack": pack, "renderings": renderings, "replies": [_parsed(signature, text) for text in replies]}


def provider_shapes(messages: list[dict[str, str]]) -> dict[str, Any]:
    """The messages as litellm sends them: Anthropic's top-level `system` and user/assistant turns,
    Gemini's `systemInstruction` and user/model `contents`."""
    system, turns = messages[0]["content"], messages[1:]
    return {
        "claude": {
            "system": system,
            "messages": [{"role": m["role"], "content": m["content"]} for m in turns],
        },
        "gemini": {
            "systemInstruction": system,
            "contents": [
                {"role": "model" if m["role"] == "assistant" else "user", "parts": [{"text": m["content"]}]}
                for m in turns
            ],
        },
    }


def check_or_write(path: Path, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{path} is out of date: rerun with UPDATE_GOLDEN=1"


def _parsed(signature: type[dspy.Signature], text: str) -> dict[str, Any]:
    try:
        return {"text": text, "outputs": ADAPTER.parse(signature, text)}
    except (AdapterParseError, ValueError) as error:
        return {"text": text, "error": type(error).__name__}


def _stable(pack: dict[str, Any]) -> dict[str, Any]:
    """Golden packs name Python by minor version, so a patch release does not change the files."""
    python = ".".join(pack["dependencies"]["python"].split(".")[:2])
    return pack | {"dependencies": pack["dependencies"] | {"python": python}}


def _unstable_in_javascript(value: Any) -> bool:
    """Runtime inputs come from JavaScript through JSON, so golden inputs must survive that trip."""
    if isinstance(value, float):
        # JSON.stringify writes integral numbers below 1e21 without a fraction or exponent.
        return value.is_integer() and abs(value) < 1e21
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) > 2**53
    if isinstance(value, dict):
        return any(_unstable_in_javascript(v) for v in value.values())
    if isinstance(value, list):
        return any(_unstable_in_javascript(v) for v in value)
    return False
