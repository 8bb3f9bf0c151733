"""Partage's conformance suite for country plugins, shipped as a pytest plugin.

A country package proves it honours the hook contract with plain ``pytest``::

    # tests/test_conformance.py
    from partage.testing import ConformanceSuite


    class TestConformance(ConformanceSuite):
        country = "lu"

The fixtures come from :mod:`partage.testing.plugin`, which Partage registers under the
``pytest11`` entry point group; the national examples the checks need, from the
package's ``data/conformance.toml`` (:mod:`partage.testing.examples`).

Beside the suite, it re-exports what a generated package's own tests need, so that
they too import nothing but :mod:`partage.core.contract` and this package: the
``partage`` command (:func:`partage_main`), the shipped configuration folder
(:func:`default_config_dir`) and the plugin registry (:class:`PluginRegistry`,
:class:`PluginKind`).

Everything is imported only when a test asks for it (the suite needs ``hypothesis``),
so that installing Partage never burdens another project's test run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from partage.core.cli.main import main as partage_main
    from partage.core.platform.config import default_config_dir
    from partage.core.platform.registry import PluginKind, PluginRegistry
    from partage.testing.conformance import ConformanceSuite
    from partage.testing.examples import CountryExamples

#: Each name, with the module and attribute it is read from when first asked for.
_EXPORTS = {
    "ConformanceSuite": ("partage.testing.conformance", "ConformanceSuite"),
    "CountryExamples": ("partage.testing.examples", "CountryExamples"),
    "PluginKind": ("partage.core.platform.registry", "PluginKind"),
    "PluginRegistry": ("partage.core.platform.registry", "PluginRegistry"),
    "default_config_dir": ("partage.core.platform.config", "default_config_dir"),
    "partage_main": ("partage.core.cli.main", "main"),
}
__all__ = [
    "ConformanceSuite",
    "CountryExamples",
    "PluginKind",
    "PluginRegistry",
    "default_config_dir",
    "partage_main",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'partage.testing' has no attribute {name!r}")
    module, attribute = _EXPORTS[name]
    return getattr(importlib.import_module(module), attribute)
