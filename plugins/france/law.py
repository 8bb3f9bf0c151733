"""The French law this plugin applies, read once from its dated parameter files.

Every rate, ceiling, bracket and amount set by law lives in ``data/parameters`` (one
TOML file per parameter, each value dated and citing its legal source). They are read
at import so that computing tens of thousands of payslips never touches the disk.
"""

from __future__ import annotations

from pathlib import Path

from partage.core.contract import Parameters

DATA = Path(__file__).parent / "data"
LAW = Parameters(DATA / "parameters")
