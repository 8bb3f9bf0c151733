"""The acts of the administrators' workspace, shared by its pages and its API: opening a
fiscal year, closing a month or a year, enabling or disabling a sector in an office,
making a period's employment declaration (DmfA, DSN), making the files handed to the
administration (the FEC, the listings of clients, the VAT return as filed).

Each is one transaction through the service the command line calls (which audits it),
and only once confirmed: a form or body without ``confirm`` is refused before anything
is read, naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from partage.core.access.models import Role
from partage.core.access.roles import Principal, require
from partage.core.acts import appropriation
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_
from partage.core.contract.periods import Period
from partage.core.declarations import fec, listings
from partage.core.ledger import periods
from partage.core.members import offices
from partage.core.payroll.declarations import declare_period
from partage.core.payroll.models import DeclarationRecord
from partage.core.platform.db.engine import transaction
from partage.core.platform.registry import sector_countries
from partage.core.web.admin.choices import day_of, period_of
from partage.core.web.sales.invoice_files import issuer_of
from partage.core.web.site import Site

#: The acts on periods, by the name a form or a body gives.
PERIOD_ACTS = ("open-year", "close-month", "close-year", "appropriate")
#: How pluggy names a sector plugin the registry registered.
SECTOR_PREFIX = "sector:"


def confirmed(data: Mapping[str, object]) -> None:
    """Refuse an act whose form or body does not confirm it."""
    if str(data.get("confirm") or "").lower() not in ("1", "on", "true", "yes"):
        raise InvalidAct("confirm", N_("tick the confirmation to do this act"))


def _year(raw: object) -> int:
    text = str(raw or "").strip()
    if not text.isdigit() or not 2000 <= int(text) <= 2099:
        raise InvalidAct("year", N_("{text} is not a fiscal year (2000 to 2099)"), text=repr(text))
    return int(text)


def _month(raw: object) -> tuple[int, int]:
    text = str(raw or "").strip()
    day = day_of(f"{text}-01" if len(text) == 7 else text, "month")
    if day is None:
        raise InvalidAct("month", N_("required (YYYY-MM)"))
    return day.year, day.month


def period_act(site: Site, me: Principal, data: Mapping[str, object]) -> str:
    """Do the period act ``data["act"]`` names; what was done, as a short text."""
    require(me, Role.ADMINISTRATOR, what="open or close accounting periods")
    act = str(data.get("act") or "")
    if act not in PERIOD_ACTS:
        raise InvalidAct(
            "act", N_("{act} is not one of {acts}"), act=repr(act), acts=tuple(PERIOD_ACTS)
        )
    confirmed(data)
    start_month = site.fiscal_year_start_month
    with transaction(site.sessions) as session:
        if act == "open-year":
            year = _year(data.get("year"))
            periods.open_year(session, year, actor=me.actor, start_month=start_month)
            return f"{year}"
        if act == "close-month":
            year, month = _month(data.get("month"))
            periods.close_month(session, year, month, actor=me.actor)
            return f"{year}-{month:02d}"
        if act == "appropriate":
            return _appropriate(session, site, me, data)
        year = _year(data.get("year"))
        done = periods.close_year(session, site.coop.ledger, year, actor=me.actor)
        return f"{done.fiscal_year}"


def _appropriate(session: Session, site: Site, me: Principal, data: Mapping[str, object]) -> str:
    """The general assembly's appropriation of a closed year's result, as the form gives
    it: an amount left empty takes its default (:mod:`partage.core.acts.appropriation`)."""
    decided_on = day_of(str(data.get("decided_on") or ""), "decided_on")
    if decided_on is None:
        raise InvalidAct("decided_on", N_("required (the day of the general assembly)"))

    def given(name: str) -> str | None:
        return str(data.get(name) or "").strip() or None

    done = appropriation.appropriate(
        session,
        site.coop,
        fiscal_year=_year(data.get("year")),
        decided_on=decided_on,
        decision=str(data.get("decision") or ""),
        actor=me.actor,
        legal_reserve=given("legal_reserve"),
        guarantee_fund=given("guarantee_fund"),
        other_reserves=given("other_reserves"),
    )
    return f"{done.fiscal_year}"


def sector_names(site: Site) -> dict[str, str]:
    """The installed sectors' names as pages show them (``SECTOR_NAME`` of the plugin,
    marked ``N_``, which a page translates), by code; the code where a plugin has none."""
    return {
        name.removeprefix(SECTOR_PREFIX): str(getattr(plugin, "SECTOR_NAME", "") or "")
        or name.removeprefix(SECTOR_PREFIX)
        for name, plugin in site.coop.plugins.list_name_plugin()
        if name and name.startswith(SECTOR_PREFIX)
    }


def installed_sectors(site: Site) -> list[str]:
    """The sector plugins the instance's plugin manager holds, by name."""
    return sorted(
        name.removeprefix(SECTOR_PREFIX)
        for name, _ in site.coop.plugins.list_name_plugin()
        if name and name.startswith(SECTOR_PREFIX)
    )


def sector_act(site: Site, me: Principal, office: str, data: Mapping[str, object]) -> str:
    """Enable (``act=enable``) or disable (``act=disable``) ``data["sector"]`` in
    ``office`` from ``data["from"]`` on (today when blank); the sector, as a text."""
    require(me, Role.ADMINISTRATOR, what="enable or disable sectors")
    act = str(data.get("act") or "")
    if act not in ("enable", "disable"):
        raise InvalidAct("act", N_("{act} is not enable or disable"), act=repr(act))
    confirmed(data)
    sector = str(data.get("sector") or "").strip()[:64]
    start: date | None = day_of(data.get("from"), "from")
    reason = str(data.get("reason") or "").strip()[:500]
    today = site.today()
    with transaction(site.sessions) as session:
        if act == "enable":
            offices.enable_sector(
                session,
                office,
                sector,
                installed=installed_sectors(site),
                actor=me.actor,
                enabled_from=start,
                review_required=str(data.get("review") or "").lower() in ("1", "on", "true"),
                today=today,
                reason=reason,
                countries=sector_countries(site.coop.plugins),
                country=site.coop.instance.country_plugin,
            )
        else:
            offices.disable_sector(
                session,
                office,
                sector,
                actor=me.actor,
                disabled_from=start,
                today=today,
                reason=reason,
            )
    return sector


def employment_declaration(site: Site, me: Principal, data: Mapping[str, object]) -> int:
    """Make (or find, when made before) the periodic declaration of pay of the month or
    quarter ``data["period"]``; the stored file's id."""
    require(me, Role.ADMINISTRATOR, what="make employment declarations")
    period = period_of(data.get("period"), default=None)
    confirmed(data)
    issuer = issuer_of(site.coop)
    with transaction(site.sessions) as session:
        record: DeclarationRecord = declare_period(
            session, site.coop, issuer, start=period.start, end=period.end, actor=me.actor
        )
        return record.id


#: The files an administrator hands the administration or the accountant, by the name a
#: form gives: the French FEC, the listings of clients, the VAT return as filed.
EXPORTS = ("fec", "listing", "eu-sales", "vat-xml")


@dataclass(frozen=True)
class ExportedFile:
    """A file made for the administration, ready to download.

    Attributes:
        filename: its name.
        content: its bytes.
        media_type: what it is.
    """

    filename: str
    content: bytes
    media_type: str


def export_file(site: Site, me: Principal, data: Mapping[str, object]) -> ExportedFile:
    """Make the file ``data["export"]`` names, recorded in the audit trail by the
    service that makes it (:mod:`partage.core.declarations.fec`,
    :mod:`partage.core.declarations.listings`)."""
    require(me, Role.ADMINISTRATOR, what="export the books and declarations")
    export = str(data.get("export") or "")
    if export not in EXPORTS:
        raise InvalidAct(
            "export", N_("{export} is not one of {exports}"), export=repr(export), exports=EXPORTS
        )
    issuer = issuer_of(site.coop)
    with transaction(site.sessions) as session:
        if export == "fec":
            days = periods.fiscal_year_period(_year(data.get("year")), site.fiscal_year_start_month)
            made = fec.export_fec(
                session,
                siren=issuer.company_id,
                start=days.start,
                end=days.end,
                actor=me.actor,
                separator=str(data.get("separator") or "tab"),
                encoding=str(data.get("encoding") or "iso-8859-15"),
            )
            charset = "utf-8" if data.get("encoding") == "utf-8" else "iso-8859-15"
            return ExportedFile(made.filename, made.content, f"text/plain; charset={charset}")
        if export == "vat-xml":
            period = period_of(data.get("period"), default=None)
            filed = listings.vat_return_file(session, site.coop, issuer, period, actor=me.actor)
        elif export == "listing":
            year = _year(data.get("year"))
            whole = Period(date(year, 1, 1), date(year, 12, 31))
            filed = listings.sales_listing(
                session, site.coop, issuer, "customers", whole, actor=me.actor
            )
        else:
            period = period_of(data.get("period"), default=None)
            filed = listings.sales_listing(
                session, site.coop, issuer, "eu_sales", period, actor=me.actor
            )
    media = "text/csv; charset=utf-8" if filed.format == "csv" else "application/xml"
    return ExportedFile(filed.filename, filed.content, media)
