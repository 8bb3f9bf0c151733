"""The country's law as dated data, read once, at the first question asked of it.

Every rate, ceiling and bracket set by law lives in a TOML file under
``data/parameters`` with the day it applies from and its legal source (see
:mod:`partage.core.contract.parameters`). A change of law is a new dated value in the file, never
an edit of an old one: a past month is recomputed with the law of its day.
"""

from __future__ import annotations

from pathlib import Path

from partage.core.contract import Parameters

DATA = Path(__file__).parent / "data"
PARAMETERS = Parameters(DATA / "parameters")
