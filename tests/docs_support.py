"""Reading the documentation as its tests need it: the pages, their fenced blocks and
sections, and the site's build-time generators (``docs/hooks.py``), which are plain
functions loaded without mkdocs."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: The languages of the fences whose lines are commands a reader types.
SHELL_LANGUAGES = frozenset({"sh", "bash", "console", "shell"})
FENCE = re.compile(
    r"^(?P<indent>[ ]*)```(?P<language>[\w+-]*)[ ]*\n(?P<body>.*?)^(?P=indent)```[ ]*$", re.M | re.S
)


def pages() -> list[Path]:
    """The README and every page of the site, in a stable order."""
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def page_name(page: Path) -> str:
    """A page's path from the repository root (``docs/books.md``)."""
    return page.relative_to(ROOT).as_posix()


@dataclass(frozen=True)
class Block:
    """One fenced block of a page.

    Attributes:
        page: the page's path from the repository root.
        line: the line of the opening fence, counted from 1.
        language: the fence's language (``sh``, ``python``...), empty when none.
        body: the block's text, its indentation removed.
    """

    page: str
    line: int
    language: str
    body: str


def blocks(page: Path) -> list[Block]:
    """Every fenced block of ``page``, in order."""
    text = page.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        indent = len(match.group("indent"))
        body = "\n".join(line[indent:] for line in match.group("body").splitlines())
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(page_name(page), line, match.group("language"), body))
    return found


def sections(text: str, level: int) -> dict[str, str]:
    """The text under each heading of ``level`` (``##`` is 2), by heading, up to the next
    heading of that level or higher. A heading given twice is kept twice, as ``title``
    and ``title (2)``, so that a test can see the duplicate."""
    heading = re.compile(rf"^(#{{1,{level}}}) (.+?)\s*$", re.M)
    found: dict[str, str] = {}
    matches = list(heading.finditer(text))
    for index, match in enumerate(matches):
        if len(match.group(1)) != level:
            continue
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        title = match.group(2)
        key, count = title, 2
        while key in found:
            key, count = f"{title} ({count})", count + 1
        found[key] = text[match.end() : end]
    return found


@cache
def site_hooks() -> ModuleType:
    """``docs/hooks.py``, the site's generators, loaded as mkdocs loads it."""
    spec = importlib.util.spec_from_file_location("partage_docs_hooks", DOCS / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the commands a page shows -------------------------------------------------------------
@dataclass(frozen=True)
class Shown:
    """One command as a page shows it.

    Attributes:
        page: the page's path from the repository root.
        line: the line it starts on, counted from 1.
        text: the command, its continuation lines joined and its comment removed.
        status: the exit status the page announces for it ("# exit status 1: ..."), 0
            when it announces none.
    """

    page: str
    line: int
    text: str
    status: int


ANNOUNCED_STATUS = re.compile(r"^exit status (\d+)\b")


def split_comment(line: str) -> tuple[str, str]:
    """``(command, comment)`` of a shell line: the comment starts at a ``#`` outside
    quotes that begins a word."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index].rstrip(), line[index + 1 :].strip()
    return line.rstrip(), ""


def shown_commands(page: Path) -> list[Shown]:
    """Every command of the page's shell blocks, in order. In a ``console`` block the
    commands are the lines after a ``$`` prompt; in the others, every line but blank
    lines and comments."""
    found = []
    for block in blocks(page):
        if block.language not in SHELL_LANGUAGES:
            continue
        lines = block.body.splitlines()
        index = 0
        while index < len(lines):
            start, raw = index, lines[index]
            index += 1
            if block.language == "console":
                if not raw.startswith("$ "):
                    continue
                raw = raw[2:]
            command, comment = split_comment(raw)
            while command.endswith("\\") and index < len(lines):
                more, comment = split_comment(lines[index])
                command = f"{command[:-1].rstrip()} {more.strip()}"
                index += 1
            if not command.strip():
                continue
            announced = ANNOUNCED_STATUS.match(comment)
            status = int(announced.group(1)) if announced else 0
            found.append(Shown(block.page, block.line + 1 + start, command.strip(), status))
    return found
