"""The plugin registry: discovery through entry points, hook API versions, one country
per instance — proven with plugins the tests register themselves."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from partage.core.contract.errors import PluginError
from partage.core.contract.hookspecs import HOOK_API_VERSION, hookimpl
from partage.core.platform.registry import PluginKind, PluginRegistry, check_api_version
from tests.conftest import CountryPlugin, SectorPlugin


def make_distribution(root: Path, dist: str, version: str, group: str, name: str, api: str) -> None:
    """Install a tiny distribution on ``root``: a module and its dist-info entry point."""
    module = f"{dist}_plugin"
    (root / f"{module}.py").write_text(
        textwrap.dedent(f'''
        from partage.core.contract.hookspecs import hookimpl
        from partage.core.contract import CountryIdentity

        PARTAGE_HOOK_API = "{api}"

        @hookimpl
        def partage_country_identity():
            return CountryIdentity("{name}", "Plugland", "CHF", "de_CH", ("de",), "Genossenschaft")
        ''')
    )
    info = root / f"{dist}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[{group}]\n{name} = {module}\n")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.endswith("_plugin")]:
        del sys.modules[name]


def test_entry_points_are_discovered_with_distribution_and_version(site: Path) -> None:
    make_distribution(site, "partage_country_ch", "1.2.3", "partage.countries", "ch", "2.0")
    registry = PluginRegistry()
    info = registry.get(PluginKind.COUNTRY, "ch")
    assert (info.distribution, info.version, info.api_version) == (
        "partage_country_ch",
        "1.2.3",
        "2.0",
    )
    assert {"be", "fr", "ch"} <= set(registry.names(PluginKind.COUNTRY))
    identity = registry.manager("ch").hook.partage_country_identity()
    assert identity.currency == "CHF"


def test_plugin_of_another_major_version_is_refused_naming_both(site: Path) -> None:
    make_distribution(site, "partage_country_xy", "0.1", "partage.countries", "xy", "1.1")
    with pytest.raises(PluginError) as refused:
        PluginRegistry()
    message = str(refused.value)
    assert "'xy'" in message and "1.1" in message and HOOK_API_VERSION in message
    assert "major versions differ" in message


def test_autoload_switch_keeps_registry_hermetic(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_distribution(site, "partage_country_xy", "0.1", "partage.countries", "xy", "1.1")
    monkeypatch.setenv("PARTAGE_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert PluginRegistry().plugins() == []


@pytest.mark.parametrize(
    ("declared", "fragment"),
    [
        (None, "does not declare PARTAGE_HOOK_API"),
        ("one", "is not a '<major>.<minor>' version"),
        ("0.9", "major versions differ"),
        ("1.99", "upgrade the core"),
    ],
)
def test_api_version_rules(declared: object, fragment: str) -> None:
    with pytest.raises(PluginError, match=fragment):
        check_api_version("demo", declared, core="1.0")


def test_same_major_older_minor_is_accepted() -> None:
    assert check_api_version("demo", "1.0", core="1.3") == "1.0"


def test_exactly_one_country_serves_an_instance(registry: PluginRegistry) -> None:
    pm = registry.manager("zz", ["couriers"])
    countries = [name for name, _ in pm.list_name_plugin() if name.startswith("country:")]
    assert countries == ["country:zz"]
    assert pm.hook.partage_country_identity().code == "zz"


def test_unknown_plugins_are_refused_with_the_known_ones(registry: PluginRegistry) -> None:
    with pytest.raises(PluginError, match=r"unknown country plugin 'qq' \(known: be, fr, zz\)"):
        registry.manager("qq")
    with pytest.raises(PluginError, match=r"unknown sector plugin 'bakers' \(known: couriers\)"):
        registry.manager("zz", ["bakers"])


def test_misspelt_hook_fails_loudly(registry: PluginRegistry) -> None:
    class Misspelt(SectorPlugin):
        @hookimpl
        def partage_validate_akt(self, act: object) -> None:
            return None

    registry.add(Misspelt(), name="typo", kind=PluginKind.SECTOR)
    with pytest.raises(PluginError, match="partage_validate_akt"):
        registry.manager("zz", ["typo"])


def test_wrong_hook_arguments_fail_at_registration(registry: PluginRegistry) -> None:
    class WrongArgs(SectorPlugin):
        @hookimpl
        def partage_validate_act(self, action: object) -> None:
            return None

    registry.add(WrongArgs(), name="wrongargs", kind=PluginKind.SECTOR)
    with pytest.raises(PluginError, match="wrongargs"):
        registry.manager("zz", ["wrongargs"])


def test_same_name_twice_is_refused(registry: PluginRegistry) -> None:
    with pytest.raises(PluginError, match="registered twice"):
        registry.add(CountryPlugin("zz"), name="zz", kind=PluginKind.COUNTRY, distribution="other")


def test_sector_hooks_collect_every_enabled_sector(registry: PluginRegistry) -> None:
    from partage.core.contract.sectors import ReviewQuestion

    class Asks(SectorPlugin):
        def __init__(self, code: str) -> None:
            self.code = code

        @hookimpl
        def partage_review_questions(self) -> list[ReviewQuestion]:
            return [ReviewQuestion(self.code, f"question of {self.code}")]

    registry.add(Asks("a"), name="alpha", kind=PluginKind.SECTOR)
    registry.add(Asks("b"), name="beta", kind=PluginKind.SECTOR)
    answers = registry.manager("zz", ["alpha", "beta"]).hook.partage_review_questions()
    assert sorted(q.code for batch in answers for q in batch) == ["a", "b"]
    only_alpha = registry.manager("zz", ["alpha"]).hook.partage_review_questions()
    assert [q.code for batch in only_alpha for q in batch] == ["a"]


def test_reference_countries_are_registered_by_the_distribution() -> None:
    registry = PluginRegistry()
    for code in ("be", "fr"):
        info = registry.get(PluginKind.COUNTRY, code)
        assert info.distribution == "partage"
        assert registry.manager(code).hook.partage_country_identity().code == code


def test_the_core_default_plugin_answers_after_the_country(registry: PluginRegistry) -> None:
    from partage.core.contract.tax import VatTreatmentKind
    from partage.core.platform import defaults

    pm = registry.manager("zz", ["couriers"])
    assert pm.get_plugin(defaults.NAME) is defaults
    hook = pm.hook
    assert hook.partage_payment_reference(invoice_id=7, number="F2026-000123") == (
        "RF86 F202 6000 123"
    )
    kind = VatTreatmentKind.INTRA_EU_REVERSE_CHARGE
    assert hook.partage_einvoice_vat_category(vat_code="x", kind=kind, rate=0) == "AE"

    class Structured(CountryPlugin):
        @hookimpl
        def partage_payment_reference(self, invoice_id: int, number: str) -> str:
            return f"+++{invoice_id:03d}+++"

    registry.add(Structured("qq"), name="qq", kind=PluginKind.COUNTRY)
    assert registry.manager("qq").hook.partage_payment_reference(invoice_id=7, number="F1") == (
        "+++007+++"
    )


def test_an_instance_refuses_a_country_without_its_required_hooks(
    registry: PluginRegistry,
) -> None:
    assert registry.manager("zz").hook.partage_country_identity().code == "zz"
    with pytest.raises(PluginError) as refused:
        registry.instance_manager("zz")
    message = str(refused.value)
    assert message.startswith("country plugin 'zz' ((local)) does not implement the required")
    assert "partage_payslip" in message and "partage_vat_rates" in message
    assert "partage_country_identity" not in message and "partage_public_holidays" not in message


def test_the_reference_countries_implement_every_required_hook() -> None:
    registry = PluginRegistry()
    for code in ("be", "fr"):
        assert registry.instance_manager(code).hook.partage_country_identity().code == code


def test_an_implementation_of_a_deprecated_hook_warns_and_still_runs(
    registry: PluginRegistry,
) -> None:
    from datetime import date
    from decimal import Decimal

    from partage.core.contract.hook_status import HookDeprecationWarning
    from partage.core.contract.payroll import EmploymentContract, Payslip, PayslipLine, Period

    bonus = PayslipLine("bonus", "Bonus", "employer", Decimal(0), None, Decimal("10.00"))

    class Lines(SectorPlugin):
        @hookimpl
        def partage_payslip_extra_lines(
            self, contract: EmploymentContract, period: Period, payslip: Payslip
        ) -> list[PayslipLine]:
            return [bonus]

    registry.add(Lines(), name="bonus", kind=PluginKind.SECTOR)
    with pytest.warns(HookDeprecationWarning) as warned:
        pm = registry.manager("zz", ["bonus"])
    assert str(warned[0].message).startswith(
        "partage_payslip_extra_lines: deprecated in 2.0: removed in 3.0"
    )
    assert "partage_paid_hours" in str(warned[0].message)
    month = Period(date(2026, 7, 1), date(2026, 7, 31))
    slip = Payslip(month, Decimal(100), (), Decimal(0), Decimal(100), Decimal(100))
    terms = EmploymentContract("employee", month.start, monthly_gross=Decimal(100))
    answers = pm.hook.partage_payslip_extra_lines(contract=terms, period=month, payslip=slip)
    assert answers == [[bonus]]
