"""Remove the parameter files the answers left empty (reduced VAT rates not given)."""

from pathlib import Path

PARAMETERS = Path("{{ cookiecutter.module }}", "data", "parameters")

for path in sorted(PARAMETERS.rglob("*.toml")):
    if not path.read_text(encoding="utf-8").strip():
        path.unlink()
