import pytest

from elexirion_optimizer.lm import ProviderKeyError, lm_for, provider_key
from factories import step_spec


def test_offline_and_auto_without_a_key_use_the_offline_lm():
    assert lm_for(step_spec(), "offline", {"ANTHROPIC_API_KEY": "k"}).model == "offline/demo-follower"
    assert lm_for(step_spec(), "auto", {}).model == "offline/demo-follower"


def test_auto_with_a_key_uses_the_steps_model_and_settings():
    # Act
    lm = lm_for(step_spec(), "auto", {"ANTHROPIC_API_KEY": "k", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"})

    # Assess
    assert lm.model == "anthropic/claude-sonnet-4-5"
    assert lm.kwargs["max_tokens"] == 256
    assert lm.kwargs["api_base"] == "http://127.0.0.1:9"


def test_a_named_provider_needs_its_key():
    with pytest.raises(ProviderKeyError, match="GEMINI_API_KEY"):
        lm_for(step_spec(), "gemini", {})


def test_gemini_accepts_either_key_variable():
    assert provider_key("gemini", {"GOOGLE_API_KEY": "g"}) == "g"
    assert lm_for(step_spec(), "gemini", {"GOOGLE_API_KEY": "g"}).model == "gemini/claude-sonnet-4-5"


def test_a_named_model_uses_the_steps_provider_and_key():
    lm = lm_for(step_spec(), "auto", {"ANTHROPIC_API_KEY": "k"}, "claude-opus-4-8")

    assert lm.model == "anthropic/claude-opus-4-8" and lm.kwargs["api_key"] == "k"
