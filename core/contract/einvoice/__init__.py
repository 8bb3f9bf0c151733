"""E-invoices as the EN 16931 standard writes them: UBL 2.1 (Peppol BIS Billing 3.0) and
UN/CEFACT CII (Factur-X), both ways, and the business rules a document's own data can
break before any file is written. Country plugins build their e-invoice from these.

The three modules are imported on first use (PEP 562): ``ubl`` and ``cii`` load lxml,
which a plugin being registered or listed does not need yet.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partage.core.contract.einvoice import cii, rules, ubl

__all__ = ["cii", "rules", "ubl"]


def __getattr__(name: str) -> object:
    """The submodule ``name``, imported on first use."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return importlib.import_module(f"{__name__}.{name}")
