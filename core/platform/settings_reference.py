"""The configuration reference, generated from the settings' validators.

Why generated: the rules that check the configuration (:data:`.settings_rules.RULES`)
carry each setting's description, so the reference cannot drift from what is checked.
The documentation site calls :func:`markdown`; :func:`rows` gives the same as data.
Defaults are read from the shipped ``settings.toml`` and ``network.toml`` through the
same loading as a run's (:func:`.config.load_layers`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from partage.core.platform.config import default_config_dir, load_layers
from partage.core.platform.settings_engine import Validator
from partage.core.platform.settings_rules import RULES, Rule

#: Where a setting without a shipped default is set, by its top-level table.
_SET_IN = {"instance": "instances/<code>.toml", "network": "network.toml"}


class Row(NamedTuple):
    """One setting of the reference.

    Attributes:
        key: the setting's full name; ``[]`` stands for every item of a list of tables,
            ``<name>`` for every entry of a table.
        rule: what the value must be, and whether it may be left out.
        default: the shipped default, as TOML writes it; ``""`` when there is none (or
            it is a list of tables, such as the shipped contract's franchisees).
        layer: the file the default lives in, else the file that sets the setting.
        description: what the setting is for.
    """

    key: str
    rule: str
    default: str
    layer: str
    description: str


def _when(condition: Validator) -> str:
    name = condition.names[0]
    words = []
    for operation, operand in condition.operations.items():
        if operation == "eq":
            words.append(f"{name} is {operand}")
        elif operation == "is_in":
            words.append(f"{name} is {' or '.join(operand)}")
    return " and ".join(words)


def _rule_words(rule: Rule) -> str:
    if rule.when is not None:
        return f"{rule.shape.words}; required when {_when(rule.when)}"
    return rule.shape.words if rule.required else f"{rule.shape.words}; optional"


def _found(values: dict[str, Any], key: str) -> tuple[bool, Any]:
    node: Any = values
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def rows() -> list[Row]:
    """Every setting, in the order of :data:`.settings_rules.RULES`."""
    shipped = default_config_dir()
    values, sources = load_layers([shipped / "settings.toml", shipped / "network.toml"])
    table: list[Row] = []
    for rule in RULES:
        plain = "[" not in rule.key and "<" not in rule.key
        found, value = _found(values, rule.key) if plain else (False, None)
        if found:  # a list of tables is the contract's, not a default: its file is named
            tables = isinstance(value, list) and all(isinstance(v, dict) for v in value)
            default = "" if tables else json.dumps(value, ensure_ascii=False)
            layer = Path(sources[rule.key.lower()]).name
        else:
            default = ""
            layer = _SET_IN.get(rule.key.partition(".")[0], "settings.toml")
        table.append(Row(rule.key, _rule_words(rule), default, layer, rule.description))
    return table


def _cell(text: str, *, code: bool = False) -> str:
    """A table cell's text: pipes escaped, and outside code ``<`` too (not a tag)."""
    text = text.replace("|", "\\|").replace("\n", " ")
    return f"`{text}`" if code else text.replace("<", "&lt;")


def markdown() -> str:
    """The reference as a Markdown table, one row per setting."""
    lines = [
        "| Setting | Value | Default | Set in | What it is |",
        "|---|---|---|---|---|",
    ]
    for row in rows():
        default = _cell(row.default, code=True) if row.default else ""
        lines.append(
            f"| {_cell(row.key, code=True)} | {_cell(row.rule)} | {default} "
            f"| {_cell(row.layer, code=True)} | {_cell(row.description)} |"
        )
    return "\n".join(lines) + "\n"
