import json
from pathlib import Path

import pytest

from elexirion_optimizer import keys

FIXTURE = json.loads((Path(__file__).resolve().parents[2] / "test/fixtures/optimizer/keys.json").read_text())
BUILDERS = {
    "tenantPartition": keys.tenant_partition,
    "attemptPartition": keys.attempt_partition,
    "score": keys.score_key,
    "promptPackVersion": keys.prompt_pack_version_key,
    "promptPackPointer": keys.prompt_pack_pointer_key,
    "attemptExample": keys.attempt_example_key,
    "promptPack": keys.prompt_pack_key,
}


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_keys_are_spelled_as_the_typescript_core_spells_them(builder):
    for case in FIXTURE[builder]:
        assert BUILDERS[builder](*case["args"]) == case["key"]
