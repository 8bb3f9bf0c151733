"""Declaration files a country writes: amounts as declarations print them, and the
documented JSON equivalent of a schema not available offline.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from partage.core.contract.documents import DeclarationFile


def two_decimals(value: Decimal) -> str:
    """An amount as declarations print it: a string with exactly two decimals."""
    return f"{value:.2f}"


def json_declaration(kind: str, filename: str, data: dict[str, Any]) -> DeclarationFile:
    """A declaration whose official schema is not available offline, written as its
    documented JSON equivalent (UTF-8, indented, non-ASCII kept)."""
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return DeclarationFile(kind, "json", filename, content)
