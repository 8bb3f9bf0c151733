"""The country plugin template renders a package that registers itself and whose
plugin loads in the registry."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

from cookiecutter.main import cookiecutter

from partage.core.registry import PluginKind, PluginRegistry

TEMPLATE = Path(__file__).resolve().parents[1] / "franchise_template"


def test_template_renders_a_plugin_package(tmp_path: Path) -> None:
    out = Path(
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            output_dir=str(tmp_path),
            extra_context={
                "country_code": "pt",
                "country_name": "Portugal",
                "default_locale": "pt_PT",
                "languages": "pt",
            },
        )
    )
    assert out.name == "partage-country-pt"
    project = tomllib.loads((out / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["partage.countries"] == {"pt": "partage_country_pt"}
    spec = importlib.util.spec_from_file_location(
        "partage_country_pt", out / "partage_country_pt" / "__init__.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    registry = PluginRegistry(autoload=False)
    registry.add(module, name="pt", kind=PluginKind.COUNTRY, distribution="partage-country-pt")
    identity = registry.manager("pt").hook.partage_country_identity()
    assert (identity.code, identity.languages, identity.currency) == ("pt", ("pt",), "EUR")
    assert (out / "tests" / "test_registered.py").is_file()
