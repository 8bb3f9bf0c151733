"""A griffe extension that lets mkdocstrings render the core's docstrings as written.

The docstrings keep the Sphinx habits of the pluggy world (``:class:`~x.Y```,
``:param name: text``) inside Google-style sections (``Attributes:``). Markdown knows
neither: this rewrites each role as inline code (``~`` keeping the last name, as Sphinx
shows it) and a block of ``:param`` fields as an ``Args:`` section, so that the page
shows a parameter table instead of the raw markup. The source stays as it is, because
``help()`` and the editors read it there.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:class|func|mod|data|meth|attr|exc|obj):`(~?)([^`]+)`")
PARAM = re.compile(r"^:param (\w+):\s*(.*)$")


def plain_roles(text: str) -> str:
    """Each Sphinx role as inline code: ``:class:`~a.B``` reads `B`."""

    def code(found: re.Match[str]) -> str:
        short, target = found.groups()
        return f"`{target.rsplit('.', 1)[-1] if short else target}`"

    return ROLE.sub(code, text)


def param_fields(text: str) -> str:
    """The ``:param name: text`` fields (with their indented continuations) as one
    Google-style ``Args:`` section in the place of the first."""
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        found = PARAM.match(lines[index])
        if not found:
            out.append(lines[index])
            index += 1
            continue
        out.append("Args:")
        while index < len(lines) and (found := PARAM.match(lines[index])):
            out.append(f"    {found.group(1)}: {found.group(2)}")
            index += 1
            while index < len(lines) and lines[index].startswith(" ") and lines[index].strip():
                out.append(f"        {lines[index].strip()}")
                index += 1
    return "\n".join(out)


class SphinxRoles(griffe.Extension):
    """Rewrite every loaded docstring's Sphinx roles and ``:param`` fields."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = param_fields(plain_roles(obj.docstring.value))
