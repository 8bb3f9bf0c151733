"""Partage's conformance suite for country plugins, shipped as a pytest plugin.

A country package proves it honours the hook contract with plain ``pytest``::

    # tests/test_conformance.py
    from partage.testing import ConformanceSuite


    class TestConformance(ConformanceSuite):
        country = "lu"

The fixtures come from :mod:`partage.testing.plugin`, which Partage registers under the
``pytest11`` entry point group; the national examples the checks need, from the
package's ``data/conformance.toml`` (:mod:`partage.testing.examples`).

The suite itself (it needs ``hypothesis``) is imported only when a test asks for it, so
that installing Partage never burdens another project's test run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from partage.testing.conformance import ConformanceSuite
    from partage.testing.examples import CountryExamples

__all__ = ["ConformanceSuite", "CountryExamples"]


def __getattr__(name: str) -> Any:
    if name == "ConformanceSuite":
        from partage.testing.conformance import ConformanceSuite

        return ConformanceSuite
    if name == "CountryExamples":
        from partage.testing.examples import CountryExamples

        return CountryExamples
    raise AttributeError(f"module 'partage.testing' has no attribute {name!r}")
