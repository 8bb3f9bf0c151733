"""The contract's names are imported on first use: ``__all__``, the table of homes and
the ``TYPE_CHECKING`` block that type checkers read must name the same things, and each
name must be the object its home module defines."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import partage.core.contract as contract
from partage.core.contract import einvoice

PACKAGE = "partage.core.contract"


def type_checking_imports() -> dict[str, str]:
    """Each name the ``if TYPE_CHECKING:`` block of the contract's ``__init__`` imports,
    with the module it imports it from."""
    tree = ast.parse(Path(contract.__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    found = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module is not None
        for alias in node.names:
            found[alias.asname or alias.name] = node.module
    return found


def test_all_the_homes_and_the_type_checking_block_name_the_same_things() -> None:
    homes = {name: f"{PACKAGE}.{module}" for name, module in contract._HOME.items()}
    homes |= {name: PACKAGE for name in contract._SUBMODULES}
    assert sorted(contract.__all__) == sorted(homes)
    assert type_checking_imports() == homes


@pytest.mark.parametrize("name", contract.__all__)
def test_each_name_is_the_object_its_home_defines(name: str) -> None:
    if name in contract._SUBMODULES:
        assert getattr(contract, name) is importlib.import_module(f"{PACKAGE}.{name}")
    else:
        home = importlib.import_module(f"{PACKAGE}.{contract._HOME[name]}")
        assert getattr(contract, name) is getattr(home, name)
    assert name in dir(contract)


def test_a_name_the_contract_does_not_export_is_an_attribute_error() -> None:
    missing = "Ledger"
    with pytest.raises(AttributeError, match="has no attribute 'Ledger'"):
        getattr(contract, missing)
    with pytest.raises(ImportError, match="Ledger"):
        exec("from partage.core.contract import Ledger", {})


def test_the_e_invoice_modules_are_imported_on_first_use() -> None:
    assert einvoice.ubl is importlib.import_module(f"{PACKAGE}.einvoice.ubl")
    assert einvoice.cii.write is importlib.import_module(f"{PACKAGE}.einvoice.cii").write
    assert einvoice.rules.Finding.__module__ == f"{PACKAGE}.einvoice.rules"
    missing = "xrechnung"
    with pytest.raises(AttributeError, match="has no attribute 'xrechnung'"):
        getattr(einvoice, missing)
