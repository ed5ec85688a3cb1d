"""The LM a step is compiled with: the step's own model through its provider, or the offline LM."""

import json
from collections.abc import Mapping
from typing import Any

import boto3
import dspy

from .offline_lm import offline_lm
from .spec import StepSpec

#: `--provider` values, as the `elexirion` CLI spells them (`offline` is its `mock`).
PROVIDER_MODES = ("auto", "offline", "anthropic", "gemini")

_PROVIDER_OF_FAMILY = {"claude": "anthropic", "gemini": "gemini"}
_KEY_VARIABLES = {"anthropic": ("ANTHROPIC_API_KEY",), "gemini": ("GEMINI_API_KEY", "GOOGLE_API_KEY")}
_SECRET_VARIABLES = {"anthropic": "ANTHROPIC_KEY_SECRET", "gemini": "GEMINI_KEY_SECRET"}
_BASE_URL_VARIABLES = {"anthropic": "ANTHROPIC_BASE_URL", "gemini": "GEMINI_BASE_URL"}


class ProviderKeyError(RuntimeError):
    """A provider was asked for by name, but no key for it is configured."""


def lm_for(step: StepSpec, mode: str, env: Mapping[str, str], model: str | None = None) -> dspy.LM:
    """The LM to compile `step` with: its own model, or `model` (a judge or reflection model the
    step's `optimize:` names, of the same provider, so it uses the same key). `auto` uses the step's
    provider when its key is set (from the environment, or from the Secrets Manager secret the step
    runner reads too) and the offline LM otherwise; `offline` always uses the offline LM;
    `anthropic` / `gemini` require that key."""
    if mode == "offline":
        return offline_lm()
    provider = _PROVIDER_OF_FAMILY[step.family] if mode == "auto" else mode
    key = provider_key(provider, env)
    if key is None:
        if mode == "auto":
            return offline_lm()
        raise ProviderKeyError(f"--provider {mode} needs {' or '.join(_KEY_VARIABLES[provider])}")
    options: dict[str, Any] = {"api_key": key, "max_tokens": step.max_output_tokens, "num_retries": 3}
    if step.temperature is not None:
        options["temperature"] = step.temperature
    if base_url := env.get(_BASE_URL_VARIABLES[provider]):
        options["api_base"] = base_url
    return dspy.LM(f"{provider}/{model or step.model}", **options)


def provider_key(provider: str, env: Mapping[str, str]) -> str | None:
    """A provider's API key: from its environment variable, else from its key secret."""
    for variable in _KEY_VARIABLES[provider]:
        if env.get(variable):
            return env[variable]
    secret_id = env.get(_SECRET_VARIABLES[provider])
    if not secret_id:
        return None
    value = (
        boto3.client("secretsmanager").get_secret_value(SecretId=secret_id).get("SecretString", "").strip()
    )
    # Same shape as the step runner reads: {"apiKey": "…"}, or the bare key.
    key = json.loads(value).get("apiKey") if value.startswith("{") else value
    return key or None
