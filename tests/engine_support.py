"""A small but complete test country, Testland, and a cooperative built on it.

The engine is tested against this plugin rather than Belgium or France so that its
figures are easy to check by hand: VAT 21 % (standard) and 6 % (reduced), reverse
charge for EU business clients, employee 13 %, employer 25 %, a flat 20 % withholding
on taxable pay, a 1 % work-accident premium — all read from dated parameter files in
``tests/data/parameters``, as a real country plugin does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from partage.core.acts.cooperative import Cooperative, GuaranteeRules
from partage.core.contract.hookspecs import hookimpl
from partage.core.contract.identity import IdentifierCheck, IdentifierKind
from partage.core.contract.money import round_money
from partage.core.contract.parameters import Parameters
from partage.core.contract.payroll import (
    CopyrightTaxation,
    EmploymentContract,
    InsurancePolicy,
    Payslip,
)
from partage.core.contract.payslips import (
    PayrollError,
    assemble_payslip,
    contract_gross,
    gross_for_employer_cost,
    payslip_line,
)
from partage.core.contract.periods import Period
from partage.core.contract.retention import RetentionPeriod, RetentionPeriods
from partage.core.contract.tax import VatLineContext, VatRate, VatTreatment, VatTreatmentKind
from partage.core.ledger.posting import Ledger
from partage.core.members.instance import bootstrap
from partage.core.platform.clock import FixedClock
from partage.core.platform.config import InstanceConfig, OfficeConfig, ShareClass
from partage.core.platform.db.engine import session_factory, transaction
from partage.core.platform.registry import PluginKind, PluginRegistry
from tests.conftest import CountryPlugin
from tests.schema_template import built_once

PARAMETERS = Parameters(Path(__file__).parent / "data" / "parameters")
EU = frozenset({"BE", "FR", "DE", "NL", "LU", "IT", "ES"})


class Testland(CountryPlugin):
    """Testland's law: every figure comes from its dated parameters."""

    CATEGORIES = ("employee", "artist")

    @hookimpl
    def partage_validate_identifier(self, kind: IdentifierKind, value: str) -> IdentifierCheck:
        compact = "".join(value.split()).upper()
        if kind is IdentifierKind.IBAN:
            ok = compact.startswith("ZZ") and len(compact) == 16 and compact[2:].isdigit()
            return IdentifierCheck(
                ok, compact if ok else None, None if ok else "IBAN format ZZ + 14 digits"
            )
        if kind is IdentifierKind.PERSON:
            ok = compact.isdigit() and len(compact) == 11
            return IdentifierCheck(
                ok, compact if ok else None, None if ok else "length must be 11 digits"
            )
        if kind is IdentifierKind.COMPANY:
            ok = compact.isdigit() and len(compact) == 10
            return IdentifierCheck(
                ok, compact if ok else None, None if ok else "length must be 10 digits"
            )
        ok = compact.startswith("ZZ") and compact[2:].isdigit() and len(compact) == 12
        return IdentifierCheck(
            ok, compact if ok else None, None if ok else "checksum digits do not match"
        )

    @hookimpl
    def partage_vat_rates(self, on: date) -> list[VatRate]:
        rates = []
        for code in ("standard", "reduced"):
            rate = PARAMETERS.value(f"vat.{code}", on)
            since = PARAMETERS[f"vat.{code}"].at(on).start
            rates.append(VatRate(code, rate, since, f"{rate:%}"))
        return rates

    @hookimpl
    def partage_vat_treatment(self, line: VatLineContext) -> VatTreatment:
        if line.exemption:
            return VatTreatment(
                VatTreatmentKind.EXEMPT, "EX", Decimal(0), "Exempt, VAT Act art. 44"
            )
        foreign = line.counterpart_country != "ZZ"
        if foreign and line.counterpart_country in EU and line.counterpart_vat_number:
            return VatTreatment(
                VatTreatmentKind.INTRA_EU_REVERSE_CHARGE, "RC", Decimal(0), "Reverse charge"
            )
        if foreign and line.counterpart_country not in EU:
            return VatTreatment(VatTreatmentKind.EXPORT, "EXP", Decimal(0), "Export, art. 39")
        code = line.rate_code or "standard"
        rate = PARAMETERS.value(f"vat.{code}", line.on)
        return VatTreatment(VatTreatmentKind.DOMESTIC, f"S{int(rate * 100)}", rate)

    def _payslip(self, contract: EmploymentContract, period: Period) -> Payslip:
        if contract.worker_category not in self.CATEGORIES:
            raise PayrollError(
                "worker_category",
                f"{contract.worker_category!r} must be one of {', '.join(self.CATEGORIES)}",
            )
        on = period.start
        gross = contract_gross(contract, "EUR")
        employee = payslip_line(
            "ss_employee",
            "Social security",
            "employee",
            gross,
            PARAMETERS.value("payroll.employee_rate", on),
            "EUR",
        )
        employer = payslip_line(
            "ss_employer",
            "Social security",
            "employer",
            gross,
            PARAMETERS.value("payroll.employer_rate", on),
            "EUR",
        )
        taxable = gross - employee.amount
        withholding = round_money(taxable * PARAMETERS.value("payroll.withholding_rate", on), "EUR")
        return assemble_payslip(period, gross, (employee, employer), withholding, "EUR")

    @hookimpl
    def partage_payslip(self, contract: EmploymentContract, period: Period) -> Payslip:
        return self._payslip(contract, period)

    @hookimpl
    def partage_gross_for_employer_cost(
        self, contract: EmploymentContract, period: Period, employer_cost: Decimal
    ) -> Decimal:
        return gross_for_employer_cost(
            lambda g: self._payslip(replace(contract, monthly_gross=g, hourly_rate=None), period),
            employer_cost,
            "EUR",
        )

    @hookimpl
    def partage_retention_periods(self, on: date) -> RetentionPeriods:
        def period(name: str) -> RetentionPeriod:
            found = PARAMETERS[name].at(on)
            return RetentionPeriod(int(str(found.value)), found.reference)

        return RetentionPeriods(
            period("records.accounting_retention"), period("records.payroll_retention")
        )

    @hookimpl
    def partage_insurance_policies(self, on: date) -> list[InsurancePolicy]:
        return [
            InsurancePolicy(
                "work_accident",
                "Work accident",
                "payroll_rate",
                rate=PARAMETERS.value("insurance.work_accident", on),
            )
        ]

    @hookimpl
    def partage_copyright_taxation(
        self, amount: Decimal, on: date, earlier_this_year: Decimal
    ) -> CopyrightTaxation:
        costs = round_money(amount / 2, "EUR")
        withholding = round_money((amount - costs) * Decimal("0.15"), "EUR")
        return CopyrightTaxation(
            amount, costs, amount - costs, Decimal("0.15"), withholding, amount - withholding
        )


INSTANCE = InstanceConfig(
    code="zz",
    name="Partage Testland",
    legal_name="Partage Testland SC",
    country_plugin="zz",
    currency="EUR",
    languages=("en", "fr"),
    management_fee_rate=Decimal("0.065"),
    guarantee_fund_share=Decimal("0.20"),
    share_nominal_value=Decimal("30.00"),
    share_classes=(ShareClass("A", "Workers", 1), ShareClass("B", "Partners", 1)),
    offices=(OfficeConfig("cap", "Capital", "1 Main Street", ()),),
    management_fee_changes=((date(2027, 1, 1), Decimal("0.07")),),
)


@dataclass
class World:
    """A migrated database of the Testland instance with its books and 2026 open."""

    engine: Engine
    sessions: sessionmaker[Session]
    coop: Cooperative

    def act(self):  # type: ignore[no-untyped-def]
        """One transaction, as every act gets."""
        return transaction(self.sessions)


#: The day the test worlds' clock says: the last of the year their acts are dated in, so
#: that acts of 2026 and of early 2027 lie within the default window of act dates.
WORLD_DAY = date(2026, 12, 31)


def build_world(
    engine: Engine, guarantee: GuaranteeRules | None = None, today: date = WORLD_DAY
) -> World:
    """The Testland world, its clock stopped on ``today``."""
    world = _world_on(engine, guarantee, today)
    built = built_once(engine, "testland")
    if not built.copied:
        bootstrap(engine, INSTANCE, world.coop.plugins, actor="tester", fiscal_years=[2026, 2027])
        built.keep()
    return world


def _world_on(engine: Engine, guarantee: GuaranteeRules | None, today: date) -> World:
    """The Testland world's objects on ``engine``, whatever the database holds."""
    registry = PluginRegistry(autoload=False)
    registry.add(Testland("zz"), name="zz", kind=PluginKind.COUNTRY)
    coop = Cooperative(
        INSTANCE, registry.manager("zz"), Ledger(), guarantee or GuaranteeRules(), FixedClock(today)
    )
    return World(engine, session_factory(engine), coop)


# --- a populated world for the web application ------------------------------------------
WEB_DAY = date(2026, 7, 6)
WEB_PASSWORD = "correct horse battery"
#: Login name -> (role, member number, office code).
WEB_LOGINS = {
    "ada": ("member", 1, None),
    "bob": ("member", 2, None),
    "cyd": ("member", 3, None),
    "adviser": ("adviser", None, "cap"),
    "manager": ("office_manager", None, "sea"),
    "admin": ("administrator", None, None),
    "ethics": ("ethics_committee", None, None),
    "franchisor": ("franchisor", None, None),
}


def web_person(n: int, first: str) -> object:
    from partage.core.members.membership import PersonDetails

    return PersonDetails(
        first_name=first,
        last_name="Testperson",
        national_id=f"{n:011d}",
        iban=f"ZZ{n:014d}",
        address=f"{n} Main Street",
        email=f"{first.lower()}@example.org",
        language="en",
    )


def populate_web_world(world: World, hasher: object) -> None:
    """Two offices (``cap``, ``sea``); members 1 (Ada) and 2 (Bob) with entities
    E000001 and E000002 in ``cap``, member 3 (Cyd) with E000003 in ``sea``; clients
    C000001 (Acme, domestic) and C000002 (Bob's client); an invoice of E000001 paid in
    part and one of E000002; and one login per role (see :data:`WEB_LOGINS`)."""
    from partage.core.access.logins import create_user
    from partage.core.members import membership
    from partage.core.members import service as members
    from partage.core.members.models import Office
    from partage.core.sales import invoices, payments
    from partage.core.sales.invoices import LineInput

    coop = world.coop
    with world.act() as s:
        s.add(Office(code="sea", name="Seaside", address="2 Beach Road"))
        s.flush()
        for n, first in ((1, "Ada"), (2, "Bob"), (3, "Cyd")):
            membership.admit_member(
                s, coop, web_person(n, first), share_class="A", shares=2, on=WEB_DAY, actor="t"
            )
        for holder, name, office in (
            (1, "Design", "cap"),
            (2, "Bakery", "cap"),
            (3, "Boats", "sea"),
        ):
            members.open_entity(
                s,
                coop,
                holders=[holder],
                name=name,
                kind="freelance",
                office=office,
                on=WEB_DAY,
                actor="t",
            )
        members.register_party(
            s,
            coop,
            address="1 Main Street\n1000 Town",
            name="Acme",
            kind="both",
            country="ZZ",
            vat_number="ZZ0000000001",
            actor="t",
        )
        members.register_party(
            s,
            coop,
            address="1 Main Street\n1000 Town",
            name="Bob's client",
            kind="client",
            country="ZZ",
            actor="t",
        )
        invoices.issue_invoice(
            s,
            coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Design work", "10", "100")],
            on=WEB_DAY,
            actor="t",
        )
        invoices.issue_invoice(
            s,
            coop,
            entity="E000002",
            client="C000002",
            lines=[LineInput("Bread", "100", "3")],
            on=WEB_DAY,
            actor="t",
        )
        payments.receive_payment(
            s,
            coop,
            key="pay-1",
            entity="E000001",
            client="C000001",
            amount="605.00",
            on=WEB_DAY,
            actor="t",
        )
        for username, (role, member, office) in WEB_LOGINS.items():
            create_user(
                s,
                hasher,
                username=username,
                password=WEB_PASSWORD,
                role=role,  # type: ignore[arg-type]
                member=member,
                office=office,
                display_name=username.title(),
                actor="t",
            )


# --- sector plugins -----------------------------------------------------------------------
def with_sectors(world: World, *names: str) -> World:
    """Install the shipped sector plugins ``names`` in the world's plugin manager, as an
    instance with those plugins installed has them (offices still enable them)."""
    from importlib import import_module

    from partage.core.platform.registry import API_ATTRIBUTE, check_api_version

    for name in names:
        plugin = import_module(f"partage.plugins.sectors.{name}")
        check_api_version(name, getattr(plugin, API_ATTRIBUTE, None))
        world.coop.plugins.register(plugin, name=f"{PluginKind.SECTOR}:{name}")
    world.coop.plugins.check_pending()
    return world


def web_network() -> object:
    """The shipped franchise contract, resolved with the test plugins only."""
    from partage.core.platform.runtime import load_config
    from tests.conftest import CountryPlugin

    registry = PluginRegistry(autoload=False)
    for code in ("be", "fr", "zz"):
        registry.add(CountryPlugin(code), name=code, kind=PluginKind.COUNTRY)
    return load_config("be", registry=registry).network


def web_site(engine: Engine, **options: object) -> object:
    """A migrated, populated Testland world served as a web site dated :data:`WEB_DAY`,
    with a cheap argon2 profile (the hash stays argon2id, only lighter)."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from partage.core.web.site import Site

    hasher = PasswordHasher.from_parameters(CHEAPEST)
    built = built_once(engine, "web world")
    if built.copied:
        world = _world_on(engine, None, WEB_DAY)
    else:
        world = build_world(engine, today=WEB_DAY)
        populate_web_world(world, hasher)
        built.keep()
    # The test administrator acts without a second factor unless a test asks for the
    # rule (tests/web/test_web_logins.py does).
    options.setdefault("administrators_need_second_factor", False)
    return Site(
        world.sessions,
        world.coop,
        network=web_network(),
        hasher=hasher,  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )
