"""Test-wide settings: no test may reach the network, and hypothesis profiles for CI and development."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from hypothesis import settings

# No health check is suppressed suite-wide: a strategy that is too slow or filters too much is fixed, or the
# one test that needs it suppresses it on itself and says why.
settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


class NetworkBlockedError(RuntimeError):
    """Raised when a test tries to open a network connection."""


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise NetworkBlockedError("tests must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
