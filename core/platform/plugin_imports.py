"""What a plugin imports from Partage, judged against the plugin contract.

A country or sector plugin may import the names of :mod:`partage.core.contract` (its
``__all__``), :mod:`partage.testing` in its tests, and its own package — nothing else
of Partage, so that a core upgrade can change everything behind the contract without
breaking a franchisee's plugin silently. Sector plugins share nothing between them.

:func:`check_source` reads a plugin's source files (it never imports them) and lists
each import that breaks the rule, with where the name lives now when the import path is
one an older core offered (:data:`RELOCATED`): ``partage upgrade check`` prints these
for every installed plugin, the conformance suite fails on them, and the architecture
tests run it on the shipped plugins and on a freshly rendered franchise template.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CONTRACT = "partage.core.contract"
TESTING = "partage.testing"

#: The rule a plugin's imports obey, as every problem states it.
RULE = f"a plugin imports only the names of {CONTRACT} and {TESTING}, and its own package"

#: Import paths of hook API 1.x that a plugin may still use, and where each went with
#: the contract package (hook API 2.0): the whole public API is now
#: ``partage.core.contract``.
RELOCATED: dict[str, str] = {
    "partage.core.hookspecs": f"{CONTRACT} (hookimpl, HOOK_API_VERSION, hookspecs)",
    "partage.core.money": CONTRACT,
    "partage.core.parameters": CONTRACT,
    "partage.core.errors": CONTRACT,
    "partage.core.charts": f"{CONTRACT} (read_chart)",
    "partage.core.payslips": (
        f"{CONTRACT} (line is now payslip_line, assemble is now assemble_payslip)"
    ),
    "partage.core.plugin_support": CONTRACT,
    "partage.core.sample_identifiers": CONTRACT,
    "partage.core.documents.model": CONTRACT,
    "partage.core.banking.model": CONTRACT,
    "partage.core.documents.rules": f"{CONTRACT} (einvoice.rules)",
    "partage.core.documents.ubl": f"{CONTRACT} (einvoice.ubl)",
    "partage.core.documents.cii": f"{CONTRACT} (einvoice.cii)",
    "partage.plugins.sectors": (
        f"{CONTRACT} (in_force(parameters, name, on) is now parameters.since(name, on))"
    ),
    "partage.core.registry": f"{TESTING} (PluginRegistry, PluginKind), in tests only",
    "partage.core.config": f"{TESTING} (default_config_dir), in tests only",
    "partage.core.cli": f"{TESTING} (partage_main), in tests only",
}


@dataclass(frozen=True)
class ImportProblem:
    """One import of a plugin that the contract does not allow.

    Attributes:
        path: the source file.
        line: the import's line.
        module: the module imported (``partage.core.ledger.books``).
        moved_to: where its names live now, when it is an import path of an older core.
    """

    path: Path
    line: int
    module: str
    moved_to: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: imports {self.module}"
        if self.moved_to:
            return f"{where}, which moved: use {self.moved_to}"
        return f"{where}: {RULE}"


def _allowed(module: str, own: str) -> bool:
    return module in (CONTRACT, TESTING) or module == own or module.startswith(own + ".")


def _relocation(module: str) -> str | None:
    for old in sorted(RELOCATED, key=len, reverse=True):
        if module == old or module.startswith(old + "."):
            return RELOCATED[old]
    return None


def _imports(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """``(line, module)`` of each absolute import, ``from x import y`` also as ``x.y``
    when ``y`` could be a submodule (``from partage.core import ledger``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in ("partage", "partage.core", "partage.plugins"):
                for alias in node.names:
                    yield node.lineno, f"{node.module}.{alias.name}"
            else:
                yield node.lineno, node.module


def check_source(files: Iterable[Path], own: str) -> list[ImportProblem]:
    """Each import of Partage in ``files`` that the contract does not allow.

    :param files: the plugin's Python files (a file that does not parse, such as a
        template not yet rendered, is skipped).
    :param own: the plugin's own package (``partage.plugins.belgium``), which it may
        import freely.
    """
    problems = []
    for path in sorted(files):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for line, module in _imports(tree):
            if module.split(".")[0] != "partage" or _allowed(module, own):
                continue
            problems.append(ImportProblem(path, line, module, _relocation(module)))
    return problems


def check_package(folder: Path, own: str) -> list[ImportProblem]:
    """:func:`check_source` over every ``.py`` file under ``folder``."""
    return check_source(folder.rglob("*.py"), own)
