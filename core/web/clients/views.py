"""Shaping the client directory's rows for the API and the pages."""

from __future__ import annotations

from partage.core.access.clients import DirectoryRow, NumberLookup
from partage.core.access.parties import is_business
from partage.core.members.clients import ClientDetails
from partage.core.web.clients import schemas as s
from partage.core.web.pages import Form


def client_out(row: DirectoryRow) -> s.ClientOut:
    p = row.party
    return s.ClientOut(
        code=p.code,
        name=p.name,
        business=is_business(p),
        country=p.country,
        vat_number=p.vat_number,
        company_number=p.company_number,
        postcode=p.postcode,
        town=p.town,
        street=(p.street or p.address) if row.own else None,
        email=p.email if row.own else None,
        own=row.own,
    )


def lookup_out(found: NumberLookup) -> s.LookupOut:
    registered = found.registered
    return s.LookupOut(
        vat_number=found.numbers.vat_number,
        company_number=found.numbers.company_number,
        known=client_out(found.known) if found.known else None,
        registered=None
        if registered is None
        else s.RegisteredOut(
            name=registered.name,
            street=registered.street,
            postcode=registered.postcode,
            town=registered.town,
            country=registered.country,
            vat_number=registered.vat_number,
            company_number=registered.company_number,
            source=registered.source,
        ),
        registries_down=found.down,
    )


def details_of(form: Form) -> ClientDetails:
    """A client form's fields as the service reads them."""

    def text(name: str) -> str:
        return str(form.get(name) or "").strip()

    return ClientDetails(
        name=text("name"),
        country=text("country"),
        street=text("street"),
        postcode=text("postcode"),
        town=text("town"),
        email=text("email"),
        vat_number=text("vat_number"),
        company_number=text("company_number"),
    )
