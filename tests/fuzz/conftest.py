"""The fuzzing's summary line: how many requests it sent."""

from __future__ import annotations

from typing import Any

import pytest


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    sent = {
        report.nodeid: int(value)
        for report in terminalreporter.stats.get("passed", [])
        + terminalreporter.stats.get("failed", [])
        if report.when == "call"
        for name, value in report.user_properties
        if name == "requests"
    }
    if sent:
        terminalreporter.write_line(
            f"API fuzzing: {sum(sent.values())} requests in {len(sent)} tests"
        )
