import dspy
from dspy.utils.dummies import DummyLM

from elexirion_optimizer.export import PACK_FORMAT, PackContext, export_pack
from elexirion_optimizer.program import only_predictor, program_for
from factories import optimize_spec

CONTEXT = PackContext(
    tenant_id="acme",
    pipeline="support",
    step_id="classify",
    spec_hash="0123456789abcdef",
    created_at="2026-11-26T00:00:00.000Z",
    lm={"model": "dummy"},
    optimizer={"name": "bootstrap_few_shot", "settings": {}, "seed": 7, "trials": 1},
    scores={"metric": "mean", "heldOut": {"candidate": 1.0, "active": 0.5, "examples": 4}},
    lineage={"activeVersion": None, "train": ["r1#1"], "heldOut": ["r2#1"], "dataHash": "x"},
)


def program_with_demos():
    program = program_for(optimize_spec())
    only_predictor(program)[1].demos = [
        dspy.Example(augmented=True, ticket="refund please", category="billing", dspy_uuid="u1"),
        dspy.Example(ticket="app crashes", category="bug", dspy_split="train"),
    ]
    return program


def test_the_pack_holds_what_dspy_sends_rendered_by_the_chat_adapter(chat_adapter):
    # Act
    pack = export_pack(program_with_demos(), chat_adapter, CONTEXT, [{"ticket": "charged twice"}])

    # Assess
    assert pack["format"] == PACK_FORMAT and pack["predictor"] == "step"
    assert pack["adapter"] == {"name": "chat", "useJsonAdapterFallback": False}
    assert pack["signature"]["inputs"] == [{"name": "ticket", "type": "str", "desc": "raw customer message"}]
    assert pack["demos"] == [
        {"augmented": True, "ticket": "refund please", "category": "billing"},
        {"ticket": "app crashes", "category": "bug"},
    ]
    full = chat_adapter.format(
        only_predictor(program_with_demos())[1].signature, pack["demos"], {"ticket": "x"}
    )
    assert pack["rendered"]["system"] == full[0]["content"]
    assert pack["rendered"]["demoMessages"] == full[1:-1]
    assert [m["role"] for m in pack["rendered"]["demoMessages"]] == ["user", "assistant"] * 2
    assert pack["golden"][0]["messages"][-1]["content"].startswith("[[ ## ticket ## ]]\ncharged twice")
    assert set(pack["dependencies"]) == {"python", "dspy", "litellm"}
    assert pack["dependencies"]["dspy"] == dspy.__version__


def test_the_version_depends_on_what_is_sent_not_on_when(chat_adapter):
    # Prepare
    later = PackContext(**{**CONTEXT.__dict__, "created_at": "2027-01-01T00:00:00.000Z"})

    # Act
    first = export_pack(program_with_demos(), chat_adapter, CONTEXT, [])
    again = export_pack(program_with_demos(), chat_adapter, later, [])
    bare = export_pack(program_for(optimize_spec()), chat_adapter, CONTEXT, [])

    # Assess
    assert first["version"] == again["version"]
    assert first["version"] != bare["version"]
    assert first["version"].startswith("pack:") and len(first["version"]) == len("pack:") + 12


def test_a_compiled_program_exports_its_bootstrapped_demos(chat_adapter):
    # Prepare
    spec = optimize_spec(max_demos=1)
    lm = DummyLM({"refund": {"category": "billing"}})
    train = [dspy.Example(ticket="refund now", category="billing").with_inputs("ticket")]
    with dspy.context(lm=lm, adapter=chat_adapter):
        compiled = dspy.BootstrapFewShot(max_bootstrapped_demos=1, max_labeled_demos=1).compile(
            program_for(spec), trainset=train
        )

    # Act
    pack = export_pack(compiled, chat_adapter, CONTEXT, [])

    # Assess
    assert pack["demos"] == [{"augmented": True, "ticket": "refund now", "category": "billing"}]
