"""The hook contract documents itself: every spec says who calls it, when, what it
returns and in which unit (the shape of pytest's own hookspec docstrings)."""

from __future__ import annotations

import inspect
import re

import pytest

from partage.core.contract import hookspecs

SPECS = sorted(
    name
    for name, obj in vars(hookspecs).items()
    if name.startswith("partage_") and inspect.isfunction(obj)
)


def test_api_version_is_major_dot_minor() -> None:
    assert re.fullmatch(r"\d+\.\d+", hookspecs.HOOK_API_VERSION)


def test_every_hook_family_of_the_architecture_is_present() -> None:
    families = {
        "identity and branding": "partage_country_identity",
        "branding": "partage_country_brand",
        "calendars": "partage_public_holidays",
        "identifiers": "partage_validate_identifier",
        "tax": "partage_vat_treatment",
        "accounting": "partage_chart_of_accounts",
        "payroll": "partage_payslip",
        "insurance": "partage_insurance_policies",
        "sectors": "partage_validate_act",
    }
    assert set(families.values()) <= set(SPECS)


@pytest.mark.parametrize("name", SPECS)
def test_every_spec_is_marked_and_documented(name: str) -> None:
    spec = getattr(hookspecs, name)
    assert hasattr(spec, "partage_spec"), f"{name} lacks @hookspec"
    doc = " ".join((inspect.getdoc(spec) or "").split())
    assert "Used by:" in doc, f"{name}: docstring must say which service calls it"
    assert "Returns" in doc, f"{name}: docstring must say what it returns"
    assert "Added in" in doc, f"{name}: docstring must say when it was added"
    for parameter in inspect.signature(spec).parameters:
        assert f":param {parameter}:" in doc, f"{name}: parameter {parameter} undocumented"
    firstresult = spec.partage_spec["firstresult"]
    assert ("Stops at the first non-None result" in doc) == firstresult, name


@pytest.mark.parametrize("name", SPECS)
def test_every_spec_is_fully_typed(name: str) -> None:
    signature = inspect.signature(getattr(hookspecs, name))
    assert signature.return_annotation is not inspect.Signature.empty, name
    assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values())
