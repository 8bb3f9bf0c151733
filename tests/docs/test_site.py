"""The documentation site: the README is its front page, every page is in its
navigation, the code it shows is valid, and what it generates from the code at build
time (docs/hooks.py) covers the whole contract, every setting and every command."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest
import typer.main

from partage.core.cli.main import app
from partage.core.contract import hookspecs
from tests.docs_support import DOCS, ROOT, Block, blocks, pages, site_hooks

CODE = [b for page in pages() for b in blocks(page) if b.language in ("python", "toml")]


def test_the_front_page_is_the_readme_with_its_links_made_relative_to_the_site() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = site_hooks().readme_as_index(readme)
    links = re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", index)
    assert links, "the README links to no page of the site"
    missing = [link for link in links if not (DOCS / link).is_file()]
    assert not missing, f"the README links to pages that do not exist: {missing}"
    assert "](docs/" not in index
    assert not (DOCS / "index.md").exists(), "docs/index.md would be a second front page"


def test_every_page_is_in_the_navigation() -> None:
    listed = set(re.findall(r":\s*(\S+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(), re.M))
    written = {page.relative_to(DOCS).as_posix() for page in DOCS.rglob("*.md")}
    assert written | {"index.md"} == listed


@pytest.mark.parametrize("block", CODE, ids=[f"{b.page}:{b.line}" for b in CODE])
def test_the_code_shown_is_valid(block: Block) -> None:
    if block.language == "toml":
        tomllib.loads(block.body)
    else:
        compile(block.body, f"{block.page}:{block.line}", "exec")


def test_each_hook_heading_gets_its_spec_and_the_table_lists_every_hook() -> None:
    hooks = site_hooks()
    page = (DOCS / "plugin-hooks.md").read_text(encoding="utf-8")
    built = hooks.expand_markers(hooks.hook_reference(page))
    for name in hookspecs.spec_names():
        assert f"::: partage.core.contract.hookspecs.{name}\n" in built, name
        assert f"def {name}(" in built, name
        assert f"| [`{name}`](#{name}) |" in built, name
    assert "<!-- partage:" not in built
    assert "**Deprecated**" in hooks.hook_facts("partage_payslip_extra_lines")


def test_the_configuration_reference_names_every_shipped_setting() -> None:
    reference = site_hooks().configuration_reference()
    settings = tomllib.loads((ROOT / "configs" / "settings.toml").read_text(encoding="utf-8"))

    def keys(table: dict[str, object], prefix: str = "") -> list[str]:
        found = []
        for key, value in table.items():
            name = f"{prefix}{key}"
            found += keys(value, f"{name}.") if isinstance(value, dict) else [name]
        return found

    missing = [key for key in keys(settings) if f"`{key}`" not in reference]
    assert not missing, f"the configuration reference lacks {missing}"


def test_the_command_reference_has_every_command() -> None:
    reference = site_hooks().commands_reference()

    def leaves(command: Any, path: str) -> list[str]:
        if not hasattr(command, "list_commands"):
            return [path]
        context = typer.Context(command)
        return [
            leaf
            for name in command.list_commands(context)
            for leaf in leaves(command.get_command(context, name), f"{path} {name}")
        ]

    every = leaves(typer.main.get_command(app), "partage")
    assert "partage config check" in every and "partage serve" in every
    missing = [path for path in every if f"### `{path}`" not in reference]
    assert not missing, f"the command reference lacks {missing}"


def test_a_misspelt_marker_fails_the_build() -> None:
    with pytest.raises(KeyError, match="partage:hook-table"):
        site_hooks().expand_markers("<!-- partage:hook-table -->\n")
