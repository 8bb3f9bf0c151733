"""The plugin hooks page documents every hook of the contract, and only those: each has
a section saying, beyond its docstring, when the core calls it, with an example
implementation that registers against the spec (the way datasette keeps its plugin
hooks documented)."""

from __future__ import annotations

import re
import types
import warnings
from pathlib import Path

import pluggy
import pytest

from partage.core.contract import hookspecs
from partage.core.contract.hook_status import HookDeprecationWarning
from tests.docs_support import DOCS, FENCE, sections

PAGE = DOCS / "plugin-hooks.md"
#: The page's level-two sections, one per hook.
HOOK_SECTIONS = sections(PAGE.read_text(encoding="utf-8"), 2)
#: Fewer words than this cannot say when a hook is called and what the core does with
#: the answer.
MINIMUM_WORDS = 40


def subsection(hook: str, title: str) -> str:
    """The text of ``### title`` in the hook's section, or a failure naming both."""
    assert hook in HOOK_SECTIONS, f"docs/plugin-hooks.md has no '## {hook}' section"
    found = sections(HOOK_SECTIONS[hook], 3)
    assert title in found, f"docs/plugin-hooks.md, {hook}: no '### {title}' subsection"
    return found[title]


def example(hook: str) -> str:
    """The python block of the hook's example."""
    code = [
        m.group("body")
        for m in FENCE.finditer(subsection(hook, "Example"))
        if m.group("language") == "python"
    ]
    assert len(code) == 1, f"docs/plugin-hooks.md, {hook}: the example is not one python block"
    return code[0]


def test_no_section_is_given_twice_or_names_a_hook_the_contract_lacks() -> None:
    assert not [t for t in HOOK_SECTIONS if " (" in t], "a hook's section is given twice"
    unknown = sorted(set(HOOK_SECTIONS) - set(hookspecs.spec_names()))
    assert not unknown, (
        f"docs/plugin-hooks.md: sections that are no hook of the contract: {unknown}"
    )


@pytest.mark.parametrize("hook", hookspecs.spec_names())
def test_the_section_says_when_the_core_calls_the_hook(hook: str) -> None:
    prose = re.sub(r"```.*?```", "", subsection(hook, "When it is called"), flags=re.S)
    words = len(prose.split())
    assert words >= MINIMUM_WORDS, (
        f"docs/plugin-hooks.md, {hook}: 'When it is called' says too little "
        f"({words} words, at least {MINIMUM_WORDS})"
    )


@pytest.mark.parametrize("hook", hookspecs.spec_names())
def test_the_example_implements_the_hook_and_registers_against_its_spec(
    hook: str, tmp_path: Path
) -> None:
    code = compile(example(hook), f"docs/plugin-hooks.md ({hook} example)", "exec")
    module = types.ModuleType(f"example_{hook}")
    module.__file__ = str(tmp_path / "example_plugin" / "__init__.py")
    exec(code, module.__dict__)
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    deprecated = getattr(hookspecs, hook).partage_spec["warn_on_impl"] is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        manager.register(module)  # pluggy refuses an argument the spec does not name
    assert deprecated == any(issubclass(w.category, HookDeprecationWarning) for w in caught)
    implemented = [impl.plugin_name for impl in getattr(manager.hook, hook).get_hookimpls()]
    assert implemented, f"docs/plugin-hooks.md, {hook}: the example does not implement it"
    others = sorted(
        name for name in hookspecs.spec_names() if name != hook and hasattr(module, name)
    )
    assert not others, f"docs/plugin-hooks.md, {hook}: the example implements {others} too"
