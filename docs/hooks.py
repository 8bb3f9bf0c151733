"""Build-time generation of the documentation site (mkdocs ``hooks:``).

Three things on the site are read from the code when it is built, so that they cannot
drift from it:

- the front page is ``README.md`` itself, its links into ``docs/`` made relative to
  the site (:func:`readme_as_index`);
- on the plugin hooks page, each ``## partage_<hook>`` heading gets the spec as
  :mod:`partage.core.contract.hookspecs` declares it (kind, first answer, version,
  signature and docstring), and a table of every hook replaces the
  ``<!-- partage:hooks-table -->`` marker (:func:`hook_reference`); the prose around
  each spec is written by hand and ``tests/docs/test_plugin_hooks_page.py`` checks that
  there is some for every hook;
- a page's ``<!-- partage:NAME -->`` marker is replaced by :data:`GENERATED` ``[NAME]``:
  the configuration reference and the command reference.

Nothing here needs mkdocs to run: the functions take and return text, and the tests
call them.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
MARKER = re.compile(r"^<!-- partage:([\w-]+) -->$", re.M)
HOOK_HEADING = re.compile(r"^## (partage_\w+)\s*$", re.M)
HOOKS_PAGE = "plugin-hooks.md"


# --- the front page ---------------------------------------------------------------
def readme_as_index(readme: str) -> str:
    """The README as the site's front page: a link to ``docs/x.md`` becomes ``x.md``."""
    return re.sub(r"\]\(docs/", "](", readme)


# --- the hook reference -----------------------------------------------------------
KINDS = {
    "required": "country hook, **required**: an instance refuses a country plugin "
    "that does not implement it",
    "defaulted": "country hook, **defaulted**: the core's default plugin answers when "
    "the country does not",
    "optional": "country hook, **optional**: a country may decline it, saying why "
    "(`PARTAGE_DECLINED_HOOKS`)",
    "sector": "**sector hook**: every sector in force answers; a sector implements "
    "only the hooks its rules need",
}


def _spec(name: str) -> tuple[Callable[..., Any], dict[str, Any]]:
    from partage.core.contract import hookspecs

    function = getattr(hookspecs, name)
    options: dict[str, Any] = getattr(function, f"{hookspecs.PROJECT}_spec")
    return function, options


def hook_signature(name: str) -> str:
    """The spec's signature as a plugin writes it (annotations as the source spells them)."""
    function, _ = _spec(name)
    signature = inspect.signature(function)
    parameters = ", ".join(
        f"{p.name}: {p.annotation}" if p.annotation is not p.empty else p.name
        for p in signature.parameters.values()
    )
    return f"def {name}({parameters}) -> {signature.return_annotation}: ..."


def hook_facts(name: str) -> str:
    """What the spec declares about a hook, as a short Markdown list, then its signature
    and its docstring (rendered by mkdocstrings)."""
    from partage.core.contract import hookspecs

    _, options = _spec(name)
    major, minor = hookspecs.added_in(name)
    answers = (
        "the first answer that is not `None` wins (`firstresult`)"
        if options["firstresult"]
        else "every implementation answers; the core gathers the answers"
    )
    facts = [
        f"- **Kind**: {KINDS[hookspecs.status_of(name).value]}.",
        f"- **Answers**: {answers}.",
        f"- **Added in** hook API {major}.{minor}.",
    ]
    if options["warn_on_impl"] is not None:
        facts.append(f"- **Deprecated**: {options['warn_on_impl']}.")
    return "\n".join(
        [
            *facts,
            "",
            "```python",
            "@hookimpl",
            hook_signature(name),
            "```",
            "",
            f"::: partage.core.contract.hookspecs.{name}",
            "    options:",
            "      show_root_heading: false",
            "      show_root_toc_entry: false",
            "      show_signature: false",
            "      heading_level: 3",
            "",
        ]
    )


def hooks_table() -> str:
    """Every hook of the contract, one row each, linking to its section."""
    from partage.core.contract import hookspecs

    rows = [
        "| hook | kind | first answer wins | added in | what it does |",
        "|---|---|---|---|---|",
    ]
    for name in hookspecs.spec_names():
        function, options = _spec(name)
        summary = (function.__doc__ or "").strip().splitlines()[0]
        major, minor = hookspecs.added_in(name)
        rows.append(
            f"| [`{name}`](#{name}) | {hookspecs.status_of(name).value} "
            f"| {'yes' if options['firstresult'] else 'no'} | {major}.{minor} | {summary} |"
        )
    return "\n".join(rows)


def hook_reference(markdown: str) -> str:
    """The plugin hooks page with each hook's spec after its heading."""
    return HOOK_HEADING.sub(
        lambda found: f"{found.group(0)}\n\n{hook_facts(found.group(1))}", markdown
    )


# --- the configuration reference --------------------------------------------------
def configuration_reference() -> str:
    """The configuration reference: every setting with its rule, default, the layer its
    default lives in and what it is — generated from the settings' validators
    (:func:`partage.core.platform.settings_reference.markdown`), the same declarations
    that check a configuration."""
    from partage.core.platform.settings_reference import markdown

    return markdown()


# --- the command reference --------------------------------------------------------
def _command_rows(command: Any, path: str) -> Iterator[str]:
    """The reference of ``command`` (a click command, as typer builds it) and, for a
    group, of each of its commands."""
    context = command.context_class(command, info_name=path)
    if hasattr(command, "list_commands"):
        for name in sorted(command.list_commands(context)):
            yield from _command_rows(command.get_command(context, name), f"{path} {name}")
        return
    usage = " ".join(command.collect_usage_pieces(context))
    help_text = inspect.cleandoc(command.help or "").split("\n\n")[0].replace("\n", " ")
    yield f"### `{path}`\n\n{help_text}\n\n```text\n{path} {usage}\n```\n"
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    options = [p for p in command.params if p.param_type_name == "option" and p.name != "help"]
    if not options and not arguments:
        return
    yield "| argument or option | meaning |\n|---|---|"
    for argument in arguments:
        yield f"| `{argument.name.upper()}` | {_cell(argument.help)} |"
    for option in options:
        yield f"| {_names(option)} | {_cell(option.help)}{_default(option)} |"
    yield ""


def _names(option: Any) -> str:
    return ", ".join(f"`{name}`" for name in [*option.opts, *option.secondary_opts])


def _cell(text: str | None) -> str:
    """Text for a table cell: one line, its pipes and angle brackets escaped."""
    escaped = (text or "").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(escaped.split())


def _default(option: Any) -> str:
    if option.default is None or getattr(option, "is_flag", False) or not option.show_default:
        return ""
    return f" Default: `{getattr(option.default, 'value', option.default)}`."


def commands_reference() -> str:
    """Every ``partage`` command with its usage, arguments and options, as the command
    line declares them."""
    import typer.main

    from partage.core.cli.main import app

    root: Any = typer.main.get_command(app)
    options = [p for p in root.params if p.param_type_name == "option" and p.name != "help"]
    lines = [
        "Options every command takes, written before the command's name "
        "(`partage --instance fr books trial-balance`):",
        "",
        "| option | meaning |",
        "|---|---|",
        *(f"| {_names(option)} | {_cell(option.help)} |" for option in options),
        "",
    ]
    context = root.context_class(root, info_name="partage")
    for name in root.list_commands(context):
        lines += _command_rows(root.get_command(context, name), f"partage {name}")
    return "\n".join(lines)


#: The generated blocks a page asks for with ``<!-- partage:NAME -->``.
GENERATED: dict[str, Callable[[], str]] = {
    "hooks-table": hooks_table,
    "configuration-reference": configuration_reference,
    "commands-reference": commands_reference,
}


def expand_markers(markdown: str) -> str:
    """Each ``<!-- partage:NAME -->`` line replaced by its generated block; an unknown
    name is an error, so that a misspelt marker fails the build."""

    def block(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in GENERATED:
            raise KeyError(
                f"<!-- partage:{name} -->: no such generated block ({', '.join(GENERATED)})"
            )
        return GENERATED[name]()

    return MARKER.sub(block, markdown)


# --- mkdocs events ----------------------------------------------------------------
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the front page, made from the README."""
    from mkdocs.structure.files import File

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    files.append(File.generated(config, "index.md", content=readme_as_index(readme)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill in what the page asks to be generated."""
    if page.file.src_uri == HOOKS_PAGE:
        markdown = hook_reference(markdown)
    return expand_markers(markdown)
