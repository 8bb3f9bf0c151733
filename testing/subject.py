"""The country plugin under test: found as the core finds it, with its examples.

A test class names the plugin by its ISO code (``country = "lu"``). The plugin is then
loaded from the ``partage.countries`` entry points, exactly as an instance would load
it, so the suite also proves the package registers itself. A class may instead hand
over the plugin object (``plugin = my_module``) to test it before it is installed.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path

import pluggy

from partage.core.contract.errors import PartageError
from partage.core.contract.identity import CountryIdentity
from partage.core.platform.registry import PluginInfo, PluginKind, PluginRegistry
from partage.testing.examples import EXAMPLES_FILE, CountryExamples, read_examples


class SubjectError(PartageError):
    """The plugin under test cannot be found, loaded or described."""


@dataclass(frozen=True)
class Subject:
    """A country plugin ready to be checked.

    Attributes:
        code: its ISO code, as the test class names it.
        info: what the registry knows of it (distribution, version, API version).
        hooks: a plugin manager serving this country alone.
        folder: the folder of its package (where ``data/`` lives), if it has one.
        examples: its national examples, or ``None`` with ``examples_problem`` saying why.
        examples_problem: why the examples could not be read.
    """

    code: str
    info: PluginInfo
    hooks: pluggy.PluginManager
    folder: Path | None
    examples: CountryExamples | None
    examples_problem: str | None

    @property
    def plugin(self) -> object:
        return self.info.plugin

    @property
    def identity(self) -> CountryIdentity:
        identity = self.hooks.hook.partage_country_identity()
        if identity is None:
            raise SubjectError(None, f"country plugin {self.code!r} gives no identity")
        return identity

    def require_examples(self) -> CountryExamples:
        """The examples, or a ``SubjectError`` telling the developer how to give them."""
        if self.examples is None:
            raise SubjectError(None, str(self.examples_problem))
        return self.examples


def plugin_folder(plugin: object) -> Path | None:
    """The folder of the plugin's package: a module's own, or its class's module's."""
    target = plugin if inspect.ismodule(plugin) else type(plugin)
    try:
        return Path(inspect.getfile(target)).resolve().parent
    except (TypeError, OSError):
        return None


def build_subject(
    code: str, plugin: object | None = None, examples: CountryExamples | None = None
) -> Subject:
    """Find the plugin (entry points unless given) and its examples."""
    if not code:
        raise SubjectError(
            None, "the test class must name the country plugin under test: country = '<iso code>'"
        )
    registry = PluginRegistry(autoload=False)
    if plugin is None:
        registry.load_entry_points()
        info = registry.get(PluginKind.COUNTRY, code)
    else:
        info = registry.add(plugin, name=code, kind=PluginKind.COUNTRY)
    hooks = registry.manager(code)
    folder = plugin_folder(info.plugin)
    problem = None
    if examples is None:
        if folder is None:
            problem = f"country plugin {code!r}: no package folder to read {EXAMPLES_FILE} from"
        else:
            try:
                examples = read_examples(folder / EXAMPLES_FILE)
            except PartageError as exc:
                problem = (
                    f"country plugin {code!r} gives no conformance examples ({exc}): ship "
                    f"{EXAMPLES_FILE} in the plugin package or set `examples = "
                    "CountryExamples(...)` on the test class"
                )
    return Subject(code, info, hooks, folder, examples, problem)
