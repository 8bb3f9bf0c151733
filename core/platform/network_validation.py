"""Validating the franchise contract (``[network]``) and an instance's brand adaptations.

The contract's terms are the network's, not an instance's: a franchisee's own layers
(its ``instances/<code>.toml`` and ``PARTAGE_*`` variables) may adapt only the brand
elements the contract lists under ``franchisee_may_change``, in an ``[instance.brand]``
table. Overriding a brand element it must keep, or any other term of the contract, is
refused like every bad setting: with the file, the key, the value and the rule.

:func:`validate_network` is called by :func:`partage.core.platform.validation.validate`
once the instance is validated; it reads through the configuration's reader so that
every refusal is a :class:`~partage.core.contract.errors.ConfigError`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat

from partage.core.contract.money import MoneyError, minor_exponent, to_minor
from partage.core.contract.periods import PERIOD_KINDS, Period
from partage.core.platform.network import (
    FeeTerms,
    FranchiseFee,
    NetworkConfig,
    NetworkParty,
    report_schema_versions,
)

if TYPE_CHECKING:
    from partage.core.platform.config import InstanceConfig
    from partage.core.platform.validation import SettingsReader

FEE_BASES = ("fee_income", "invoiced_volume", "flat")
#: Every brand element a contract may name in ``franchisee_may_change`` or
#: ``franchisee_must_keep``.
BRAND_ELEMENTS = (
    "name",
    "primary_colour",
    "secondary_colour",
    "logo",
    "values",
    "local_name_suffix",
    "languages",
    "legal_mentions",
)
_CODE = re.compile(r"^[a-z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_NON_EU_VAT = re.compile(r"^[A-Za-z0-9]+$")
#: The prefix of a member state's VAT numbers where it is not its ISO code (Greece).
_VAT_PREFIX = {"GR": "EL"}


def _date(read: SettingsReader, key: str) -> date:
    value = read.raw(key)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value)
    if not isinstance(value, date):
        read.fail(key, value, "must be a date YYYY-MM-DD")
    return value


def _terms(read: SettingsReader, key: str, start: date | None, inherited: str | None) -> FeeTerms:
    """One set of fee terms under ``key``; ``inherited`` is the period of earlier terms."""
    basis = read.choice(f"{key}.basis", FEE_BASES)
    rate = amount = currency = None
    if basis == "flat":
        currency = read.text(f"{key}.currency", _CURRENCY, "must be an ISO 4217 code such as EUR")
        try:
            minor_exponent(currency)
        except MoneyError as exc:
            read.fail(f"{key}.currency", currency, str(exc))
        amount = read.decimal(f"{key}.amount")
        if amount < 0:
            read.fail(f"{key}.amount", read.raw(f"{key}.amount"), "must not be negative")
        try:
            to_minor(amount, currency, field=f"{key}.amount")
        except MoneyError as exc:
            read.fail(f"{key}.amount", read.raw(f"{key}.amount"), exc.rule)
    else:
        rate = read.fraction(f"{key}.rate")
    if inherited is None or read.raw(f"{key}.period", None) is not None:
        period = read.choice(f"{key}.period", PERIOD_KINDS)
    else:
        period = inherited
    if start is not None and Period.of_kind(period, start).start != start:
        read.fail(
            f"{key}.from",
            start.isoformat(),
            f"must be the first day of a {period}, so that no {period} is split between terms",
        )
    return FeeTerms(basis, rate, amount, currency, period, start)


def _franchise_fee(read: SettingsReader) -> FranchiseFee:
    key = "network.franchise_fee"
    first = _terms(read, key, None, None)
    raw = read.raw(f"{key}.changes", [])
    if not isinstance(raw, list):
        read.fail(f"{key}.changes", raw, "must be a list of tables with from, basis, rate...")
    changes: list[FeeTerms] = []
    for i in range(len(raw)):
        at = f"{key}.changes[{i}]"
        start = _date(read, f"{at}.from")
        if changes and start <= changes[-1].start:  # type: ignore[operator]
            read.fail(f"{at}.from", start.isoformat(), "dates must be strictly increasing")
        changes.append(_terms(read, at, start, (changes[-1] if changes else first).period))
    return FranchiseFee(
        first.basis,
        first.rate,
        first.amount,
        first.currency,
        first.period,
        None,
        tuple(changes),
    )


def _vat_number(read: SettingsReader, key: str, country: str) -> str | None:
    """An optional VAT number: checked by python-stdnum (prefix, length, check digits)
    for a member state of the EU, whose numbers the VIES scheme shares; elsewhere each
    country has its own scheme, so letters and digits are all that is asked."""
    if read.raw(key, None) is None:
        return None
    number = read.text(key)
    if country.lower() not in eu_vat.MEMBER_STATES:
        if not _NON_EU_VAT.match(number):
            read.fail(key, number, "must be letters and digits only (no spaces or punctuation)")
        return number.upper()
    prefix = _VAT_PREFIX.get(country, country)
    if not eu_vat.is_valid(number) or _compact_vat(number)[:2] not in (country, prefix):
        read.fail(
            key,
            number,
            f"must be a valid EU VAT number of {country} ({prefix} then the national "
            "number, with the right length and check digits)",
        )
    return _compact_vat(number)


def _compact_vat(number: str) -> str:
    """A VAT number without spaces or punctuation, upper case, as python-stdnum writes
    it for a member state (``be 0403.019.261`` → ``BE0403019261``)."""
    try:
        return eu_vat.compact(number)
    except stdnum_errors.ValidationError:
        return "".join(c for c in number if c.isalnum()).upper()


def _party(read: SettingsReader, prefix: str, code: str | None = None) -> NetworkParty:
    code = code or read.text(f"{prefix}.code", _CODE, "must be a two-letter lower-case code")
    legal_name = read.text(f"{prefix}.legal_name")
    country = read.text(
        f"{prefix}.country", _COUNTRY, "must be an ISO 3166 alpha-2 code in upper case"
    )
    return NetworkParty(
        code=code,
        legal_name=legal_name,
        country=country,
        role=read.text(f"{prefix}.role"),
        vat_number=_vat_number(read, f"{prefix}.vat_number", country),
    )


def _franchisees(read: SettingsReader) -> tuple[NetworkParty, ...]:
    raw = read.raw("network.franchisees", [])
    if not isinstance(raw, list):
        read.fail("network.franchisees", raw, "must be a list of tables")
    parties: list[NetworkParty] = []
    for i in range(len(raw)):
        party = _party(read, f"network.franchisees[{i}]")
        if any(p.code == party.code for p in parties):
            read.fail(f"network.franchisees[{i}].code", party.code, "appears twice")
        parties.append(party)
    return tuple(parties)


def _elements(read: SettingsReader, key: str) -> tuple[str, ...]:
    names = read.texts(key)
    for name in names:
        if name not in BRAND_ELEMENTS:
            read.fail(key, name, f"unknown brand element (known: {', '.join(BRAND_ELEMENTS)})")
    return names


def _brand_value(read: SettingsReader, key: str, element: str) -> Any:
    """An adapted brand element, checked for the shape its element requires."""
    if element in ("primary_colour", "secondary_colour"):
        return read.text(key, _COLOUR, "must be a colour such as #E4003A")
    if element in ("values", "languages", "legal_mentions"):
        return list(read.texts(key))
    return read.text(key)


def _adaptations(
    read: SettingsReader, may_change: tuple[str, ...], must_keep: tuple[str, ...]
) -> tuple[tuple[str, Any], ...]:
    """The instance's ``[instance.brand]`` table, checked against the brand rules."""
    raw = read.raw("instance.brand", {})
    if not isinstance(raw, Mapping):
        read.fail("instance.brand", raw, "must be a table of brand elements")
    adapted = []
    for element in sorted(raw):
        key = f"instance.brand.{element}"
        if element in must_keep:
            read.fail(
                key,
                raw[element],
                f"brand element '{element}' is one a franchisee must keep "
                "(network.brand.franchisee_must_keep)",
            )
        if element not in may_change:
            read.fail(
                key,
                raw[element],
                "not a brand element a franchisee may change (may change: "
                f"{', '.join(may_change) or 'nothing'})",
            )
        adapted.append((element, _brand_value(read, key, element)))
    return tuple(adapted)


def _leaves(data: Mapping[str, Any], prefix: str) -> list[str]:
    keys = []
    for name, value in data.items():
        if isinstance(value, Mapping) and value:
            keys += _leaves(value, f"{prefix}{name}.")
        else:
            keys.append(f"{prefix}{name}")
    return keys


def _refuse_overrides(read: SettingsReader) -> None:
    """Refuse contract terms set by a franchisee's layer (instance file or environment).

    The brand rules themselves are contract terms, so they are checked first: once they
    are known to come from the contract, a brand element the franchisee may change is
    let through and every other one refused.
    """
    contract_layers = {str(path) for path in read.resolved.layers[:2]}
    network = read.raw("network", {})
    if not isinstance(network, Mapping):
        read.fail("network", network, "must be a table")
    overridden = [
        key
        for key in _leaves(network, "network.")
        if read.resolved.source_of(key) not in contract_layers
    ]
    rules = ("network.brand.franchisee_may_change", "network.brand.franchisee_must_keep")
    for key in overridden:
        if not key.startswith("network.brand.") or key in rules:
            read.fail(
                key,
                read.raw(key, None),
                "a term of the franchise contract: only network.toml sets it",
            )
    may_change, must_keep = (read.raw(rule, []) for rule in rules)
    for key in overridden:
        element = key.removeprefix("network.brand.").split(".")[0]
        if isinstance(may_change, list) and element in may_change:
            continue
        kept = isinstance(must_keep, list) and element in must_keep
        read.fail(
            key,
            read.raw(key, None),
            f"brand element '{element}' is one a franchisee must keep "
            "(network.brand.franchisee_must_keep); only network.toml sets it"
            if kept
            else f"brand element '{element}' is not one a franchisee may change",
        )


def _check_own_record(
    read: SettingsReader, franchisees: tuple[NetworkParty, ...], instance: InstanceConfig
) -> None:
    """The contract's record of this instance must agree with the instance's file."""
    for i, party in enumerate(franchisees):
        if party.code != instance.code:
            continue
        if party.legal_name != instance.legal_name:
            read.fail(
                f"network.franchisees[{i}].legal_name",
                party.legal_name,
                f"must match instance.legal_name {instance.legal_name!r} of instance "
                f"{instance.code}",
            )
        if party.country.lower() != instance.country_plugin:
            read.fail(
                f"network.franchisees[{i}].country",
                party.country,
                f"instance {instance.code} is served by country plugin {instance.country_plugin!r}",
            )
        issuer = instance.issuer
        if (
            party.vat_number is not None
            and issuer is not None
            and party.vat_number != _compact_vat(issuer.vat_number)
        ):
            read.fail(
                f"network.franchisees[{i}].vat_number",
                party.vat_number,
                f"must match instance.issuer.vat_number {issuer.vat_number!r} of instance "
                f"{instance.code}",
            )


def _colour(read: SettingsReader, name: str) -> str:
    return read.text(f"network.brand.{name}", _COLOUR, "must be a colour such as #E4003A")


def _texts_unique(read: SettingsReader, key: str) -> tuple[str, ...]:
    values = read.texts(key)
    for value in values:
        if values.count(value) > 1:
            read.fail(key, value, "appears twice")
    return values


def validate_network(read: SettingsReader, instance: InstanceConfig) -> NetworkConfig:
    """Check the contract and this instance's brand adaptations; return the contract."""
    _refuse_overrides(read)
    may_change = _elements(read, "network.brand.franchisee_may_change")
    must_keep = _elements(read, "network.brand.franchisee_must_keep")
    for element in may_change:
        if element in must_keep:
            read.fail(
                "network.brand.franchisee_may_change",
                element,
                "is also in franchisee_must_keep: an element is kept or adaptable, not both",
            )
    franchisees = _franchisees(read)
    _check_own_record(read, franchisees, instance)
    version = read.text("network.reporting.schema_version")
    shipped = report_schema_versions()
    if version not in shipped:
        read.fail(
            "network.reporting.schema_version",
            version,
            f"this core writes network reports in version {', '.join(shipped)}",
        )
    return NetworkConfig(
        name=read.text("network.name"),
        contract_version=read.text("network.contract_version"),
        franchisor=_party(read, "network.franchisor", code="franchisor"),
        franchisees=franchisees,
        brand_name=read.text("network.brand.name"),
        brand_colours=(_colour(read, "primary_colour"), _colour(read, "secondary_colour")),
        brand_values=read.texts("network.brand.values"),
        brand_may_change=may_change,
        brand_must_keep=must_keep,
        brand_adaptations=_adaptations(read, may_change, must_keep),
        franchise_fee=_franchise_fee(read),
        reporting_cadence=read.choice("network.reporting.cadence", PERIOD_KINDS),
        reporting_schema_version=version,
        tools=_texts_unique(read, "network.tools.provided"),
    )
