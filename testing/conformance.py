"""The conformance suite: does a country plugin honour every hook's contract?

A country package runs it with plain ``pytest`` from a test module of its own::

    from partage.testing import ConformanceSuite


    class TestConformance(ConformanceSuite):
        country = "lu"

Each check is one test whose failure message names the hook, the input and the rule.
The national facts the checks need come from the package's ``data/conformance.toml``
(see :mod:`partage.testing.examples`). The scripted month runs on every backend of
``--partage-backends`` (default: ``PARTAGE_TEST_BACKENDS``, else SQLite).

The checks stay in one module because they are one class a country subclasses whole:
they share its fixtures and helpers, and an author reads them hook by hook.
"""

from __future__ import annotations

import inspect
import random
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar, NoReturn

import pytest
from babel import Locale, UnknownLocaleError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from partage.core.contract import hookspecs
from partage.core.contract.accounting import AccountType, PostingRole
from partage.core.contract.errors import PartageError
from partage.core.contract.hookspecs import DEFAULTED, OPTIONAL, REQUIRED, added_in
from partage.core.contract.identity import IdentifierCheck, IdentifierKind, SampleData
from partage.core.contract.money import (
    MoneyError,
    from_minor,
    minor_exponent,
    round_money,
    to_minor,
)
from partage.core.contract.parameters import Parameters
from partage.core.contract.payroll import EmploymentContract, Payslip
from partage.core.contract.payslips import payroll_totals
from partage.core.contract.periods import Period
from partage.core.contract.tax import (
    ReturnBox,
    VatLineContext,
    VatMovement,
    VatTreatment,
    VatTreatmentKind,
)
from partage.core.platform.plugin_imports import check_package
from partage.testing.examples import CountryExamples
from partage.testing.mentions import MENTIONS_FILE, read_mentions
from partage.testing.month import run_month
from partage.testing.subject import Subject, plugin_folder

DECLINED_ATTRIBUTE = "PARTAGE_DECLINED_HOOKS"
#: The side of the books each posting role must sit on.
ROLE_TYPES: dict[PostingRole, frozenset[AccountType]] = {
    PostingRole.BANK: frozenset({AccountType.ASSET}),
    PostingRole.CASH: frozenset({AccountType.ASSET}),
    PostingRole.CLIENTS: frozenset({AccountType.ASSET}),
    PostingRole.VAT_DEDUCTIBLE: frozenset({AccountType.ASSET}),
    PostingRole.SUPPLIERS: frozenset({AccountType.LIABILITY}),
    PostingRole.VAT_COLLECTED: frozenset({AccountType.LIABILITY}),
    PostingRole.SOCIAL_CONTRIBUTIONS_PAYABLE: frozenset({AccountType.LIABILITY}),
    PostingRole.WITHHOLDING_PAYABLE: frozenset({AccountType.LIABILITY}),
    PostingRole.NET_PAY_PAYABLE: frozenset({AccountType.LIABILITY}),
    PostingRole.MEMBERS_PAYABLE: frozenset({AccountType.LIABILITY}),
    PostingRole.ENTITY_CURRENT_ACCOUNT: frozenset({AccountType.LIABILITY, AccountType.ASSET}),
    PostingRole.GUARANTEE_FUND: frozenset({AccountType.LIABILITY, AccountType.EQUITY}),
    PostingRole.MEMBER_CAPITAL: frozenset({AccountType.EQUITY}),
    PostingRole.RESERVE: frozenset({AccountType.EQUITY}),
    PostingRole.RESULT_OF_THE_YEAR: frozenset({AccountType.EQUITY}),
    PostingRole.SALES: frozenset({AccountType.INCOME}),
    PostingRole.MANAGEMENT_FEE_INCOME: frozenset({AccountType.INCOME}),
    PostingRole.OTHER_INCOME: frozenset({AccountType.INCOME}),
}
#: The identifiers a simulated month invents, with the ``SampleData`` field drawing them.
SAMPLED_IDENTIFIERS = {
    IdentifierKind.PERSON: "person_number",
    IdentifierKind.VAT: "vat_number",
    IdentifierKind.IBAN: "iban",
}
SAMPLE_DRAWS = 20
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LAST_DAY = date(2100, 12, 31)
#: The suite is one base class that each country's test class derives from: the same
#: property runs on several executors by design, one per country.
PAYROLL_CHECKS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)


def _version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")
    return int(major), int(minor)


def country_hook_names() -> list[str]:
    """Country hooks: every spec whose status is not :attr:`~HookStatus.SECTOR`."""
    return sorted(hookspecs.hooks_of(REQUIRED, DEFAULTED, OPTIONAL))


def _fail(message: str) -> NoReturn:
    """Fail the test with ``message`` alone: the rule and the figures, no traceback."""
    pytest.fail(message, pytrace=False)


def _rounded(amount: Decimal, currency: str) -> bool:
    try:
        to_minor(amount, currency)
    except MoneyError:
        return False
    return True


class ConformanceSuite:
    """Every check of the conformance suite; subclass it and set ``country``.

    Attributes:
        country: the ISO code of the country plugin under test.
        plugin: the plugin object, to test it without installing it (default: loaded
            from the ``partage.countries`` entry points).
        examples: the national examples (default: the package's ``data/conformance.toml``).
        declined: hooks the country declines, with the reason, besides the plugin's own
            ``PARTAGE_DECLINED_HOOKS``.
    """

    country: ClassVar[str] = ""
    plugin: ClassVar[object | None] = None
    examples: ClassVar[CountryExamples | None] = None
    declined: ClassVar[Mapping[str, str]] = {}

    # --- helpers ---------------------------------------------------------------------
    @staticmethod
    def _examples(subject: Subject) -> CountryExamples:
        try:
            return subject.require_examples()
        except PartageError as exc:
            _fail(str(exc))

    @staticmethod
    def _call(subject: Subject, hook: str, **kwargs: Any) -> Any:
        """Call a hook, turning a crash into a failure that names hook and arguments."""
        shown = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
        try:
            return getattr(subject.hooks.hook, hook)(**kwargs)
        except Exception as exc:
            _fail(f"{hook}({shown}) raised {type(exc).__name__}: {exc}")

    def _contract(self, subject: Subject, gross: Decimal) -> EmploymentContract:
        examples = self._examples(subject)
        return EmploymentContract(
            worker_category=examples.worker_category,
            start=examples.month,
            monthly_gross=gross,
            tax_situation=examples.tax_situation,
        )

    def _period(self, subject: Subject) -> Period:
        return Period.month_of(self._examples(subject).month)

    # --- the plugin and its hooks -----------------------------------------------------
    def test_plugin_targets_this_core_hook_api(self, partage_subject: Subject) -> None:
        major = hookspecs.HOOK_API_VERSION.split(".")[0]
        assert partage_subject.info.api_version.split(".")[0] == major, (
            f"plugin {partage_subject.code!r} targets hook API {partage_subject.info.api_version}; "
            f"this core provides {hookspecs.HOOK_API_VERSION}"
        )

    def test_plugin_imports_only_the_contract(self, partage_subject: Subject) -> None:
        """The plugin's package imports nothing of Partage but the contract's names and
        ``partage.testing``: what lies behind the contract changes with any core release."""
        plugin = partage_subject.plugin
        folder = plugin_folder(plugin)
        if folder is None:
            pytest.skip("the plugin's source folder cannot be found")
        module = plugin.__name__ if inspect.ismodule(plugin) else type(plugin).__module__
        problems = check_package(
            folder, module.rsplit(".", 1)[0] if folder.name != module.split(".")[-1] else module
        )
        assert not problems, "\n".join(str(problem) for problem in problems)

    def _declined(self, subject: Subject) -> dict[str, str]:
        """Hooks declined on purpose, with their reasons: the plugin's own list, then
        the test class's."""
        declared = dict(getattr(subject.plugin, DECLINED_ATTRIBUTE, None) or {})
        declared.update(self.declined)
        return declared

    def test_declined_hooks_are_known_optional_and_explained(
        self, partage_subject: Subject
    ) -> None:
        hooks = set(country_hook_names())
        for hook, reason in self._declined(partage_subject).items():
            assert hook in hooks, f"{DECLINED_ATTRIBUTE}: {hook!r} is not a country hook"
            found = hookspecs.status_of(hook)
            assert found is not REQUIRED, (
                f"{DECLINED_ATTRIBUTE}: {hook} is required and cannot be declined: the engine "
                "needs it"
            )
            assert found is not DEFAULTED, (
                f"{DECLINED_ATTRIBUTE}: {hook} has a core default: leave it unimplemented "
                "instead of declining it"
            )
            assert str(reason).strip(), f"{DECLINED_ATTRIBUTE}: {hook} is declined without a reason"

    @pytest.mark.parametrize("hook", country_hook_names())
    def test_hook_is_implemented_or_deliberately_declined(
        self, partage_subject: Subject, hook: str
    ) -> None:
        target = partage_subject.info.api_version
        if added_in(hook) > _version(target):
            pytest.skip(f"{hook} was added after hook API {target}, which the plugin targets")
        declined = self._declined(partage_subject)
        found = hookspecs.status_of(hook)
        impls = [
            impl
            for impl in getattr(partage_subject.hooks.hook, hook).get_hookimpls()
            if impl.plugin is partage_subject.plugin
        ]
        if not impls:
            if found is REQUIRED:
                _fail(
                    f"{hook} is not implemented by plugin {partage_subject.code!r}: it is "
                    "required, the engine needs it"
                )
            if found is OPTIONAL and hook not in declined:
                _fail(
                    f"{hook} is not implemented by plugin {partage_subject.code!r}: implement "
                    f"it, or decline it deliberately by listing it with the reason in "
                    f"{DECLINED_ATTRIBUTE}"
                )
            return  # a defaulted hook: the core's default plugin answers
        answer = self._sample_call(partage_subject, hook)
        if answer is not None:
            return
        if found is REQUIRED:
            _fail(f"{hook} returned None: the engine cannot run without an answer")
        function = impls[-1].function
        if hook not in declined and not (function.__doc__ or "").strip():
            _fail(
                f"{hook} returned None without saying why: list it with the reason in "
                f"{DECLINED_ATTRIBUTE}, or give the implementation a docstring saying why"
            )

    def _sample_call(self, subject: Subject, hook: str) -> Any:
        """Call any country hook with plausible arguments."""
        examples = self._examples(subject)
        on = examples.month
        contract = self._contract(subject, examples.typical_monthly_gross)
        period = Period.month_of(on)
        arguments: dict[str, Callable[[], dict[str, Any]]] = {
            "partage_country_identity": dict,
            "partage_country_brand": dict,
            "partage_chart_of_accounts": dict,
            "partage_public_holidays": lambda: {"year": on.year},
            "partage_format_amount": lambda: {
                "amount": Decimal(1234),
                "locale": subject.identity.default_locale,
            },
            "partage_validate_identifier": lambda: {
                "kind": IdentifierKind.IBAN,
                "value": examples.valid[IdentifierKind.IBAN][0],
            },
            "partage_vat_rates": lambda: {"on": on},
            "partage_vat_treatment": lambda: {"line": self._line(subject, "sale", on)},
            "partage_vat_return": lambda: {"period": period, "movements": ()},
            "partage_payslip": lambda: {"contract": contract, "period": period},
            "partage_gross_for_employer_cost": lambda: {
                "contract": contract,
                "period": period,
                "employer_cost": examples.typical_monthly_gross,
            },
            "partage_social_declaration": lambda: {
                "period": period,
                "totals": payroll_totals(period, (), subject.identity.currency),
            },
            "partage_copyright_taxation": lambda: {
                "amount": examples.typical_monthly_gross,
                "on": examples.copyright_day or on,
                "earlier_this_year": Decimal(0),
            },
            "partage_insurance_policies": lambda: {"on": on},
            "partage_sample_data": dict,
        }
        if hook not in arguments:
            return NotImplemented  # a hook the suite cannot call: being implemented is enough
        return self._call(subject, hook, **arguments[hook]())

    # --- identity and brand -----------------------------------------------------------
    def test_identity_names_an_iso_code_currency_locale_and_languages(
        self, partage_subject: Subject
    ) -> None:
        identity = self._call(partage_subject, "partage_country_identity")
        assert identity.code == partage_subject.code, (
            f"identity.code = {identity.code!r} must be the entry point name "
            f"{partage_subject.code!r}"
        )
        try:
            minor_exponent(identity.currency)
        except MoneyError as exc:
            _fail(f"identity.currency: {exc}")
        try:
            Locale.parse(identity.default_locale)
        except (UnknownLocaleError, ValueError):
            _fail(f"identity.default_locale = {identity.default_locale!r}: not a CLDR locale")
        assert identity.languages, "identity.languages: at least one language is required"
        for language in identity.languages:
            assert re.fullmatch(r"[a-z]{2}", language), (
                f"identity.languages: {language!r} must be an ISO 639-1 code such as 'fr'"
            )
        assert identity.name.strip(), "identity.name is required"
        assert identity.legal_form.strip(), "identity.legal_form is required"

    def test_brand_has_colours_a_logo_and_invoice_mentions(self, partage_subject: Subject) -> None:
        brand = self._call(partage_subject, "partage_country_brand")
        assert brand.name.strip(), "brand.name is required"
        for name in ("primary_colour", "secondary_colour"):
            value = getattr(brand, name)
            assert COLOUR.match(value), f"brand.{name} = {value!r} must be a colour #rrggbb"
        assert brand.invoice_legal_mentions, "brand.invoice_legal_mentions: at least one"
        if partage_subject.folder is not None:
            logo = partage_subject.folder / brand.logo
            assert logo.is_file(), (
                f"brand.logo = {brand.logo!r}: no such file in the plugin package ({logo})"
            )

    def test_invoice_mentions_are_listed_with_their_source(self, partage_subject: Subject) -> None:
        """Every mention the country requires on an invoice is listed in the package's
        ``data/invoice_mentions.toml`` with the article requiring it, naming the parts
        of the invoice that carry it (:mod:`partage.testing.mentions`); the supply date
        and the client's address are among them, as every VAT law asks."""
        listed = None if partage_subject.folder is None else partage_subject.folder / MENTIONS_FILE
        if listed is None or not listed.is_file():
            pytest.skip(f"the plugin lists no invoice mentions ({MENTIONS_FILE})")
        mentions = read_mentions(listed)
        named = {name for mention in mentions for name in mention.fields}
        for needed in ("number", "issued_on", "supplied_on", "buyer.address.street"):
            assert needed in named, f"{MENTIONS_FILE}: no mention names {needed!r}"

    def test_amounts_are_formatted_for_the_default_locale(self, partage_subject: Subject) -> None:
        identity = partage_subject.identity
        amount = round_money(Decimal("1234.5"), identity.currency)
        text = self._call(
            partage_subject,
            "partage_format_amount",
            amount=amount,
            locale=identity.default_locale,
        )
        assert isinstance(text, str) and re.search(r"\d", text), (
            f"partage_format_amount({amount}, {identity.default_locale!r}) = {text!r}: "
            "must be the amount written out"
        )

    def test_public_holidays_fall_in_their_year(self, partage_subject: Subject) -> None:
        year = self._examples(partage_subject).month.year
        found = self._call(partage_subject, "partage_public_holidays", year=year)
        if found is None:
            return  # declined: the declining check holds the plugin to a reason
        outside = sorted(day for day in found if day.year != year)
        assert not outside, f"partage_public_holidays({year}) lists days of other years: {outside}"

    # --- law as dated data ------------------------------------------------------------
    def test_parameters_are_dated_and_sourced(self, partage_subject: Subject) -> None:
        if partage_subject.folder is None:
            _fail(f"plugin {partage_subject.code!r} has no package folder holding data/parameters")
        root = partage_subject.folder / "data" / "parameters"
        if not root.is_dir():
            _fail(
                f"{root}: not found; every number set by law lives in a dated parameter file "
                "(see partage.core.contract.parameters)"
            )
        try:
            parameters = Parameters(root)
        except PartageError as exc:
            _fail(f"parameters: {exc}")
        assert parameters.names(), f"{root}: no parameter file"
        for name in parameters.names():
            parameter = parameters[name]
            if parameter.unit != "rate":
                continue
            for dated in parameter.values:
                rates = [dated.value] if dated.value is not None else []
                rates += [b.rate for b in dated.brackets if b.rate is not None]
                for rate in rates:
                    assert isinstance(rate, Decimal) and 0 <= rate <= 1, (
                        f"parameter {name} from {dated.start}: rate {rate} must be a fraction "
                        "from 0 to 1 (write 0.21 for 21 %)"
                    )

    # --- VAT ----------------------------------------------------------------------------
    def _line(
        self,
        subject: Subject,
        direction: str,
        on: date,
        *,
        country: str | None = None,
        vat_number: str | None = None,
        supply: str = "services",
        rate_code: str | None = None,
    ) -> VatLineContext:
        return VatLineContext(
            direction=direction,
            on=on,
            rate_code=rate_code,
            supply=supply,
            counterpart_country=country or subject.code.upper(),
            counterpart_vat_number=vat_number,
        )

    def _earliest_standard_rate(self, subject: Subject, on: date) -> date:
        """Walk back through the standard rate's history to its first day."""
        day = on
        for _ in range(100):
            rates = self._call(subject, "partage_vat_rates", on=day)
            if not rates:
                _fail(f"partage_vat_rates(on={day}) lists no rate")
            start = rates[0].in_force_from
            try:
                before = subject.hooks.hook.partage_vat_rates(on=start - timedelta(days=1))
            except PartageError:
                return start
            if not before:
                return start
            day = start - timedelta(days=1)
        return day

    def test_standard_rate_is_in_force_on_every_date_from_the_earliest(
        self, partage_subject: Subject
    ) -> None:
        examples = self._examples(partage_subject)
        earliest = self._earliest_standard_rate(partage_subject, examples.month)

        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        @given(on=st.dates(min_value=earliest, max_value=LAST_DAY))
        def check(on: date) -> None:
            rates = self._call(partage_subject, "partage_vat_rates", on=on)
            assert rates, f"partage_vat_rates(on={on}): no rate in force (earliest: {earliest})"
            assert rates[0].code == "standard", (
                f"partage_vat_rates(on={on}): the standard rate comes first, got {rates[0].code!r}"
            )
            for rate in rates:
                assert isinstance(rate.rate, Decimal) and 0 <= rate.rate < 1, (
                    f"partage_vat_rates(on={on}): rate {rate.code} = {rate.rate} must be a "
                    "fraction in [0, 1)"
                )
                assert rate.in_force_from <= on, (
                    f"partage_vat_rates(on={on}): rate {rate.code} starts {rate.in_force_from}, "
                    "after the day asked"
                )

        check()

    def test_domestic_sales_charge_the_rate_in_force(self, partage_subject: Subject) -> None:
        on = self._examples(partage_subject).month
        rates = self._call(partage_subject, "partage_vat_rates", on=on)
        for rate in rates:
            for code in (rate.code, None) if rate.code == "standard" else (rate.code,):
                line = self._line(partage_subject, "sale", on, rate_code=code)
                treatment: VatTreatment = self._call(
                    partage_subject, "partage_vat_treatment", line=line
                )
                assert treatment.kind is VatTreatmentKind.DOMESTIC, (
                    f"a domestic sale at rate {code!r} on {on} is {treatment.kind}, not domestic"
                )
                assert treatment.rate == rate.rate, (
                    f"a domestic sale at rate {code!r} on {on} charges {treatment.rate}; "
                    f"partage_vat_rates says {rate.rate}"
                )
                assert treatment.vat_code, f"rate {code!r}: the treatment needs a vat_code"

    def test_exempt_and_reverse_charge_sales_print_their_legal_mention(
        self, partage_subject: Subject
    ) -> None:
        on = self._examples(partage_subject).month
        eu = "FR" if partage_subject.code.upper() == "DE" else "DE"
        cases = [
            (country, supply, vat_number)
            for country in (eu, "US")
            for supply in ("services", "goods")
            for vat_number in (f"{country}123456789", None)
        ]
        for country, supply, vat_number in cases:
            line = self._line(
                partage_subject, "sale", on, country=country, vat_number=vat_number, supply=supply
            )
            treatment = self._call(partage_subject, "partage_vat_treatment", line=line)
            where = f"sale of {supply} to {'a business' if vat_number else 'a person'} in {country}"
            assert 0 <= treatment.rate < 1, f"{where}: rate {treatment.rate} outside [0, 1)"
            if treatment.kind is VatTreatmentKind.DOMESTIC:
                continue
            assert treatment.rate == 0, f"{where}: {treatment.kind} must charge no VAT"
            assert (treatment.legal_mention or "").strip(), (
                f"{where}: a {treatment.kind} sale must give the legal mention the invoice prints"
            )

    def test_purchases_carry_a_rate_below_one(self, partage_subject: Subject) -> None:
        on = self._examples(partage_subject).month
        for country, vat_number in ((None, None), ("DE", "DE123456789"), ("US", "US123")):
            for supply in ("services", "goods"):
                line = self._line(
                    partage_subject,
                    "purchase",
                    on,
                    country=country,
                    vat_number=vat_number,
                    supply=supply,
                )
                treatment = self._call(partage_subject, "partage_vat_treatment", line=line)
                assert treatment.vat_code and 0 <= treatment.rate < 1, (
                    f"purchase of {supply} from {country or 'home'}: {treatment} needs a "
                    "vat_code and a rate in [0, 1)"
                )

    def _boxes(self, subject: Subject, hook: str, boxes: Sequence[ReturnBox] | None) -> None:
        if boxes is None:
            return  # declined
        currency = subject.identity.currency
        names = [box.box for box in boxes]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        assert not duplicates, f"{hook}: boxes {duplicates} appear twice"
        for box in boxes:
            assert isinstance(box.amount, Decimal) and _rounded(box.amount, currency), (
                f"{hook}: box {box.box} = {box.amount!r} must be a Decimal rounded to the "
                f"{currency} minor unit"
            )

    def test_vat_return_fills_boxes_from_movements(self, partage_subject: Subject) -> None:
        examples = self._examples(partage_subject)
        period = self._period(partage_subject)
        currency = partage_subject.identity.currency
        empty = self._call(partage_subject, "partage_vat_return", period=period, movements=())
        self._boxes(partage_subject, "partage_vat_return", empty)
        if empty is None:
            return
        nonzero = [box for box in empty if box.amount]
        assert not nonzero, f"partage_vat_return with no movement fills {nonzero}"
        movements = []
        for direction in ("sale", "purchase"):
            line = self._line(partage_subject, direction, examples.month)
            treatment = self._call(partage_subject, "partage_vat_treatment", line=line)
            base = examples.typical_monthly_gross
            vat = round_money(base * treatment.rate, currency)
            movements.append(VatMovement(treatment.vat_code, direction, base, vat))
        boxes = self._call(
            partage_subject, "partage_vat_return", period=period, movements=tuple(movements)
        )
        self._boxes(partage_subject, "partage_vat_return", boxes)
        assert any(box.amount for box in boxes), (
            f"partage_vat_return: a domestic sale and purchase ({movements}) fill no box"
        )

    # --- accounting ---------------------------------------------------------------------
    def test_chart_maps_every_posting_role_to_one_of_its_accounts(
        self, partage_subject: Subject
    ) -> None:
        chart = self._call(partage_subject, "partage_chart_of_accounts")
        accounts = {account.code: account for account in chart.accounts}
        mapped = [role for role, _ in chart.roles]
        missing = [role.value for role in PostingRole if role not in mapped]
        assert not missing, f"chart {chart.name}: posting roles without an account: {missing}"
        twice = sorted({r.value for r in mapped if mapped.count(r) > 1})
        assert not twice, f"chart {chart.name}: roles mapped twice: {twice}"
        for role, code in chart.roles:
            assert code in accounts, f"chart {chart.name}: role {role} maps to unknown {code}"
            allowed = ROLE_TYPES.get(role)
            if allowed is not None:
                assert accounts[code].type in allowed, (
                    f"chart {chart.name}: role {role} maps to {code} ({accounts[code].type}); "
                    f"it must be {' or '.join(sorted(allowed))}"
                )

    # --- identifiers --------------------------------------------------------------------
    @pytest.mark.parametrize("kind", list(IdentifierKind), ids=str)
    def test_valid_identifiers_are_accepted_and_normalised(
        self, partage_subject: Subject, kind: IdentifierKind
    ) -> None:
        examples = self._examples(partage_subject).valid.get(kind, ())
        if not examples:
            pytest.skip(f"no valid {kind} example in the country's conformance examples")
        for value in examples:
            check: IdentifierCheck = self._call(
                partage_subject, "partage_validate_identifier", kind=kind, value=value
            )
            assert check.valid, f"{kind} {value!r} is a valid example but was refused: {check}"
            assert check.normalized, f"{kind} {value!r}: a valid identifier has a normalized form"
            again = self._call(
                partage_subject, "partage_validate_identifier", kind=kind, value=check.normalized
            )
            assert again.valid and again.normalized == check.normalized, (
                f"{kind} {value!r}: its normalized form {check.normalized!r} must validate "
                f"to itself, got {again}"
            )

    @pytest.mark.parametrize("kind", list(IdentifierKind), ids=str)
    def test_invalid_identifiers_are_refused_naming_the_check(
        self, partage_subject: Subject, kind: IdentifierKind
    ) -> None:
        examples = self._examples(partage_subject).invalid.get(kind, ())
        if not examples:
            pytest.skip(f"no invalid {kind} example in the country's conformance examples")
        for value in examples:
            check = self._call(
                partage_subject, "partage_validate_identifier", kind=kind, value=value
            )
            assert not check.valid, f"{kind} {value!r} is an invalid example but was accepted"
            assert (check.failed_check or "").strip(), (
                f"{kind} {value!r}: a refusal must name the failed check"
            )
            assert check.normalized is None, f"{kind} {value!r}: refused yet normalized"

    def _sample_data(self, subject: Subject) -> SampleData:
        target = subject.info.api_version
        if added_in("partage_sample_data") > _version(target):
            pytest.skip(f"partage_sample_data was added after hook API {target}")
        samples = self._call(subject, "partage_sample_data")
        if samples is None:
            pytest.skip("the plugin supplies no sample data: its simulated month is refused")
        if not isinstance(samples, SampleData):
            _fail(f"partage_sample_data returned {samples!r}, not a SampleData")
        return samples

    @pytest.mark.parametrize("kind", SAMPLED_IDENTIFIERS, ids=str)
    def test_sample_identifiers_pass_the_plugins_own_checks(
        self, partage_subject: Subject, kind: IdentifierKind
    ) -> None:
        samples = self._sample_data(partage_subject)
        make = getattr(samples, SAMPLED_IDENTIFIERS[kind])
        drawn = [make(random.Random(seed)) for seed in range(SAMPLE_DRAWS)]
        for value in drawn:
            check = self._call(
                partage_subject, "partage_validate_identifier", kind=kind, value=value
            )
            assert check.valid, (
                f"partage_sample_data: the sample {kind} {value!r} is refused by the plugin's "
                f"own partage_validate_identifier: {check.failed_check}"
            )
        assert drawn == [make(random.Random(seed)) for seed in range(SAMPLE_DRAWS)], (
            f"partage_sample_data: sample {kind} numbers must depend on the seed alone"
        )
        assert len(set(drawn)) > SAMPLE_DRAWS // 2, (
            f"partage_sample_data: sample {kind} numbers repeat: {drawn}"
        )

    def test_sample_worker_categories_are_paid(self, partage_subject: Subject) -> None:
        samples = self._sample_data(partage_subject)
        examples = self._examples(partage_subject)
        for category in samples.worker_categories:
            contract = EmploymentContract(
                worker_category=category,
                start=examples.month,
                monthly_gross=examples.typical_monthly_gross,
                tax_situation=examples.tax_situation,
            )
            slip = self._call(
                partage_subject,
                "partage_payslip",
                contract=contract,
                period=self._period(partage_subject),
            )
            assert slip is not None and slip.gross == examples.typical_monthly_gross, (
                f"partage_sample_data: worker category {category!r} gets no payslip of "
                f"{examples.typical_monthly_gross}: {slip}"
            )

    # --- payroll ------------------------------------------------------------------------
    def _gross(self, subject: Subject) -> st.SearchStrategy[Decimal]:
        examples = self._examples(subject)
        currency = subject.identity.currency
        typical = to_minor(round_money(examples.typical_monthly_gross, currency), currency)
        return st.integers(max(typical // 100, 1), typical * 10).map(
            lambda units: from_minor(units, currency)
        )

    def _payslip(self, subject: Subject, gross: Decimal) -> Payslip:
        return self._call(
            subject,
            "partage_payslip",
            contract=self._contract(subject, gross),
            period=self._period(subject),
        )

    @PAYROLL_CHECKS
    @given(data=st.data())
    def test_payslip_net_gross_and_employer_cost_are_ordered_and_add_up(
        self, partage_subject: Subject, data: st.DataObject
    ) -> None:
        gross = data.draw(self._gross(partage_subject), label="gross")
        currency = partage_subject.identity.currency
        slip = self._payslip(partage_subject, gross)
        where = f"payslip of gross {gross} {currency}"
        assert slip.gross == gross, f"{where}: gross is {slip.gross}"
        for line in slip.lines:
            assert line.payer in ("employee", "employer"), f"{where}: line {line.code} payer"
            assert _rounded(line.amount, currency), f"{where}: line {line.code} not rounded"
        for name in ("withholding", "net", "employer_cost"):
            value = getattr(slip, name)
            assert _rounded(value, currency), f"{where}: {name} {value} not rounded"
        assert slip.withholding >= 0, f"{where}: negative withholding {slip.withholding}"
        assert 0 <= slip.net <= slip.gross <= slip.employer_cost, (
            f"{where}: net {slip.net} <= gross {slip.gross} <= employer cost "
            f"{slip.employer_cost} does not hold"
        )
        assert slip.net == slip.gross - slip.employee_contributions - slip.withholding, (
            f"{where}: net {slip.net} != gross − employee contributions "
            f"{slip.employee_contributions} − withholding {slip.withholding}"
        )
        assert slip.employer_cost == slip.gross + slip.employer_contributions, (
            f"{where}: employer cost {slip.employer_cost} != gross + employer contributions "
            f"{slip.employer_contributions}"
        )

    @PAYROLL_CHECKS
    @given(data=st.data())
    def test_gross_for_employer_cost_round_trips_to_the_minor_unit(
        self, partage_subject: Subject, data: st.DataObject
    ) -> None:
        gross = data.draw(self._gross(partage_subject), label="gross")
        currency = partage_subject.identity.currency
        cost = self._payslip(partage_subject, gross).employer_cost
        found = self._call(
            partage_subject,
            "partage_gross_for_employer_cost",
            contract=self._contract(partage_subject, gross),
            period=self._period(partage_subject),
            employer_cost=cost,
        )
        where = f"gross_for_employer_cost({cost} {currency}) for the cost of gross {gross}"
        assert isinstance(found, Decimal) and _rounded(found, currency), (
            f"{where} = {found!r}: must be a Decimal rounded to the minor unit"
        )
        assert found >= gross, f"{where} = {found}: gross {gross} fits that budget"
        assert self._payslip(partage_subject, found).employer_cost == cost, (
            f"{where} = {found}, whose employer cost is not {cost}"
        )
        above = found + from_minor(1, currency)
        assert self._payslip(partage_subject, above).employer_cost > cost, (
            f"{where} = {found}: {above} also fits, so it is not the largest gross"
        )

    def test_social_declaration_fills_boxes_from_the_months_totals(
        self, partage_subject: Subject
    ) -> None:
        period = self._period(partage_subject)
        currency = partage_subject.identity.currency
        nothing = payroll_totals(period, (), currency)
        empty = self._call(
            partage_subject, "partage_social_declaration", period=period, totals=nothing
        )
        self._boxes(partage_subject, "partage_social_declaration", empty)
        if empty is None:
            return
        nonzero = [box for box in empty if box.amount]
        assert not nonzero, f"partage_social_declaration with no payslip fills {nonzero}"
        typical = self._examples(partage_subject).typical_monthly_gross
        slips = [(k, self._payslip(partage_subject, typical * k)) for k in (1, 2)]
        totals = payroll_totals(period, slips, currency)
        boxes = self._call(
            partage_subject, "partage_social_declaration", period=period, totals=totals
        )
        self._boxes(partage_subject, "partage_social_declaration", boxes)
        assert any(box.amount for box in boxes), (
            f"the totals of two payslips (gross {totals.gross} {currency}) fill no declaration box"
        )

    def test_insurance_policies_have_a_premium_rule(self, partage_subject: Subject) -> None:
        on = self._examples(partage_subject).month
        currency = partage_subject.identity.currency
        for policy in self._call(partage_subject, "partage_insurance_policies", on=on):
            where = f"insurance policy {policy.code!r}"
            if policy.premium_basis == "payroll_rate":
                assert policy.rate is not None and 0 <= policy.rate < 1, (
                    f"{where}: a payroll_rate policy needs a rate in [0, 1), got {policy.rate}"
                )
            elif policy.premium_basis == "flat":
                amount = policy.flat_amount
                assert amount is not None and amount >= 0 and _rounded(amount, currency), (
                    f"{where}: a flat policy needs an amount >= 0 in {currency}, got {amount}"
                )
            else:
                _fail(f"{where}: premium_basis {policy.premium_basis!r} is not payroll_rate/flat")

    def test_copyright_taxation_adds_up(self, partage_subject: Subject) -> None:
        examples = self._examples(partage_subject)
        amount = examples.typical_monthly_gross
        on = examples.copyright_day or examples.month
        taxed = self._call(
            partage_subject,
            "partage_copyright_taxation",
            amount=amount,
            on=on,
            earlier_this_year=Decimal(0),
        )
        if taxed is None:
            return  # declined: the declining check holds the plugin to a reason
        assert taxed.taxable == taxed.amount - taxed.flat_rate_costs, (
            f"copyright taxation of {amount} on {on}: taxable != amount − flat-rate costs"
        )
        assert taxed.net == taxed.amount - taxed.withholding, (
            f"copyright taxation of {amount} on {on}: net != amount − withholding"
        )
        assert 0 <= taxed.withholding_rate < 1, (
            f"copyright taxation: withholding rate {taxed.withholding_rate} outside [0, 1)"
        )

    # --- the books ----------------------------------------------------------------------
    def test_books_balance_after_a_scripted_month(
        self, partage_subject: Subject, partage_engine: Engine
    ) -> None:
        month = run_month(partage_engine, partage_subject.hooks, self._examples(partage_subject))
        for balance in (month.instance, *month.books):
            name = balance.book or "the whole instance"
            assert balance.total_debit == balance.total_credit, (
                f"books of {name} after {list(month.acts)}: debits {balance.total_debit} != "
                f"credits {balance.total_credit}"
            )
            assert balance.total_closing == 0, (
                f"books of {name}: trial balance closes at {balance.total_closing}, not zero"
            )
        assert month.instance.total_debit > 0, "the scripted month posted nothing"
        assert month.entity_funds >= 0, (
            f"the entity's available funds end the month at {month.entity_funds}: "
            "the no-bankruptcy rule was broken"
        )
