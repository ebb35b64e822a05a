"""Registers the ``spec`` marker, so ``--strict-markers`` accepts it whether or not the shared
spec plugin (../shared/tools/spec_plugin.py, which records results per spec ID) is loaded."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spec(*ids): the SPEC.md feature IDs this test proves")
