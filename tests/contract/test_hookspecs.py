"""The hook contract documents itself: every spec says who calls it, when, what it
returns and in which unit (the shape of pytest's own hookspec docstrings), and declares
its status, which the core's default plugin, the registry and the conformance suite
follow."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from types import ModuleType

import pytest

from partage.core.contract import hookspecs
from partage.core.contract.hook_status import ChangeKind, HookDeprecationWarning, HookStatus
from partage.core.platform import defaults

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


#: How each status reads in a spec's docstring.
STATUS_WORDING = {
    HookStatus.REQUIRED: "Required.",
    HookStatus.DEFAULTED: "Defaulted: the core's default plugin",
    HookStatus.OPTIONAL: "Optional: without an answer",
    HookStatus.SECTOR: "sector",
}
#: How a spec's docstring says what a version did to it.
CHANGE_WORDING = {ChangeKind.SIGNATURE: "changed", ChangeKind.DEPRECATED: "deprecated"}
REFERENCE = re.compile(r":(?:mod|func|class|meth|data):`~?([\w.]+)`")


def test_spec_names_lists_every_spec() -> None:
    assert hookspecs.spec_names() == SPECS


@pytest.mark.parametrize("name", SPECS)
def test_every_spec_declares_its_status(name: str) -> None:
    spec = getattr(hookspecs, name)
    assert isinstance(getattr(spec, hookspecs.STATUS_ATTRIBUTE, None), HookStatus), (
        f"{name} declares no status: decorate it with @status(REQUIRED|DEFAULTED|OPTIONAL|SECTOR)"
    )
    found = hookspecs.status_of(name)
    country = spec.partage_spec["firstresult"]
    assert (found is not HookStatus.SECTOR) == country, (
        f"{name}: a country hook (firstresult) is required, defaulted or optional; a sector "
        f"hook (every sector answers) is SECTOR; it is {found}"
    )
    doc = " ".join((inspect.getdoc(spec) or "").split())
    assert STATUS_WORDING[found] in doc, f"{name} is {found}: its docstring must say so"


def test_status_of_an_unknown_hook_names_it() -> None:
    with pytest.raises(KeyError, match="partage_nothing"):
        hookspecs.status_of("partage_nothing")


def test_statuses_partition_the_hooks() -> None:
    groups = [hookspecs.hooks_of(status) for status in HookStatus]
    assert sorted(name for group in groups for name in group) == SPECS
    assert "partage_payslip" in hookspecs.hooks_of(HookStatus.REQUIRED)
    assert "partage_payment_reference" in hookspecs.hooks_of(HookStatus.DEFAULTED)
    assert "partage_public_holidays" in hookspecs.hooks_of(HookStatus.OPTIONAL)


def test_the_default_plugin_answers_exactly_the_defaulted_hooks_last() -> None:
    answered = {
        name: getattr(defaults, name).partage_impl
        for name in dir(defaults)
        if name.startswith("partage_") and hasattr(getattr(defaults, name), "partage_impl")
    }
    assert set(answered) == hookspecs.hooks_of(HookStatus.DEFAULTED)
    assert all(options["trylast"] for options in answered.values()), answered


def test_the_default_plugin_imports_the_contract_only() -> None:
    tree = ast.parse(inspect.getsource(defaults))
    imported = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("partage")
    ]
    imported += [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith("partage")
    ]
    assert imported and all(m.startswith("partage.core.contract") for m in imported), imported


def _module_of(reference: str) -> ModuleType:
    """The module a dotted reference lives in (the longest importable prefix)."""
    parts = reference.split(".")
    for end in range(len(parts), 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        target: object = module
        for attribute in parts[end:]:
            target = getattr(target, attribute)  # AttributeError: the reference is stale
        return module
    raise ImportError(reference)


@pytest.mark.parametrize("name", SPECS)
def test_used_by_names_a_real_caller(name: str) -> None:
    doc = " ".join((inspect.getdoc(getattr(hookspecs, name)) or "").split())
    used_by = doc.split("Used by:", 1)[1]
    references = REFERENCE.findall(used_by)
    assert references, f"{name}: 'Used by:' must name its callers (:mod:, :func:...)"
    callers = []
    for reference in references:
        try:
            module = _module_of(reference)
        except (ImportError, AttributeError):
            pytest.fail(f"{name}: 'Used by:' names {reference}, which does not exist")
        if f"hook.{name}" in inspect.getsource(module):
            callers.append(reference)
    assert callers, f"{name}: none of {references} calls the hook"


def test_every_change_names_a_spec_of_a_version_this_core_has_reached() -> None:
    core = tuple(int(part) for part in hookspecs.HOOK_API_VERSION.split("."))
    for change in hookspecs.CHANGES:
        assert change.hook in SPECS, f"{change}: no such hook"
        assert tuple(int(part) for part in change.version.split(".")) <= core, str(change)
        doc = " ".join((inspect.getdoc(getattr(hookspecs, change.hook)) or "").split())
        said = f"{CHANGE_WORDING[change.kind]} in {change.version}"
        assert said in doc, f"{change.hook}: its docstring must say it was {said}"


def test_a_signature_change_is_a_major_version() -> None:
    for change in hookspecs.CHANGES:
        if change.kind is ChangeKind.SIGNATURE:
            assert change.version.endswith(".0"), f"{change}: a signature change is a major bump"


@pytest.mark.parametrize("name", SPECS)
def test_exactly_the_deprecated_specs_warn_their_implementations(name: str) -> None:
    warning = getattr(hookspecs, name).partage_spec["warn_on_impl"]
    deprecated = [
        c for c in hookspecs.CHANGES if c.hook == name and c.kind is ChangeKind.DEPRECATED
    ]
    assert (warning is not None) == bool(deprecated), name
    if warning is not None:
        assert isinstance(warning, HookDeprecationWarning)
        assert str(warning) == str(deprecated[0]) and name in str(warning)


def test_changes_since_a_version_are_those_it_predates() -> None:
    assert hookspecs.changes_since(hookspecs.HOOK_API_VERSION) == ()
    since_one = hookspecs.changes_since("1.1")
    assert {c.hook for c in since_one} >= {
        "partage_social_declaration",
        "partage_payslip_extra_lines",
    }
    assert hookspecs.changes_since("1.1", target="1.9") == ()
