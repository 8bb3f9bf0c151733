"""Every setting Partage reads, declared once as a dynaconf ``Validator`` with its rule and
its description.

Why one list: the configuration is checked by these validators, and the configuration
reference (:mod:`.settings_reference`) is generated from them, so a setting cannot be
read without being documented, nor documented without being checked. A test holds the
shipped ``configs/*.toml`` and this list to each other: no key there lacks a rule here.

Each :class:`Rule` checks one key of one table. Its ``key`` is the setting's full name
as the reference shows it, where ``[]`` stands for every item of a list of tables and
``<name>`` for every entry of a table: ``instance.offices[].code``,
``instance.shares.classes.<class>.minimum``. :func:`partage.core.platform.validation.validate`
runs each rule on every table it applies to and turns a failure into a
:class:`~partage.core.contract.errors.ConfigError` naming the layer, the key, the value
and the rule. A rule under an optional table or list applies where it is present.

What a validator cannot say about one key alone (an amount's decimals in the instance's
currency, a VAT number's check digits, the brand rules of the contract, dates in order)
is checked by functions in :mod:`.validation` and :mod:`.network_validation`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from partage.core.contract.einvoicing import COMPANY_SIZES
from partage.core.contract.money import MoneyError, as_decimal, minor_exponent
from partage.core.contract.periods import PERIOD_KINDS
from partage.core.platform.einvoicing_settings import PEPPOL_APIS, PLATFORM_APIS
from partage.core.platform.mail.settings import BACKENDS as EMAIL_BACKENDS
from partage.core.platform.mail.settings import SECURITIES as EMAIL_SECURITIES
from partage.core.platform.network import BRAND_ELEMENTS, FEE_BASES, RATE_BASES
from partage.core.platform.settings_engine import Validator

CODE_PATTERN = re.compile(r"^[a-z]{2}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")
#: Longest overdue period the guarantee may cover, in days (ten years): a bound that
#: keeps the cut-off date computable, far beyond any fund's policy.
MAX_DAYS_OVERDUE = 3650
#: Highest leverage of the guarantee fund: a bound far beyond any prudent policy (a fund
#: holding 1 % of what it guarantees), which keeps a typing slip ("1000") from being voted.
MAX_LEVERAGE = Decimal(100)
#: Widest window of act dates on either side of today, in days (ten years): a bound that
#: keeps the window's dates computable; a policy wider than a year or two lets the
#: nonsense through that the window is there to stop.
MAX_ACT_DAYS = 3650
#: Range of an upload limit, in bytes: a kilobyte (an e-invoice is larger) to a
#: gigabyte (past it, one request would hold the server's memory).
UPLOAD_BYTES = (1_000, 1_000_000_000)


def _decimal(value: Any) -> Any:
    """A rate or amount as a ``Decimal``; anything else unchanged, for the type check to
    refuse. A TOML float never gets here: the layers refuse it as they load."""
    try:
        return as_decimal(value, field="value")
    except MoneyError:
        return value


def _date(value: Any) -> Any:
    """A TOML date, or an ISO date written as text; anything else unchanged."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _currency_known(code: str) -> bool:
    if not CURRENCY_PATTERN.match(code):
        return False
    try:
        minor_exponent(code)
    except MoneyError:
        return False
    return True


def _country_known(code: str) -> bool:
    """Whether ISO 3166 (pycountry) names a country with this alpha-2 code."""
    import pycountry  # its database loads on first use: only when a contract is checked

    return pycountry.countries.get(alpha_2=code) is not None


@dataclass(frozen=True)
class Shape:
    """What a value must be, in the words of the reference and of the refusals.

    Attributes:
        words: what the reference says the value is (``"a fraction from 0 to 1"``).
        type_: the Python type dynaconf checks first (``is_type_of``).
        type_rule: the refusal when the type is wrong.
        rule: the refusal when the type is right but the value is not.
        condition: the check of the value, once its type is right; ``None`` when the
            type says it all.
        cast: turns the raw value into the typed one before the checks (TOML float or
            text to ``Decimal``, text to ``date``); it leaves what it cannot read as is.
    """

    words: str
    type_: Any
    type_rule: str
    rule: str = ""
    condition: Callable[[Any], bool] | None = None
    cast: Callable[[Any], Any] | None = None


def _escaped(message: str) -> str:
    """A refusal as a dynaconf message template (which ``str.format``s it)."""
    return message.replace("{", "{{").replace("}", "}}")


class Rule(Validator):
    """The rule of one setting: a dynaconf validator of one key of a table, with the words
    the configuration reference shows.

    Attributes:
        key: the setting's full name (``instance.offices[].code``).
        shape: what the value must be.
        description: what the setting is for, for the reference.
        required: whether its table must give it (dynaconf's ``must_exist``); a rule
            under an optional table or list applies where the table is present.
    """

    def __init__(
        self,
        key: str,
        shape: Shape,
        description: str,
        *,
        required: bool = True,
        when: Validator | None = None,
    ) -> None:
        self.key = key
        self.shape = shape
        super().__init__(
            key.rpartition(".")[2],
            must_exist=True if required else None,
            is_type_of=shape.type_,
            condition=shape.condition,
            cast=shape.cast,
            when=when,
            description=description,
            messages={
                "must_exist_true": "is required",
                "operations": _escaped(shape.type_rule),
                "condition": _escaped(shape.rule or shape.type_rule),
            },
        )

    __eq__ = object.__eq__  # one rule per setting: dynaconf compares validators by their checks
    __hash__ = object.__hash__

    @property
    def leaf(self) -> str:
        """The key's last part: the name the validator looks up in its table."""
        return str(self.names[0])

    @property
    def table(self) -> str:
        """The table the key belongs to (``instance.offices[]``); ``""`` at the top."""
        return self.key.rpartition(".")[0]

    def __repr__(self) -> str:
        return f"Rule({self.key!r}: {self.shape.words})"


#: The bodies a refused applicant's appeal may go to, as the statutes name it.
APPEAL_BODIES = ("ethics_committee", "board", "general_assembly")

# --- shapes ---------------------------------------------------------------------------
TEXT = Shape("text", str, "must be a non-empty text", condition=lambda v: bool(v.strip()), rule="")
ANY_TEXT = Shape("text (may be empty)", str, "must be a text")
TEXTS = Shape(
    "list of texts",
    list,
    "must be a list of texts",
    condition=lambda v: all(isinstance(x, str) and x for x in v),
)
TABLE = Shape("table", dict, "must be a table")
DATE = Shape("date YYYY-MM-DD", date, "must be a date YYYY-MM-DD", cast=_date)
CURRENCY = Shape(
    "ISO 4217 currency code (EUR)",
    str,
    "must be a non-empty text",
    condition=_currency_known,
    rule="must be an ISO 4217 currency code such as EUR",
)
COLOUR = Shape(
    "colour #rrggbb",
    str,
    "must be a non-empty text",
    condition=lambda v: bool(COLOUR_PATTERN.match(v)),
    rule="must be a colour such as #E4003A",
)
CODE = Shape(
    "two-letter lower-case code",
    str,
    "must be a non-empty text",
    condition=lambda v: bool(CODE_PATTERN.match(v)),
    rule="must be a two-letter lower-case code",
)
COUNTRY = Shape(
    "ISO 3166 alpha-2 code, upper case (BE)",
    str,
    "must be a non-empty text",
    condition=lambda v: bool(COUNTRY_PATTERN.match(v)) and _country_known(v),
    rule="must be the ISO 3166 alpha-2 code of a country, in upper case",
)
SLUG = Shape(
    "short code: lower-case letters, digits, '-' or '_'",
    str,
    "must be a non-empty text",
    condition=lambda v: bool(SLUG_PATTERN.match(v)),
    rule="must be a short code of lower-case letters, digits, '-' or '_'",
)
BRAND_LIST = Shape(
    "list of brand elements: " + ", ".join(BRAND_ELEMENTS),
    list,
    "must be a list of texts",
    condition=lambda v: all(x in BRAND_ELEMENTS for x in v),
    rule=f"unknown brand element (known: {', '.join(BRAND_ELEMENTS)})",
)


BOOLEAN = Shape("true or false", bool, "must be true or false")


def whole(low: int, high: int) -> Shape:
    """A whole number from ``low`` to ``high`` (a TOML boolean is not one)."""
    rule = f"must be a whole number from {low} to {high}"
    return Shape(
        f"whole number from {low} to {high}",
        int,
        rule,
        condition=lambda v: not isinstance(v, bool) and low <= v <= high,
        rule=rule,
    )


def fraction(*, allow_zero: bool = True, allow_one: bool = False) -> Shape:
    """A fraction written as a decimal (``"0.065"`` for 6.5 %), bounds as told."""
    low = "0" if allow_zero else "0 excluded"
    high = "1" if allow_one else "1 excluded"

    def within(value: Decimal) -> bool:
        return (value >= 0 if allow_zero else value > 0) and (
            value <= 1 if allow_one else value < 1
        )

    return Shape(
        f'fraction from {low} to {high}, written "0.065" for 6.5 %',
        Decimal,
        'must be a decimal number such as "0.065"',
        condition=within,
        rule=f"must be a fraction from {low} to {high} (write 0.065 for 6.5 %)",
        cast=_decimal,
    )


POSITIVE_AMOUNT = Shape(
    "positive amount, at most the currency's decimals",
    Decimal,
    'must be a decimal number such as "0.065"',
    condition=lambda v: v > 0,
    rule="must be a positive amount",
    cast=_decimal,
)
AMOUNT = Shape(
    "amount, not negative, at most the currency's decimals",
    Decimal,
    'must be a decimal number such as "0.065"',
    condition=lambda v: v >= 0,
    rule="must not be negative",
    cast=_decimal,
)
LEVERAGE = Shape(
    f"number from 0 to {MAX_LEVERAGE}",
    Decimal,
    'must be a decimal number such as "10"',
    condition=lambda v: 0 <= v <= MAX_LEVERAGE,
    rule=f'must be a number from 0 to {MAX_LEVERAGE} (write "10")',
    cast=_decimal,
)


def choice(options: tuple[str, ...]) -> Shape:
    """One of ``options``."""
    rule = f"must be one of {', '.join(options)}"
    return Shape(
        f"one of {', '.join(options)}", str, rule, condition=lambda v: v in options, rule=rule
    )


def tables(rule: str, *, at_least: int = 0) -> Shape:
    """A list of tables (``[[...]]`` in TOML), ``at_least`` of them."""
    return Shape(
        "list of tables" + (f", at least {at_least}" if at_least else ""),
        list,
        rule,
        condition=lambda v: len(v) >= at_least and all(isinstance(x, dict) for x in v),
        rule=rule,
    )


SHARE_CLASSES = Shape(
    "table of classes by code, A and B at least",
    dict,
    "must define class A (workers) and class B (staff, partners, clients)",
    condition=lambda v: {"A", "B"} <= set(v),
)

_IS_FLAT = Validator("basis", eq="flat")
_IS_RATE = Validator("basis", is_in=RATE_BASES)


def _fee_terms(table: str, *, first: bool) -> list[Rule]:
    """The rules of one set of franchise-fee terms (the first ones, or a dated change)."""
    period = (
        "What one fee covers."
        if first
        else "What one fee covers from then on; the earlier terms' period when not given."
    )
    return [
        Rule(
            f"{table}.basis",
            choice(FEE_BASES),
            "What the fee is computed on: fee_income (a rate on the franchisee's "
            "management-fee income), invoiced_volume (a rate on its sales excluding VAT) "
            "or flat (an amount per period).",
        ),
        Rule(
            f"{table}.rate",
            fraction(),
            "The fee's rate, for the fee_income and invoiced_volume bases.",
            when=_IS_RATE,
        ),
        Rule(
            f"{table}.amount",
            AMOUNT,
            "The fee per period, for the flat basis.",
            when=_IS_FLAT,
        ),
        Rule(
            f"{table}.currency",
            CURRENCY,
            "The currency of the flat amount.",
            when=_IS_FLAT,
        ),
        Rule(f"{table}.period", choice(PERIOD_KINDS), period, required=first),
    ]


def _party(table: str) -> list[Rule]:
    return [
        Rule(f"{table}.legal_name", TEXT, "Registered name."),
        Rule(f"{table}.country", COUNTRY, "Country of registration."),
        Rule(
            f"{table}.vat_number",
            TEXT,
            "VAT number, with its country prefix: in the EU it must pass the country's "
            "check digits (python-stdnum), elsewhere letters and digits only. A "
            "franchisee's country plugin reads the franchisor's to treat the franchise fee "
            "(domestic VAT or reverse charge).",
            required=False,
        ),
        Rule(f"{table}.role", TEXT, "The commitments the contract gives it, in words."),
    ]


#: Every setting, in the order the reference lists them and the checks run.
RULES: tuple[Rule, ...] = (
    # --- settings.toml: the core's defaults -----------------------------------------
    Rule(
        "database_url",
        TEXT,
        "Where the instance's database lives: sqlite:///partage.db (embedded, in the "
        "working folder) or postgresql://user@host:5432/name (needs the postgres extra). "
        "--database-url overrides every layer.",
    ),
    Rule(
        "core.default_instance",
        CODE,
        "The instance served when neither --instance nor PARTAGE_INSTANCE chooses one "
        "(read from the settings files: the environment chooses with PARTAGE_INSTANCE).",
        required=False,
    ),
    Rule(
        "ledger.fiscal_year_start_month",
        whole(1, 12),
        "First month of the fiscal year (1 = January).",
    ),
    Rule(
        "limits.einvoice_bytes",
        whole(*UPLOAD_BYTES),
        "The most a supplier e-invoice file (Peppol UBL, CII XML or Factur-X PDF) may "
        "weigh, in bytes; a larger one is refused before it is read (413 on the web).",
    ),
    Rule(
        "limits.einvoice_xml_bytes",
        whole(*UPLOAD_BYTES),
        "The most an e-invoice's XML may weigh, in bytes: the file itself, or the XML a "
        "Factur-X PDF carries once inflated (inflating stops there, so a small PDF cannot "
        "unpack into gigabytes). Checking it against the official rules costs time and "
        "memory in proportion; a larger one is refused before it is parsed.",
    ),
    Rule(
        "limits.receipt_bytes",
        whole(*UPLOAD_BYTES),
        "The most an expense claim's receipt may weigh, in bytes.",
    ),
    Rule(
        "limits.statement_bytes",
        whole(*UPLOAD_BYTES),
        "The most a bank statement file (CAMT.053, CODA) may weigh, in bytes. The web "
        "reads request bodies up to the largest e-invoice or receipt as base64, plus "
        "64 KiB.",
    ),
    Rule(
        "limits.report_bytes",
        whole(*UPLOAD_BYTES),
        "The most a network report file read by partage network report may weigh, in "
        "bytes (a report holds an instance's totals: a few kilobytes).",
    ),
    Rule(
        "email.backend",
        choice(EMAIL_BACKENDS),
        "How messages leave the outbox: smtp (a mail server), file (one .eml file per "
        "message in email.folder, for a demo) or console (printed by the process that "
        "delivers them).",
    ),
    Rule("email.sender", TEXT, "The From address of every message."),
    Rule("email.host", TEXT, "The mail server's host name (smtp backend)."),
    Rule("email.port", whole(1, 65535), "The mail server's port: 587 (starttls), 465 (ssl)."),
    Rule(
        "email.security",
        choice(EMAIL_SECURITIES),
        "How the connection to the mail server is secured: starttls, ssl (TLS from the "
        "start) or none (a server on the same host only).",
    ),
    Rule("email.username", ANY_TEXT, "The mail server's login (empty: none)."),
    Rule(
        "email.password_env",
        ANY_TEXT,
        "The name of the environment variable holding the mail server's password (the "
        "password itself is never written in a settings file).",
    ),
    Rule("email.timeout_seconds", whole(1, 600), "How long to wait on the mail server."),
    Rule("email.folder", TEXT, "Where the file backend writes its .eml files."),
    Rule(
        "email.max_attempts",
        whole(1, 100),
        "Attempts to send a message before it is given up (it stays listed as failed).",
    ),
    Rule(
        "email.first_retry_seconds",
        whole(1, 86400),
        "The wait after a message's first failed attempt; each further failure doubles "
        "it, up to 6 hours.",
    ),
    Rule(
        "email.worker_in_process",
        BOOLEAN,
        "Whether partage serve (and the demo) delivers the outbox itself; otherwise "
        "run partage mail worker beside it.",
    ),
    Rule(
        "email.password_reset_minutes",
        whole(5, 1440),
        "How long the link of an emailed password reset stays valid, in minutes.",
    ),
    Rule(
        "email.invitation_days",
        whole(1, 60),
        "How long the link inviting a newly admitted member to choose their password "
        "stays valid, in days.",
    ),
    Rule(
        "einvoicing.company_size",
        choice(COMPANY_SIZES),
        "The cooperative's size, by which the French e-invoicing reform phases issuing: "
        "large, mid (ETI), sme or micro.",
    ),
    Rule(
        "einvoicing.max_attempts",
        whole(1, 100),
        "Attempts to transmit an invoice on transient errors (the provider down, a 5xx "
        "answer) before it is given up and listed as failed.",
    ),
    Rule(
        "einvoicing.first_retry_seconds",
        whole(1, 86400),
        "The wait after a transmission's first transient failure; each further one "
        "doubles it, up to 6 hours.",
    ),
    Rule(
        "einvoicing.timeout_seconds",
        whole(1, 600),
        "How long one request may wait on the access point or platform.",
    ),
    Rule(
        "einvoicing.peppol.provider",
        ANY_TEXT,
        "The name of the Peppol access point the cooperative contracted with (empty: none; "
        "invoices that the law sends there are then listed as not transmitted).",
    ),
    Rule("einvoicing.peppol.api", choice(PEPPOL_APIS), "The API its adapter speaks."),
    Rule("einvoicing.peppol.base_url", ANY_TEXT, "The address of its API (https://...)."),
    Rule(
        "einvoicing.peppol.token_env",
        ANY_TEXT,
        "The name of the environment variable holding its API token (the token itself "
        "is never written in a settings file).",
    ),
    Rule(
        "einvoicing.peppol.sender_id",
        ANY_TEXT,
        "The cooperative's own address on that network (Peppol: 0208:<enterprise "
        "number>; platform: its SIREN).",
    ),
    Rule(
        "einvoicing.platform.provider",
        ANY_TEXT,
        "The name of the approved platform (France) the cooperative contracted with (empty: none; "
        "invoices that the law sends there are then listed as not transmitted).",
    ),
    Rule("einvoicing.platform.api", choice(PLATFORM_APIS), "The API its adapter speaks."),
    Rule("einvoicing.platform.base_url", ANY_TEXT, "The address of its API (https://...)."),
    Rule(
        "einvoicing.platform.token_env",
        ANY_TEXT,
        "The name of the environment variable holding its API token (the token itself "
        "is never written in a settings file).",
    ),
    Rule(
        "einvoicing.platform.sender_id",
        ANY_TEXT,
        "The cooperative's own address on that network (Peppol: 0208:<enterprise "
        "number>; platform: its SIREN).",
    ),
    Rule(
        "registries.vies.enabled",
        BOOLEAN,
        "Whether a new business client's details are asked of "
        "the EU's VAT number check (VIES, its REST API).",
    ),
    Rule("registries.vies.base_url", TEXT, "The address of that register's service."),
    Rule(
        "registries.vies.timeout_seconds",
        whole(1, 30),
        "How long to wait on that register before telling the member it is down.",
    ),
    Rule(
        "registries.vies.token_env",
        ANY_TEXT,
        "The name of the environment variable holding that register's token, sent as a "
        "bearer token (empty: none; the token itself is never written in a settings file).",
    ),
    Rule(
        "registries.kbo.enabled",
        BOOLEAN,
        "Whether a new business client's details are asked of "
        "the Belgian enterprise register (KBO/BCE, a JSON service such as kbodata).",
    ),
    Rule("registries.kbo.base_url", TEXT, "The address of that register's service."),
    Rule(
        "registries.kbo.timeout_seconds",
        whole(1, 30),
        "How long to wait on that register before telling the member it is down.",
    ),
    Rule(
        "registries.kbo.token_env",
        ANY_TEXT,
        "The name of the environment variable holding that register's token, sent as a "
        "bearer token (empty: none; the token itself is never written in a settings file).",
    ),
    Rule(
        "registries.sirene.enabled",
        BOOLEAN,
        "Whether a new business client's details are asked of "
        "the French register of businesses (SIRENE: recherche-entreprises or INSEE's API).",
    ),
    Rule("registries.sirene.base_url", TEXT, "The address of that register's service."),
    Rule(
        "registries.sirene.timeout_seconds",
        whole(1, 30),
        "How long to wait on that register before telling the member it is down.",
    ),
    Rule(
        "registries.sirene.token_env",
        ANY_TEXT,
        "The name of the environment variable holding that register's token, sent as a "
        "bearer token (empty: none; the token itself is never written in a settings file).",
    ),
    Rule(
        "instance.guarantee_fund.coverage_rate",
        fraction(allow_zero=False, allow_one=True),
        "Fraction of an eligible open receivable (an issued invoice, client not in "
        "default) the salary guarantee fund guarantees (0.80 = 80 %). The cooperative's "
        "own policy, voted by its general assembly: an instance sets its own.",
    ),
    Rule(
        "instance.guarantee_fund.max_days_overdue",
        whole(0, MAX_DAYS_OVERDUE),
        "A receivable overdue by more than this many days is no longer guaranteed.",
    ),
    Rule(
        "instance.guarantee_fund.ceiling_per_entity",
        POSITIVE_AMOUNT,
        "The most the fund guarantees for one entity at a time, in the instance's "
        "currency. The default is sized for the euro: new-country scales it by the "
        "country's price level.",
    ),
    Rule(
        "instance.guarantee_fund.leverage",
        LEVERAGE,
        "How many times its balance the fund may guarantee at once: the coverage the "
        "entities use, summed, never exceeds balance × leverage, and a commitment that "
        "would need more is refused. 10 keeps the fund at a tenth of what it backs; 0 "
        "suspends new coverage.",
    ),
    Rule(
        "instance.act_dates.days_back",
        whole(0, MAX_ACT_DAYS),
        "How many days before today an act may be dated. A month must also still be "
        "open: this window stops dates typed wrong (2000 for 2026), closing the months "
        "stops late entries into finished periods. Correcting a past period is an act "
        "of its own dated today (back pay, a credit note), never a back-dated act.",
    ),
    Rule(
        "instance.act_dates.days_ahead",
        whole(0, MAX_ACT_DAYS),
        "How many days after today an act may be dated (a payroll run paid at the end "
        "of the month, say). 0 refuses every date after today.",
    ),
    Rule(
        "instance.act_dates.max_payment_term_days",
        whole(0, MAX_ACT_DAYS),
        "The longest payment term a sales invoice may give its client, in days after "
        "the invoice's date: the guarantee fund covers a receivable until it is overdue, "
        "so a far due date would keep it covered. Where the country's law caps payment "
        "terms (60 days in Belgium and France), the shorter of the two applies.",
    ),
    # --- instances/<code>.toml: one national instance -------------------------------
    Rule("instance.code", CODE, "The instance's code: its file is instances/<code>.toml."),
    Rule("instance.name", TEXT, "Display name."),
    Rule("instance.legal_name", TEXT, "The cooperative's registered name."),
    Rule(
        "instance.country_plugin",
        TEXT,
        "The installed country plugin serving the instance (partage plugins list).",
    ),
    Rule(
        "instance.currency",
        CURRENCY,
        "Currency of the instance's books: the one its country plugin keeps books in.",
    ),
    Rule("instance.languages", TEXTS, "Languages the instance works in (ISO 639-1 codes)."),
    Rule(
        "instance.management_fee_rate",
        fraction(),
        "Management fee on amounts invoiced excluding VAT (0.065 = 6.5 %).",
    ),
    Rule(
        "instance.management_fee_changes",
        tables('must be a list of {from = YYYY-MM-DD, rate = "0.07"}'),
        'Later management fee rates, each {from = YYYY-MM-DD, rate = "0.07"}, by '
        "strictly increasing date; management_fee_rate applies before the first.",
        required=False,
    ),
    Rule(
        "instance.management_fee_changes[].from",
        DATE,
        "First day the rate applies.",
    ),
    Rule("instance.management_fee_changes[].rate", fraction(), "The rate from that day."),
    Rule(
        "instance.internal_fee_rate",
        fraction(),
        "Fee on an invoice between two entities of the cooperative, charged to the seller "
        "(0.02 = 2 %); none when left out: the fee is taken once, on the sale outside.",
        required=False,
    ),
    Rule(
        "instance.vat_on_debits",
        BOOLEAN,
        "The cooperative opted to pay the VAT of its services when it invoices them "
        "rather than when it is paid (France: option pour les débits, CGI art. 269-2-c; "
        "invoices then print the option). False when left out: services' VAT is due on "
        "payment where the country's law says so.",
        required=False,
    ),
    Rule(
        "instance.numbering",
        choice(("instance", "entity")),
        "How invoices and credit notes are numbered: instance (one continuous series of "
        "each for the cooperative, F2026-000123) or entity (a continuous series per "
        "entity, E000042-F2026-000007), so that one entity's late invoice never holds "
        "another's back (Directive 2006/112/EC art. 226 2°; BE AR n°1 art. 5 §1; "
        "FR CGI ann. II art. 242 nonies A I).",
        required=False,
    ),
    Rule(
        "instance.guarantee_fund.share_of_fee_income",
        fraction(allow_one=True),
        "Share of management-fee income allocated to the salary guarantee fund.",
    ),
    Rule(
        "instance.shares.nominal_value",
        POSITIVE_AMOUNT,
        "Nominal value of one cooperative share, in the instance's currency.",
    ),
    Rule(
        "instance.shares.classes",
        SHARE_CLASSES,
        "The classes of shares, by code: class A (workers who use the cooperative's "
        "services) and class B (permanent staff, partners, clients) at least.",
    ),
    Rule("instance.shares.classes.<class>.name", TEXT, "Who holds shares of the class."),
    Rule(
        "instance.membership.appeal_body",
        choice(APPEAL_BODIES),
        "The body a refused applicant appeals to, once, as the statutes name it: the "
        "ethics_committee, the board or the general_assembly (an administrator records "
        "the decision of the board or the assembly).",
    ),
    Rule(
        "instance.reminders.friendly_days",
        whole(1, 3650),
        "Days after an invoice's due date when its friendly reminder is sent.",
    ),
    Rule(
        "instance.reminders.second_days",
        whole(1, 3650),
        "Days after an invoice's due date when its second reminder is sent (after the "
        "friendly one).",
    ),
    Rule(
        "instance.reminders.formal_notice_days",
        whole(1, 3650),
        "Days after an invoice's due date when its formal notice is sent (after the "
        "second reminder).",
    ),
    Rule(
        "instance.reminders.charge_by_default",
        BOOLEAN,
        "Whether a reminder claims the late-payment interest and compensation the law "
        "allows unless the member chooses otherwise.",
    ),
    Rule(
        "instance.shares.redemption.min_months_held",
        whole(0, 120),
        "Months after admission before a member's shares may be repaid (the statutes).",
    ),
    Rule(
        "instance.shares.redemption.yearly_limit",
        fraction(allow_zero=True, allow_one=True),
        "The most shares repaid in a calendar year, as a fraction of the shares issued on "
        "its first day (the statutes; 1 = no limit).",
    ),
    Rule(
        "instance.shares.redemption.board_approval",
        BOOLEAN,
        "Whether each redemption needs the board's approval, recorded with it (the statutes).",
    ),
    Rule(
        "instance.shares.classes.<class>.minimum",
        whole(1, 10_000),
        "Shares a member of the class must subscribe.",
    ),
    Rule(
        "instance.offices",
        tables("must list at least one office", at_least=1),
        "The local offices ([[instance.offices]]), one at least.",
    ),
    Rule("instance.offices[].code", SLUG, "The office's short, stable code (bru)."),
    Rule("instance.offices[].name", TEXT, "The office's display name."),
    Rule("instance.offices[].address", TEXT, "The office's postal address."),
    Rule(
        "instance.offices[].sectors",
        TEXTS,
        "Installed sector plugins enabled in the office (couriers).",
        required=False,
    ),
    Rule(
        "instance.offices[].payroll_authority",
        TEXT,
        "The local authority whose levy on salaries applies at the office, as the "
        "country plugin names it (France: the mobility authority of the versement "
        "mobilité, idfm_paris_petite_couronne).",
        required=False,
    ),
    Rule(
        "instance.issuer",
        TABLE,
        "The cooperative as the issuer of its invoices, payment files and declarations; "
        "documents are refused until it is given. Its identifiers are checked by the "
        "country plugin.",
        required=False,
    ),
    Rule("instance.issuer.legal_name", TEXT, "Registered name printed on documents."),
    Rule("instance.issuer.street", TEXT, "Street and number of the registered seat."),
    Rule("instance.issuer.postcode", TEXT, "Postcode of the registered seat."),
    Rule("instance.issuer.city", TEXT, "City of the registered seat."),
    Rule("instance.issuer.vat_number", TEXT, "VAT number, with the country prefix."),
    Rule(
        "instance.issuer.company_id",
        TEXT,
        "Registration number (Belgian enterprise number, French SIREN).",
    ),
    Rule("instance.issuer.iban", TEXT, "The account clients pay into."),
    Rule(
        "instance.issuer.bic",
        ANY_TEXT,
        "The BIC of the IBAN's bank, of the IBAN's country.",
        required=False,
    ),
    Rule(
        "instance.issuer.register",
        ANY_TEXT,
        "The register and court the cooperative is recorded at (RPM Bruxelles, RCS Paris).",
        required=False,
    ),
    Rule(
        "instance.issuer.email",
        ANY_TEXT,
        "Where clients write about invoices.",
        required=False,
    ),
    Rule(
        "instance.issuer.social_security_id",
        ANY_TEXT,
        "Employer number at social security (Belgian ONSS number, French SIRET).",
        required=False,
    ),
    Rule(
        "instance.issuer.<fact>",
        ANY_TEXT,
        "Any further fact the country's legal mentions name (French invoices: siren, "
        "siret, rcs_city, capital_minimum).",
        required=False,
    ),
    Rule(
        "instance.brand",
        TABLE,
        "The instance's adaptations of the brand, each among the elements the contract "
        "lets a franchisee change (network.brand.franchisee_may_change).",
        required=False,
    ),
    Rule("instance.brand.name", TEXT, "The brand's name.", required=False),
    Rule("instance.brand.primary_colour", COLOUR, "Primary colour.", required=False),
    Rule("instance.brand.secondary_colour", COLOUR, "Secondary colour.", required=False),
    Rule("instance.brand.logo", TEXT, "The logo.", required=False),
    Rule("instance.brand.values", TEXTS, "The values the brand stands for.", required=False),
    Rule(
        "instance.brand.local_name_suffix",
        TEXT,
        "What follows the brand's name in the territory (Belgique - België).",
        required=False,
    ),
    Rule("instance.brand.languages", TEXTS, "Languages of the brand.", required=False),
    Rule(
        "instance.brand.legal_mentions",
        TEXTS,
        "Mentions the territory's law adds under the brand.",
        required=False,
    ),
    # --- network.toml: the social-franchise contract ---------------------------------
    Rule("network.name", TEXT, "The network's name."),
    Rule("network.contract_version", TEXT, "Version of the contract's text."),
    *_party("network.franchisor"),
    Rule("network.brand.name", TEXT, "The brand every franchisee keeps."),
    Rule("network.brand.primary_colour", COLOUR, "The brand's primary colour."),
    Rule("network.brand.secondary_colour", COLOUR, "The brand's secondary colour."),
    Rule("network.brand.values", TEXTS, "The values the brand stands for."),
    Rule(
        "network.brand.franchisee_may_change",
        BRAND_LIST,
        "Brand elements a franchisee may adapt to its territory, in an [instance.brand] "
        "table of its instance file.",
    ),
    Rule(
        "network.brand.franchisee_must_keep",
        BRAND_LIST,
        "Brand elements a franchisee must keep as the contract sets them.",
    ),
    *_fee_terms("network.franchise_fee", first=True),
    Rule(
        "network.franchise_fee.changes",
        tables("must be a list of tables with from, basis, rate..."),
        "Dated changes of the fee terms ([[network.franchise_fee.changes]]), each "
        "starting on the first day of a period of its kind, by increasing date.",
        required=False,
    ),
    Rule("network.franchise_fee.changes[].from", DATE, "First day the terms apply."),
    *_fee_terms("network.franchise_fee.changes[]", first=False),
    Rule(
        "network.reporting.cadence",
        choice(PERIOD_KINDS),
        "How often each instance exports its network report (partage network export).",
    ),
    Rule(
        "network.reporting.schema_version",
        TEXT,
        "Version of the network report's JSON schema; one this core writes.",
    ),
    Rule("network.tools.provided", TEXTS, "The tools the franchisor provides, each once."),
    Rule(
        "network.franchisees",
        tables("must be a list of tables"),
        "The national partners ([[network.franchisees]]), each code once.",
        required=False,
    ),
    Rule("network.franchisees[].code", CODE, "The code of the instance it runs."),
    *_party("network.franchisees[]"),
    Rule(
        "network.franchisees[].contact",
        TEXT,
        "Who at the franchisee answers the franchisor (a name and an email address).",
        required=False,
    ),
    Rule(
        "network.franchisees[].since",
        DATE,
        "First day the franchisee is in the network: its first network report and "
        "franchise fee cover the period containing it.",
        required=False,
    ),
)


def _roots() -> tuple[frozenset[str], frozenset[str]]:
    keys = [rule.key for rule in RULES]
    scalars = frozenset(k for k in keys if "." not in k)
    tables_ = frozenset(k.partition(".")[0] for k in keys if "." in k)
    return scalars, tables_


#: The top-level settings that are values (``database_url``) and tables (``instance``):
#: what a ``PARTAGE_*`` variable may set.
SCALAR_ROOTS, TABLE_ROOTS = _roots()
