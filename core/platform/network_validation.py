"""Validating the franchise contract (``[network]``) and an instance's brand adaptations.

The contract's terms are the network's, not an instance's: a franchisee's own layers
(its ``instances/<code>.toml`` and ``PARTAGE_*`` variables) may adapt only the brand
elements the contract lists under ``franchisee_may_change``, in an ``[instance.brand]``
table. Overriding a brand element it must keep, or any other term of the contract, is
refused like every bad setting: with the file, the key, the value and the rule.

:func:`validate_network` is called by :func:`partage.core.platform.validation.validate`
once every setting passed its rule (:mod:`.settings_rules`: types, ranges, brand
elements, fee bases) and the instance is validated; it checks what spans several keys
or needs a library (VAT check digits, the brand rules, dated changes), through the
checked settings so that every refusal is a
:class:`~partage.core.contract.errors.ConfigError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat

from partage.core.contract.money import MoneyError, to_minor
from partage.core.contract.periods import Period
from partage.core.platform.network import (
    FeeTerms,
    FranchiseFee,
    NetworkConfig,
    NetworkParty,
    report_schema_versions,
)

if TYPE_CHECKING:
    from partage.core.platform.config import InstanceConfig
    from partage.core.platform.validation import Checked

_NON_EU_VAT = re.compile(r"^[A-Za-z0-9]+$")
#: The prefix of a member state's VAT numbers where it is not its ISO code (Greece).
_VAT_PREFIX = {"GR": "EL"}


def _terms(read: Checked, key: str, start: date | None, inherited: str | None) -> FeeTerms:
    """One set of fee terms under ``key``; ``inherited`` is the period of earlier terms."""
    basis = read[f"{key}.basis"]
    rate = amount = currency = None
    if basis == "flat":
        currency, amount = read[f"{key}.currency"], read[f"{key}.amount"]
        try:
            to_minor(amount, currency, field=f"{key}.amount")
        except MoneyError as exc:
            read.fail(f"{key}.amount", read.raw(f"{key}.amount"), exc.rule)
    else:
        rate = read[f"{key}.rate"]
    period: str = read.get(f"{key}.period", inherited)  # the first terms' is required
    if start is not None and Period.of_kind(period, start).start != start:
        read.fail(
            f"{key}.from",
            start.isoformat(),
            f"must be the first day of a {period}, so that no {period} is split between terms",
        )
    return FeeTerms(basis, rate, amount, currency, period, start)


def _franchise_fee(read: Checked) -> FranchiseFee:
    key = "network.franchise_fee"
    first = _terms(read, key, None, None)
    changes: list[FeeTerms] = []
    for i in range(len(read.get(f"{key}.changes", []))):
        at = f"{key}.changes[{i}]"
        start: date = read[f"{at}.from"]
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


def _vat_number(read: Checked, key: str, country: str) -> str | None:
    """An optional VAT number: checked by python-stdnum (prefix, length, check digits)
    for a member state of the EU, whose numbers the VIES scheme shares; elsewhere each
    country has its own scheme, so letters and digits are all that is asked."""
    number = read.get(key)
    if number is None:
        return None
    if country.lower() not in eu_vat.MEMBER_STATES:
        if not _NON_EU_VAT.match(number):
            read.fail(key, number, "must be letters and digits only (no spaces or punctuation)")
        return str(number).upper()
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
        return str(eu_vat.compact(number))
    except stdnum_errors.ValidationError:
        return "".join(c for c in number if c.isalnum()).upper()


def _party(read: Checked, prefix: str, code: str) -> NetworkParty:
    country = read[f"{prefix}.country"]
    return NetworkParty(
        code=code,
        legal_name=read[f"{prefix}.legal_name"],
        country=country,
        role=read[f"{prefix}.role"],
        vat_number=_vat_number(read, f"{prefix}.vat_number", country),
    )


def _franchisees(read: Checked) -> tuple[NetworkParty, ...]:
    parties: list[NetworkParty] = []
    for i in range(len(read.get("network.franchisees", []))):
        key = f"network.franchisees[{i}]"
        party = replace(
            _party(read, key, read[f"{key}.code"]),
            contact=read.get(f"{key}.contact"),
            since=read.get(f"{key}.since"),
        )
        if any(p.code == party.code for p in parties):
            read.fail(f"{key}.code", party.code, "appears twice")
        parties.append(party)
    return tuple(parties)


def _adaptations(
    read: Checked, may_change: tuple[str, ...], must_keep: tuple[str, ...]
) -> tuple[tuple[str, Any], ...]:
    """The instance's ``[instance.brand]`` table, checked against the brand rules."""
    raw = read.get("instance.brand", {})
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
        adapted.append((element, read[key]))
    return tuple(adapted)


def _leaves(data: Mapping[str, Any], prefix: str) -> list[str]:
    keys = []
    for name, value in data.items():
        if isinstance(value, Mapping) and value:
            keys += _leaves(value, f"{prefix}{name}.")
        else:
            keys.append(f"{prefix}{name}")
    return keys


def _refuse_overrides(read: Checked) -> None:
    """Refuse contract terms set by a layer other than a ``network.toml`` (the shipped
    contract and the franchisor's): an instance file, the environment, a settings file.

    The brand rules themselves are contract terms, so they are checked first: once they
    are known to come from the contract, a brand element the franchisee may change is
    let through and every other one refused.
    """
    contract_layers = {str(path) for path in read.resolved.layers if path.name == "network.toml"}
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
    read: Checked, franchisees: tuple[NetworkParty, ...], instance: InstanceConfig
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


def _texts_unique(read: Checked, key: str) -> tuple[str, ...]:
    values = tuple(read[key])
    for value in values:
        if values.count(value) > 1:
            read.fail(key, value, "appears twice")
    return values


def validate_network(read: Checked, instance: InstanceConfig) -> NetworkConfig:
    """Check the contract and this instance's brand adaptations; return the contract."""
    _refuse_overrides(read)
    may_change = tuple(read["network.brand.franchisee_may_change"])
    must_keep = tuple(read["network.brand.franchisee_must_keep"])
    for element in may_change:
        if element in must_keep:
            read.fail(
                "network.brand.franchisee_may_change",
                element,
                "is also in franchisee_must_keep: an element is kept or adaptable, not both",
            )
    franchisees = _franchisees(read)
    _check_own_record(read, franchisees, instance)
    version = read["network.reporting.schema_version"]
    shipped = report_schema_versions()
    if version not in shipped:
        read.fail(
            "network.reporting.schema_version",
            version,
            f"this core writes network reports in version {', '.join(shipped)}",
        )
    return NetworkConfig(
        name=read["network.name"],
        contract_version=read["network.contract_version"],
        franchisor=_party(read, "network.franchisor", "franchisor"),
        franchisees=franchisees,
        brand_name=read["network.brand.name"],
        brand_colours=(
            read["network.brand.primary_colour"],
            read["network.brand.secondary_colour"],
        ),
        brand_values=tuple(read["network.brand.values"]),
        brand_may_change=may_change,
        brand_must_keep=must_keep,
        brand_adaptations=_adaptations(read, may_change, must_keep),
        franchise_fee=_franchise_fee(read),
        reporting_cadence=read["network.reporting.cadence"],
        reporting_schema_version=version,
        tools=_texts_unique(read, "network.tools.provided"),
    )
