"""Shared fixtures: no network, and a fresh DSPy configuration per test."""

import copy
import socket
from collections.abc import Iterator
from typing import Any

import dspy
import pytest
from dspy.dsp.utils.settings import DEFAULT_CONFIG


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection except to loopback fails the test: DSPy must never download anything. Fake AWS
    credentials keep boto3 from asking the instance metadata service for real ones."""
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(variable, "testing")
    connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"network access attempted: {address!r}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def fresh_dspy_settings() -> Iterator[None]:
    """Each test starts from DSPy's default configuration, as DSPy's own conftest does."""
    yield
    dspy.configure(**copy.deepcopy(DEFAULT_CONFIG))


@pytest.fixture
def chat_adapter() -> dspy.ChatAdapter:
    """The adapter the job renders with."""
    return dspy.ChatAdapter(use_json_adapter_fallback=False)
