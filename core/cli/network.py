"""``partage franchise ...``, ``partage network ...`` and ``partage upgrade ...``: the
social franchise on the command line.

* ``franchise show`` prints the contract as it applies to the instance;
  ``franchise add-franchisee --code pt`` writes a new national partner into the
  deployment's contract (the franchisor's act), validated like the rest of it;
  ``franchise invoice --period 2026-Q3`` computes the period's franchise fee from the
  books and posts it with its VAT (once per period; ``--dry-run`` only prints the
  computation and the VAT).
* ``network export`` writes the instance's network report for a period;
  ``network report a.json b.json ...`` consolidates several instances' reports;
  ``network receive a.json ...`` files them in the franchisor's history, and
  ``network history`` prints each instance's figures over time from it.
* ``upgrade check`` says, before a core upgrade, whether the installed plugins are
  compatible with the target hook API, what each plugin's author must change (the hooks
  whose signature changed since the version it declares, the deprecated hooks it still
  implements) and which migrations ``db upgrade`` will run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from partage.core.cli.books import parse_day
from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render, to_json
from partage.core.contract.errors import ConfigError, PartageError
from partage.core.contract.periods import Period
from partage.core.platform import clock

if TYPE_CHECKING:
    from partage.core.platform.network import FranchiseFee
    from partage.core.platform.upgrade import UpgradeCheck

franchise_app = typer.Typer(
    help="The franchise contract and the franchise fee.", no_args_is_help=True
)
network_app = typer.Typer(
    help="Network reports: export one instance's, consolidate many, follow them over time.",
    no_args_is_help=True,
)
upgrade_app = typer.Typer(
    help="Before upgrading the core: plugins and migrations.", no_args_is_help=True
)

FromOption = Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")]


def _fee_period(
    fee: FranchiseFee, period: str | None, start: str | None, end: str | None
) -> Period:
    """The fee period named by ``--period``, or by ``--from`` and ``--to`` (which must
    span exactly one period of the kind the contract invoices on that day)."""
    from partage.core.franchise.fee import PeriodError, parse_period, period_between

    if period is not None:
        if start or end:
            raise PeriodError("--period", "give either --period or --from and --to, not both")
        return parse_period(period)
    if not (start and end):
        raise PeriodError("--period", "give the period (2026-Q3) or both --from and --to")
    first, last = parse_day("--from", start), parse_day("--to", end)
    return period_between(first, last, fee.terms_on(first).period)


# --- franchise ----------------------------------------------------------------------
@franchise_app.command("show")
def franchise_show(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Print the contract as it applies to this instance: parties, fee, brand, tools."""
    from partage.core.platform.runtime import load_config

    options = options_of(ctx)
    config = load_config(options.instance, options.config_dir)
    network, code = config.network, config.instance.code
    fee = network.franchise_fee.terms_on(clock.today())
    rows: list[Sequence[object]] = [
        ["network", f"{network.name} (contract {network.contract_version})"],
        ["franchisor", f"{network.franchisor.legal_name} ({network.franchisor.country})"],
        ["franchisor role", network.franchisor.role],
    ]
    own = [p for p in network.franchisees if p.code == code]
    rows += (
        [
            ["franchisee", f"{own[0].legal_name} ({own[0].country})"],
            ["role", own[0].role],
            *([["contact", own[0].contact]] if own[0].contact else []),
            *([["in the network since", str(own[0].since)]] if own[0].since else []),
        ]
        if own
        else [["franchisee", f"instance {code} is not a franchisee of the contract"]]
    )
    terms = (
        f"{fee.rate} of {fee.basis.replace('_', ' ')}"
        if fee.rate is not None
        else f"{fee.amount} {fee.currency} flat"
    )
    rows += [
        ["franchise fee today", f"{terms} per {fee.period}"],
        *(
            [f"fee from {c.start}", f"{c.basis} {c.rate or c.amount} per {c.period}"]
            for c in network.franchise_fee.changes
        ),
        *([f"brand {k}", v] for k, v in network.brand().items()),
        ["franchisee may change", list(network.brand_may_change)],
        ["franchisee must keep", list(network.brand_must_keep)],
        [
            "reporting",
            f"every {network.reporting_cadence}, schema {network.reporting_schema_version}",
        ],
        ["tools provided", list(network.tools)],
    ]
    typer.echo(render(["term", "value"], rows, fmt))


@franchise_app.command("invoice")
def franchise_invoice(
    ctx: typer.Context,
    period: Annotated[
        str | None, typer.Option("--period", help="2026-Q3, 2026-07, 2026-H2 or 2026.")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the computation; write nothing.")
    ] = False,
) -> None:
    """Compute the period's franchise fee from the books and post it, once per period."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.franchise.fee import compute_fee, fee_vat
    from partage.core.franchise.fee_invoicing import AlreadyInvoiced, invoice_fee, invoiced_entry
    from partage.core.platform.db.engine import transaction

    with options_of(ctx).runtime() as runtime:
        network = runtime.config.network
        chosen = _fee_period(network.franchise_fee, period, start, end)
        coop = Cooperative.from_runtime(runtime)
        if dry_run:
            with runtime.sessions() as session:
                computation = compute_fee(session, network, coop.instance, chosen)
                found = invoiced_entry(session, chosen)
            rows = computation.explain()
            if computation.fee != 0:
                rows += fee_vat(coop, computation).explain(computation.fee, computation.currency)
            for label, value in rows:
                typer.echo(f"{label}: {value}")
            typer.echo(
                f"already invoiced: {found[0]} of {found[1]}"
                if found
                else "dry run: nothing written"
            )
            return
        try:
            with transaction(runtime.sessions) as session:
                done = invoice_fee(
                    session, coop, network, chosen, actor=cli_actor(), today=clock.today()
                )
        except AlreadyInvoiced as exc:
            typer.echo(str(exc))
            return
    for label, value in done.explain():
        typer.echo(f"{label}: {value}")
    if done.reference is None:
        typer.echo(f"nothing due for {chosen.label}: nothing written")
    else:
        typer.echo(
            f"posted {done.reference} on {chosen.end} in the cooperative's books: franchise "
            f"fee owed to {network.franchisor.legal_name}"
        )


@franchise_app.command("add-franchisee")
def franchise_add_franchisee(
    ctx: typer.Context,
    code: Annotated[str, typer.Option("--code", help="Code of the instance it runs (pt).")],
    legal_name: Annotated[
        str | None,
        typer.Option("--legal-name", help="Registered name (default: its instance file's)."),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option("--country", help="ISO 3166 code, PT (default: its instance file's)."),
    ] = None,
    vat_number: Annotated[
        str | None, typer.Option("--vat-number", help="VAT number with its country prefix.")
    ] = None,
    contact: Annotated[
        str | None, typer.Option("--contact", help="Who answers the franchisor there.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="First day in the network, YYYY-MM-DD.")
    ] = None,
    role: Annotated[
        str | None, typer.Option("--role", help="Its commitments under the contract.")
    ] = None,
) -> None:
    """Add a national partner to the network contract (franchisor side), validated."""
    from partage.core.contract.errors import ConfigError
    from partage.core.franchise.countries import country_of
    from partage.core.franchise.enrolment import NewFranchisee, add_franchisee, instance_answers
    from partage.core.platform.config import writable_config_dir

    options = options_of(ctx)
    known = instance_answers(writable_config_dir(options.config_dir), code)
    chosen_country = (country or str(known.get("country_plugin", ""))).upper()
    name = legal_name or known.get("legal_name")
    if not name:
        raise ConfigError(
            "--legal-name",
            "network.franchisees[].legal_name",
            None,
            f"is required: no instances/{code}.toml in the configs folder gives it",
        )
    if not chosen_country:
        raise ConfigError(
            "--country",
            "network.franchisees[].country",
            None,
            f"is required: no instances/{code}.toml in the configs folder gives it",
        )
    place = country_of(chosen_country)
    where = str(getattr(place, "common_name", None) or getattr(place, "name", chosen_country))
    new = NewFranchisee(
        code=code,
        legal_name=str(name),
        country=chosen_country,
        role=role
        or f"Runs the instance of {where}: members, offices, advisers, national declarations.",
        vat_number=vat_number,
        contact=contact,
        since=parse_day("--since", since) if since else None,
    )
    done = add_franchisee(new, config_dir=options.config_dir, instance=options.instance)
    codes = ", ".join(p.code for p in done.network.franchisees)
    typer.echo(
        f"{code} ({new.legal_name}, {new.country}) added to the contract of "
        f"{done.network.name} in {done.path}; franchisees: {codes}"
    )


# --- network ------------------------------------------------------------------------
@network_app.command("export")
def network_export(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export this instance's network report for a period (default: the last complete
    reporting period of the contract's cadence)."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.franchise.fee import PeriodError
    from partage.core.franchise.report import build_report
    from partage.core.platform.db import migrate
    from partage.core.platform.db.base import utcnow

    with options_of(ctx).runtime() as runtime:
        network = runtime.config.network
        if start is None and end is None:
            last = Period.of_kind(network.reporting_cadence, clock.today()).preceding()
            first_day, last_day = last.start, last.end
        elif start is None or end is None:
            raise PeriodError("--from and --to", "give both, or neither for the last period")
        else:
            first_day, last_day = parse_day("--from", start), parse_day("--to", end)
        with runtime.sessions() as session:
            report = build_report(
                session,
                Cooperative.from_runtime(runtime),
                network,
                start=first_day,
                end=last_day,
                generated_at=utcnow(),
                schema_revision=migrate.current(runtime.engine),
            )
    text = to_json(report)
    if output is None:
        typer.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    typer.echo(
        f"network report of {report['instance']['code']} for {first_day} to {last_day} "
        f"(schema {report['schema_version']}) written to {output}"
    )


@network_app.command("report")
def network_report(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Reports exported by each instance.")],
    currency: Annotated[
        str | None,
        typer.Option("--currency", help="Currency of the view (default: the reports' own)."),
    ] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option("--rate", help="CODE=RATE: one CODE is worth RATE of --currency."),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Consolidate several instances' network reports of one period."""
    from partage.core.franchise.consolidation import HEADERS, consolidate, parse_rates
    from partage.core.franchise.report_schema import read_report
    from partage.core.platform.runtime import load_config

    options = options_of(ctx)
    config = load_config(options.instance, options.config_dir)
    network = config.network
    rates = parse_rates(rate or [])
    reports = [(str(path), read_report(path, config.limits.report_bytes)) for path in files]
    view = consolidate(reports, currency=currency, rates=rates, network=network)
    if fmt is Format.JSON:
        typer.echo(to_json(view.as_dict()))
        return
    if fmt is Format.TABLE:
        shown = ", ".join(f"1 {c} = {r} {view.currency}" for c, r in view.rates.items())
        typer.echo(
            f"{network.name}: {len(view.lines)} instances, {view.start} to {view.end}, "
            f"amounts in {view.currency}" + (f"; rates: {shown}" if shown else "")
        )
    typer.echo(render(list(HEADERS), view.rows(), fmt))


@network_app.command("receive")
def network_receive(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Reports exported by franchisees.")],
) -> None:
    """File franchisees' network reports in the franchisor's history, one per period."""
    from partage.core.franchise.received import receive
    from partage.core.franchise.report_schema import read_report
    from partage.core.platform.db.base import utcnow
    from partage.core.platform.db.engine import transaction

    with options_of(ctx).runtime() as runtime:
        config = runtime.config
        reports = [(str(p), read_report(p, config.limits.report_bytes)) for p in files]
        with transaction(runtime.sessions) as session:
            receipts = [
                receive(session, config.network, r, file=f, actor=cli_actor(), now=utcnow())
                for f, r in reports
            ]
    for receipt in receipts:
        found = receipt.figures
        typer.echo(
            f"network report of {found.code} for {found.label} "
            + ("replaced" if receipt.replaced else "received")
        )


@network_app.command("history")
def network_history(
    ctx: typer.Context,
    by: Annotated[
        str, typer.Option("--by", help="period (as received) or year (flows summed).")
    ] = "period",
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Print each franchisee's figures over time, from the reports received."""
    from partage.core.franchise.received import overview

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        view = overview(session, by)
    if fmt is Format.JSON:
        typer.echo(to_json(view.as_dict()))
        return
    headers = [
        "period",
        "instance",
        "currency",
        "members",
        "entities",
        "invoiced_volume",
        "fee_income",
        "franchise_fee",
        "fund_balance",
        "fund_coverage",
    ]
    rows = [
        [
            f.label,
            f.code,
            f.currency,
            f.members,
            f.entities,
            f.invoiced_volume,
            f.fee_income,
            f.franchise_fee,
            f.fund_balance,
            "" if f.fund_coverage is None else f.fund_coverage,
        ]
        for f in view.series
    ]
    typer.echo(render(headers, rows, fmt))


# --- upgrade ------------------------------------------------------------------------
@upgrade_app.command("check")
def upgrade_check(
    ctx: typer.Context,
    target: Annotated[
        str | None,
        typer.Option(
            "--target-version",
            help="Hook API version of the core to install (default: this core's).",
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Say whether the installed plugins fit the target hook API, what their authors must
    change, and which migrations ``partage db upgrade`` will run; exit status 1 when
    something stands in the way."""
    from partage.core.platform import config as config_module
    from partage.core.platform.db.engine import make_engine, parse_url
    from partage.core.platform.upgrade import check

    options = options_of(ctx)
    url = options.database_url
    if url is None:
        resolved = config_module.resolve(options.instance, options.config_dir)
        url = str(resolved.values.get("database_url", ""))
    try:
        parse_url(url)
    except PartageError as exc:
        raise ConfigError("--database-url", "database_url", url, str(exc)) from None
    engine = make_engine(url)
    try:
        answer = check(engine, target)
    finally:
        engine.dispose()
    plan = answer.migrations
    if fmt is Format.JSON:
        typer.echo(
            to_json(
                {
                    "core_hook_api": answer.core_api,
                    "target_hook_api": answer.target_api,
                    "plugins": [
                        {
                            "name": v.plugin.name,
                            "kind": v.plugin.kind,
                            "distribution": v.plugin.distribution,
                            "version": v.plugin.version,
                            "declares": v.plugin.declared,
                            "compatible": v.compatible,
                            "reason": v.reason,
                            "changes": [
                                {
                                    "hook": c.hook,
                                    "version": c.version,
                                    "kind": c.kind,
                                    "what": c.what,
                                }
                                for c in v.changes
                            ],
                            "declare": v.declare,
                        }
                        for v in answer.plugins
                    ],
                    "database": {"current": plan.current, "head": plan.head, "known": plan.known},
                    "migrations": [
                        {"revision": m.revision, "message": m.message} for m in plan.pending
                    ],
                    "ready": answer.ready,
                }
            )
        )
    else:
        _print_check(answer, fmt)
    if not answer.ready:
        raise typer.Exit(1)


def _print_check(answer: UpgradeCheck, fmt: Format) -> None:
    plan = answer.migrations
    typer.echo(f"plugins against hook API {answer.target_api} (this core: {answer.core_api}):")
    rows = [
        [
            v.plugin.name,
            str(v.plugin.kind),
            v.plugin.distribution,
            v.plugin.version,
            v.plugin.declared or "",
            "compatible" if v.compatible else "INCOMPATIBLE",
            "" if v.compatible else v.reason,
        ]
        for v in answer.plugins
    ]
    headers = ["name", "kind", "distribution", "version", "declares", "verdict", "reason"]
    typer.echo(render(headers, rows, fmt) if rows else "(no plugin installed)")
    for v in answer.plugins:
        if not v.changes and v.declare is None:
            continue
        typer.echo(
            f"{v.plugin.kind} plugin {v.plugin.name} ({v.plugin.distribution}, declares "
            f"{v.plugin.declared or 'no version'}), for hook API {answer.target_api}:"
        )
        for change in v.changes:
            typer.echo(f"  - {change}")
        if v.declare is not None:
            typer.echo(f'  - then declare PARTAGE_HOOK_API = "{v.declare}"')
    if not plan.known:
        typer.echo(
            f"database at revision {plan.current}, which this core does not ship "
            f"(head {plan.head}): it was migrated by a newer core"
        )
    elif not plan.pending:
        typer.echo(f"database at revision {plan.current}, the shipped head: no migration to run")
    else:
        typer.echo(
            f"database at revision {plan.current or 'empty'}, shipped head {plan.head}: "
            f"`partage db upgrade` will run {len(plan.pending)} migrations:"
        )
        typer.echo(
            render(["revision", "message"], [[m.revision, m.message] for m in plan.pending], fmt)
        )
