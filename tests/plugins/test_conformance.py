"""The conformance suite (``partage.testing``): Belgium and France pass it, the country
of ``PARTAGE_INSTANCE`` passes it and runs its demo (the cross-country matrix sets it),
and a plugin that breaks a contract fails the check for that contract, named."""

from __future__ import annotations

import os
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest

from partage.core.cli.main import main
from partage.core.contract.identity import IdentifierKind
from partage.core.platform.runtime import load_config
from partage.testing import ConformanceSuite, CountryExamples
from tests.conftest import _pg_unavailable_reason

pytest_plugins = ("pytester",)

BELGIUM = CountryExamples(
    valid={
        IdentifierKind.PERSON: ("85.07.30-033.28",),
        IdentifierKind.IBAN: ("BE68 5390 0754 7034", "FR14 2004 1010 0505 0001 3M02 606"),
        IdentifierKind.VAT: ("be 0403.019.261",),
        IdentifierKind.COMPANY: ("0403019261",),
    },
    invalid={
        IdentifierKind.PERSON: ("8507300332", "85073003327"),
        IdentifierKind.IBAN: ("BE68539007547035", "  "),
        IdentifierKind.VAT: ("BE0403019262", "FR40303265045"),
        IdentifierKind.COMPANY: ("1403019261",),
    },
    month=date(2026, 6, 1),
    worker_category="employee",
    typical_monthly_gross=Decimal("3500"),
    # The indexed copyright brackets are sourced up to income year 2024.
    copyright_day=date(2024, 6, 1),
)
FRANCE = CountryExamples(
    valid={
        IdentifierKind.PERSON: ("2 95 10 99 126 111 93",),
        IdentifierKind.IBAN: ("FR76 3000 6000 0112 3456 7890 189",),
        IdentifierKind.VAT: ("FR 40 303 265 045",),
        IdentifierKind.COMPANY: ("732 829 320", "732 829 320 00074"),
    },
    invalid={
        IdentifierKind.PERSON: ("295109912611192",),
        IdentifierKind.IBAN: ("FR7630006000011234567890188",),
        IdentifierKind.VAT: ("FR41303265045", "US123456789"),
        IdentifierKind.COMPANY: ("732829321",),
    },
    month=date(2026, 6, 1),
    worker_category="non_cadre",
    typical_monthly_gross=Decimal("2800"),
)
REFERENCE = {"be": BELGIUM, "fr": FRANCE}
INSTANCE = os.environ.get("PARTAGE_INSTANCE")


class TestBelgium(ConformanceSuite):
    country = "be"
    examples = BELGIUM


class TestFrance(ConformanceSuite):
    country = "fr"
    examples = FRANCE
    declined: ClassVar[dict[str, str]] = {
        "partage_copyright_taxation": "France withholds no tax on copyright cessions: the "
        "author declares the income (see the plugin's docstring)",
        "partage_contract_end_cost": "the French end-of-contract pay (indemnité de fin de "
        "contrat, C. trav. L1243-8; indemnité compensatrice de congés payés, L3141-28) is "
        "not computed yet: a French contract's end adds nothing to its reserved cost",
    }


def instance_country() -> str:
    """The country plugin of the ``PARTAGE_INSTANCE`` instance ('' when none is chosen)."""
    return load_config(INSTANCE).instance.country_plugin if INSTANCE else ""


if INSTANCE:  # the cross-country matrix: each cell names its instance

    class TestInstanceCountry(ConformanceSuite):
        """The instance's country, whichever it is: the reference examples for BE and FR,
        the package's own ``data/conformance.toml`` for any other."""

        country = instance_country()
        examples = REFERENCE.get(country)
        declined = TestFrance.declined if country == "fr" else {}


def test_the_instance_country_runs_the_demo(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``partage --instance <code> demo`` on each backend, for ``PARTAGE_INSTANCE`` (BE
    when it is not set)."""
    code = INSTANCE or "be"
    try:
        main(["--instance", code, "--database-url", database_url, "demo", "--members", "5"])
    except SystemExit as done:
        assert done.code in (0, None), capsys.readouterr().err
    out = capsys.readouterr().out
    identity_line = next(line for line in out.splitlines() if line.startswith("Country plugin"))
    assert f"Instance {code}:" in out and "Schema: migrated from empty" in out
    assert identity_line.startswith(f"Country plugin {load_config(code).instance.country_plugin} ")


# --- the suite fails what breaks a contract ------------------------------------------------
BROKEN = {
    "chart_without_bank": (
        """
        @hookimpl
        def partage_chart_of_accounts():
            chart = belgium.partage_chart_of_accounts()
            return replace(chart, roles=tuple(r for r in chart.roles if r[0].value != "bank"))
        """,
        "test_chart_maps_every_posting_role_to_one_of_its_accounts",
        "posting roles without an account: ['bank']",
    ),
    "vat_rate_above_one": (
        """
        @hookimpl
        def partage_vat_rates(on):
            rates = belgium.partage_vat_rates(on)
            return (replace(rates[0], rate=Decimal("1.21")), *rates[1:])
        """,
        "test_standard_rate_is_in_force_on_every_date_from_the_earliest",
        "rate standard = 1.21 must be a fraction in [0, 1)",
    ),
    "reverse_charge_without_mention": (
        """
        @hookimpl
        def partage_vat_treatment(line):
            return replace(belgium.partage_vat_treatment(line), legal_mention=None)
        """,
        "test_exempt_and_reverse_charge_sales_print_their_legal_mention",
        "sale must give the legal mention the invoice prints",
    ),
    "employer_cost_without_contributions": (
        """
        @hookimpl
        def partage_payslip(contract, period):
            slip = belgium.partage_payslip(contract, period)
            return replace(slip, employer_cost=slip.gross)
        """,
        "test_payslip_net_gross_and_employer_cost_are_ordered_and_add_up",
        "!= gross + employer contributions",
    ),
    "inverse_one_cent_short": (
        """
        @hookimpl
        def partage_gross_for_employer_cost(contract, period, employer_cost):
            found = belgium.partage_gross_for_employer_cost(contract, period, employer_cost)
            return found - Decimal("0.01")
        """,
        "test_gross_for_employer_cost_round_trips_to_the_minor_unit",
        "gross 35.00 fits that budget",
    ),
    "everything_is_a_valid_identifier": (
        """
        @hookimpl
        def partage_validate_identifier(kind, value):
            return IdentifierCheck(True, value)
        """,
        "test_invalid_identifiers_are_refused_naming_the_check",
        "is an invalid example but was accepted",
    ),
    "copyright_hook_missing": (
        "del plugin.partage_copyright_taxation",
        "test_hook_is_implemented_or_deliberately_declined",
        "partage_copyright_taxation is not implemented by plugin 'be'",
    ),
    "declined_without_reason": (
        """
        @hookimpl
        def partage_copyright_taxation(amount, on, earlier_this_year):
            return None
        """,
        "test_hook_is_implemented_or_deliberately_declined",
        "partage_copyright_taxation returned None without saying why",
    ),
    "required_hook_missing": (
        "del plugin.partage_vat_rates",
        "test_hook_is_implemented_or_deliberately_declined",
        "partage_vat_rates is not implemented by plugin 'be': it is required",
    ),
    "defaulted_hook_declined": (
        'plugin.PARTAGE_DECLINED_HOOKS = {"partage_payment_reference": "we print none"}',
        "test_declined_hooks_are_known_optional_and_explained",
        "partage_payment_reference has a core default: leave it unimplemented",
    ),
    "payslip_net_one_cent_high": (
        """
        @hookimpl
        def partage_payslip(contract, period):
            slip = belgium.partage_payslip(contract, period)
            return replace(slip, net=slip.net + Decimal("0.01"))
        """,
        "test_books_balance_after_a_scripted_month",
        "the scripted month stopped at 'pay the month's payslip'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_suite_fails_a_broken_contract_naming_it(pytester: pytest.Pytester, case: str) -> None:
    override, selected, message = BROKEN[case]
    pytester.makepyfile(
        test_broken=textwrap.dedent(
            """
            import types
            from dataclasses import replace
            from decimal import Decimal

            import partage.plugins.belgium as belgium
            from partage.core.contract import IdentifierCheck
            from partage.core.contract.hookspecs import hookimpl
            from partage.testing import ConformanceSuite
            from tests.plugins.test_conformance import BELGIUM

            plugin = types.ModuleType("brokenland")
            plugin.__file__ = belgium.__file__
            plugin.PARTAGE_HOOK_API = "2.0"
            for name in dir(belgium):
                if name.startswith("partage_"):
                    setattr(plugin, name, getattr(belgium, name))
            """
        )
        + textwrap.dedent(override)
        + textwrap.dedent(
            """
            for name, value in list(globals().items()):
                if name.startswith("partage_") and callable(value):
                    setattr(plugin, name, value)


            class TestBroken(ConformanceSuite):
                country = "be"
                plugin = plugin
                examples = BELGIUM
            """
        )
    )
    result = pytester.runpytest("-p", "no:cacheprovider", f"test_broken.py::TestBroken::{selected}")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) >= 1, result.stdout.str()
    assert message in result.stdout.str()


def test_a_plugin_without_examples_is_told_where_to_give_them(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_bare="""
        import partage.plugins.belgium as belgium
        from partage.testing import ConformanceSuite

        class TestBare(ConformanceSuite):
            country = "be"
            plugin = belgium
        """
    )
    test = "test_bare.py::TestBare::test_domestic_sales_charge_the_rate_in_force"
    result = pytester.runpytest("-p", "no:cacheprovider", test)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*ship data*conformance.toml in the plugin package*"])


def test_unsourced_parameters_fail_the_parameter_check(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    folder = tmp_path / "plugin"
    (folder / "data" / "parameters").mkdir(parents=True)
    (folder / "data" / "parameters" / "rate.toml").write_text(
        'description = "A rate"\nunit = "rate"\n\n[[values]]\nfrom = 2026-01-01\nvalue = 0.2\n'
    )
    pytester.makepyfile(
        test_unsourced=f"""
        import types
        import partage.plugins.belgium as belgium
        from partage.testing import ConformanceSuite
        from tests.plugins.test_conformance import BELGIUM

        plugin = types.ModuleType("unsourced")
        plugin.__file__ = {str(folder / "__init__.py")!r}
        plugin.PARTAGE_HOOK_API = "2.0"
        plugin.partage_country_identity = belgium.partage_country_identity

        class TestUnsourced(ConformanceSuite):
            country = "be"
            plugin = plugin
            examples = BELGIUM
        """
    )
    test = "test_unsourced.py::TestUnsourced::test_parameters_are_dated_and_sourced"
    result = pytester.runpytest("-p", "no:cacheprovider", test)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*'reference' to the legal source is required*"])


def test_the_scripted_month_runs_on_the_backends_asked_for(pytester: pytest.Pytester) -> None:
    reason = _pg_unavailable_reason()
    if reason:
        pytest.skip(reason)
    pytester.makepyfile(
        test_month="""
        from partage.testing import ConformanceSuite
        from tests.plugins.test_conformance import BELGIUM

        class TestMonth(ConformanceSuite):
            country = "be"
            examples = BELGIUM
        """
    )
    test = "test_month.py::TestMonth::test_books_balance_after_a_scripted_month"
    result = pytester.runpytest(
        "-p", "no:cacheprovider", test, "--partage-backends", "sqlite,postgresql"
    )
    result.assert_outcomes(passed=2)
    result.stdout.no_fnmatch_line("*skipped*")
    refused = pytester.runpytest("-p", "no:cacheprovider", "--partage-backends", "oracle")
    assert refused.ret == pytest.ExitCode.USAGE_ERROR
    refused.stderr.fnmatch_lines(
        ["*--partage-backends / PARTAGE_TEST_BACKENDS: oracle not one of*"]
    )
