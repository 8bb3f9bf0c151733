"""Core upgrades: plugin compatibility against a target hook API, the migrations that
will run, and the path from schema revision 0002 to the shipped head with books in
place — whatever the head is."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, Table, insert, select, text
from sqlalchemy.exc import DBAPIError

from partage.core import schema
from partage.core.acts.cooperative import Cooperative
from partage.core.cli.main import exit_status, main
from partage.core.contract.accounting import PostingRole
from partage.core.contract.hookspecs import HOOK_API_VERSION
from partage.core.contract.periods import Period
from partage.core.ledger.books import JOURNALS, account_for_role, load_chart
from partage.core.ledger.models import JournalKind
from partage.core.ledger.posting import Ledger
from partage.core.ledger.trial_balances import trial_balance
from partage.core.ledger.types import Entry, Line
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.members.instance import load_instance
from partage.core.platform import upgrade
from partage.core.platform.db import migrate
from partage.core.platform.db.engine import session_factory, transaction
from partage.core.platform.registry import AUTOLOAD_ENV, PluginKind, PluginRegistry
from partage.core.platform.upgrade import (
    InstalledPlugin,
    UpgradeError,
    check,
    installed_plugins,
    judge,
    migration_plan,
    target_version,
)
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from tests import engine_support
from tests.conftest import CountryPlugin

D = Decimal
HEAD = migrate.head()


# --- plugins against a target hook API ---------------------------------------------------------
def plugin(declared: str | None, name: str = "xx", error: str | None = None) -> InstalledPlugin:
    return InstalledPlugin(name, PluginKind.COUNTRY, f"partage-{name}", "1.0.0", declared, error)


def test_a_plugin_fits_a_core_of_its_major_and_a_minor_at_least_its_own() -> None:
    verdicts = judge(
        [
            plugin("1.0", "old"),
            plugin("1.4", "same"),
            plugin("1.5", "newer"),
            plugin("2.0", "major"),
            plugin(None, "silent"),
            plugin("one", "garbled"),
            plugin(None, "broken", error="No module named 'partage_xx'"),
        ],
        "1.4",
    )
    found = {v.plugin.name: (v.compatible, v.reason) for v in verdicts}
    assert found["old"] == (True, "ok") and found["same"] == (True, "ok")
    assert (
        found["newer"][0] is False
        and "newer than this core's 1.4: upgrade the core" in found["newer"][1]
    )
    assert found["major"][0] is False and "major versions differ" in found["major"][1]
    assert found["silent"][0] is False and "does not declare PARTAGE_HOOK_API" in found["silent"][1]
    assert found["garbled"][0] is False and "not a '<major>.<minor>' version" in found["garbled"][1]
    assert found["broken"] == (False, "fails to load: No module named 'partage_xx'")


SOCIAL, EXTRA = "partage_social_declaration", "partage_payslip_extra_lines"


def test_a_plugin_written_for_1x_is_told_which_hooks_to_change() -> None:
    older = InstalledPlugin(
        "xx", PluginKind.COUNTRY, "partage-xx", "1.0.0", "1.1", hooks=frozenset({SOCIAL})
    )
    sector = InstalledPlugin(
        "tips", PluginKind.SECTOR, "partage-tips", "0.3", "2.0", hooks=frozenset({EXTRA})
    )
    current = InstalledPlugin(
        "yy", PluginKind.COUNTRY, "partage-yy", "2.0.0", "2.0", hooks=frozenset({SOCIAL})
    )
    silent = InstalledPlugin(
        "zz", PluginKind.COUNTRY, "partage-zz", "1.0.0", None, hooks=frozenset({SOCIAL, EXTRA})
    )
    verdicts = {v.plugin.name: v for v in judge([older, sector, current, silent], "2.0")}
    assert verdicts["xx"].compatible is False and verdicts["xx"].declare == "2.0"
    assert [(c.hook, c.kind, c.version) for c in verdicts["xx"].changes] == [
        (SOCIAL, "signature", "2.0")
    ]
    assert "receives (period, totals) instead of (period, payslips)" in str(
        verdicts["xx"].changes[0]
    )
    assert verdicts["tips"].compatible is True and verdicts["tips"].declare is None
    assert [(c.hook, c.kind) for c in verdicts["tips"].changes] == [(EXTRA, "deprecated")]
    assert (verdicts["yy"].compatible, verdicts["yy"].changes) == (True, ())
    assert [c.hook for c in verdicts["zz"].changes] == [SOCIAL, EXTRA]
    assert verdicts["zz"].declare == "2.0"
    # Against a 1.x core nothing of 2.0 applies, and a newer minor is the core's to catch up.
    assert judge([older], "1.1")[0].changes == ()
    assert judge([current], "1.9")[0].declare is None


def test_installed_plugins_say_which_hooks_they_implement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV, raising=False)
    found = {p.name: p for p in installed_plugins()}
    assert {SOCIAL, "partage_payslip", "partage_public_holidays"} <= found["be"].hooks
    assert "partage_copyright_taxation" not in found["fr"].hooks
    assert "partage_paid_hours" in found["couriers"].hooks


def test_the_target_version_defaults_to_this_cores_and_must_be_major_minor() -> None:
    assert target_version(None) == HOOK_API_VERSION
    assert target_version(" 2.0 ") == "2.0"
    for bad in ("2", "v2.0", "2.0.1", ""):
        with pytest.raises(UpgradeError, match="--target-version") as refused:
            target_version(bad)
        assert exit_status(refused.value) == 2


def test_installed_plugins_are_read_from_entry_points_without_the_registry_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV, raising=False)
    found = {p.name: p for p in installed_plugins() if p.kind is PluginKind.COUNTRY}
    assert {"be", "fr"} <= set(found)
    assert found["be"].distribution == "partage" and found["be"].declared is not None
    monkeypatch.setenv(AUTOLOAD_ENV, "1")
    assert installed_plugins() == []


# --- migrations ---------------------------------------------------------------------------------
def test_the_plan_lists_what_lies_between_the_database_and_the_head(engine: Engine) -> None:
    empty = migration_plan(engine)
    assert empty.current is None and empty.head == HEAD and empty.known
    assert empty.pending[0].revision == "0001" and empty.pending[-1].revision == HEAD
    assert all(m.message and "\n" not in m.message for m in empty.pending)
    migrate.upgrade(engine, "0002")
    at_two = migration_plan(engine)
    assert at_two.current == "0002"
    assert [m.revision for m in at_two.pending] == [m.revision for m in empty.pending[2:]]
    assert at_two.pending[0].message.startswith("engine:")
    migrate.upgrade(engine)
    assert migration_plan(engine).pending == ()


def test_a_database_migrated_by_a_newer_core_is_flagged(engine: Engine) -> None:
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    plan = migration_plan(engine)
    assert (plan.current, plan.known, plan.pending) == ("9999", False, ())
    assert check(engine).ready is False


# --- the upgrade path with books in place ---------------------------------------------------------
def seed_at_0002(engine: Engine) -> None:
    """Books as a core at revision 0002 wrote them, through that revision's tables: the
    test chart without the accounts and roles added since, the six journals, fiscal year
    2026, two entries of the cooperative and one of entity e1."""
    chart = CountryPlugin().partage_chart_of_accounts()
    roles = {
        code: role.value for role, code in chart.roles if role is not PostingRole.FRANCHISE_FEE
    }
    with engine.begin() as connection:
        tables = MetaData()
        tables.reflect(connection)

        def table(name: str) -> Table:
            return tables.tables[name]

        connection.execute(
            insert(table("account")),
            [
                {
                    "code": a.code,
                    "name": a.name,
                    "type": a.type.value,
                    "parent_code": a.parent,
                    "role": roles.get(a.code),
                }
                for a in chart.accounts
                if a.code != chart.account_for(PostingRole.FRANCHISE_FEE)
            ],
        )
        account = dict(
            connection.execute(select(table("account").c.code, table("account").c.id)).all()
        )
        opened = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
        connection.execute(
            insert(table("book")),
            [
                {
                    "code": "cooperative",
                    "name": "Coop",
                    "kind": "cooperative",
                    "currency": "EUR",
                    "opened_at": opened,
                },
                {
                    "code": "e1",
                    "name": "E1",
                    "kind": "entity",
                    "currency": "EUR",
                    "opened_at": opened,
                },
            ],
        )
        book = dict(connection.execute(select(table("book").c.code, table("book").c.id)).all())
        connection.execute(
            insert(table("journal")),
            [
                {"code": code, "name": name, "kind": kind.value}
                for kind, (code, name) in JOURNALS.items()
            ],
        )
        journal = dict(
            connection.execute(select(table("journal").c.kind, table("journal").c.id)).all()
        )
        months = [
            {
                "kind": "month",
                "fiscal_year": 2026,
                "start": date(2026, m, 1),
                "end": Period.month_of(date(2026, m, 1)).end,
            }
            for m in range(1, 13)
        ]
        connection.execute(
            insert(table("period")),
            [
                {
                    "kind": "year",
                    "fiscal_year": 2026,
                    "start": date(2026, 1, 1),
                    "end": date(2026, 12, 31),
                },
                *months,
            ],
        )
        entries = [
            (
                "cooperative",
                "miscellaneous",
                1,
                date(2026, 1, 10),
                [("3010", 100000, 0), ("1010", 0, 100000)],
            ),
            (
                "cooperative",
                "miscellaneous",
                2,
                date(2026, 2, 5),
                [("6020", 12050, 0), ("3010", 0, 12050)],
            ),
            (
                "e1",
                "sales",
                1,
                date(2026, 2, 20),
                [("2010", 60500, 0), ("7010", 0, 50000), ("2120", 0, 10500)],
            ),
        ]
        for code, kind, number, day, lines in entries:
            entry_id = connection.execute(
                insert(table("journal_entry")).returning(table("journal_entry").c.id),
                [
                    {
                        "book_id": book[code],
                        "journal_id": journal[kind],
                        "fiscal_year": 2026,
                        "number": number,
                        "date": day,
                        "kind": "normal",
                        "reference": f"R{number}",
                        "description": f"{kind} {number}",
                        "reason": "",
                        "posted_by": "core 0002",
                        "posted_at": opened,
                    }
                ],
            ).scalar_one()
            connection.execute(
                insert(table("journal_line")),
                [
                    {
                        "entry_id": entry_id,
                        "book_id": book[code],
                        "date": day,
                        "kind": "normal",
                        "account_id": account[acc],
                        "debit": dr,
                        "credit": cr,
                    }
                    for acc, dr, cr in lines
                ],
            )
        connection.execute(
            insert(table("entry_sequence")),
            [
                {
                    "book_id": book["cooperative"],
                    "journal_id": journal["miscellaneous"],
                    "fiscal_year": 2026,
                    "last_number": 2,
                },
                {
                    "book_id": book["e1"],
                    "journal_id": journal["sales"],
                    "fiscal_year": 2026,
                    "last_number": 1,
                },
            ],
        )


def posted_rows(engine: Engine) -> list[tuple[object, ...]]:
    """Every posted line with its entry, as revision 0002 defined them."""
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT e.id, e.book_id, e.journal_id, e.fiscal_year, e.number, e.date, e.kind, "
                    "e.reference, e.description, e.posted_by, l.id, l.account_id, l.debit, l.credit, "
                    "l.date, l.kind FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id "
                    "ORDER BY l.id"
                )
            )
        ]


def test_books_written_at_0002_survive_the_upgrade_to_head_and_keep_working(engine: Engine) -> None:
    migrate.upgrade(engine, "0002")
    seed_at_0002(engine)
    before = posted_rows(engine)
    assert len(before) == 7

    assert migrate.upgrade(engine) == ("0002", HEAD)
    assert posted_rows(engine) == before
    assert schema.pending_differences(engine) == []

    sessions = session_factory(engine)
    with transaction(sessions) as s:
        tb = trial_balance(s, book=None, start=date(2026, 1, 1), end=date(2026, 12, 31))
        closing = {r.account: r.closing for r in tb.rows}
        # the new core's chart brings the role it added; the ledger keeps numbering
        load_chart(s, CountryPlugin().partage_chart_of_accounts(), actor="upgrade")
        posted = Ledger().post(
            s,
            Entry(
                book="cooperative",
                journal=JournalKind.MISCELLANEOUS,
                date=date(2026, 3, 1),
                lines=(
                    Line(account_for_role(s, PostingRole.FRANCHISE_FEE), debit="10.00"),
                    Line(account_for_role(s, PostingRole.SUPPLIERS), credit="10.00"),
                ),
            ),
            actor="new core",
        )
    assert closing == {
        "1010": D("-1000.00"),
        "2010": D("605.00"),
        "2120": D("-105.00"),
        "3010": D("879.50"),
        "6020": D("120.50"),
        "7010": D("-500.00"),
    }
    assert (posted.number, posted.fiscal_year) == (3, 2026)

    with pytest.raises(DBAPIError, match="immutable"), engine.begin() as connection:
        connection.execute(text("UPDATE journal_line SET debit = debit + 1"))

    # the tables later revisions created take the engine's acts
    registry = PluginRegistry(autoload=False)
    registry.add(engine_support.Testland("zz"), name="zz", kind=PluginKind.COUNTRY)
    coop = Cooperative(engine_support.INSTANCE, registry.manager("zz"), Ledger())
    day = date(2026, 3, 2)
    with transaction(sessions) as s:
        load_instance(s, engine_support.INSTANCE, actor="upgrade")
        membership.admit_member(
            s,
            coop,
            membership.PersonDetails(
                "Ada",
                "Lovelace",
                "00000000001",
                "ZZ00000000000001",
                "1 Main Street",
                "ada@example.org",
                "en",
            ),
            share_class="A",
            shares=1,
            on=day,
            actor="t",
        )
        entity = members.open_entity(
            s, coop, holders=[1], name="Design", kind="freelance", office="cap", on=day, actor="t"
        )
        members.register_party(
            s,
            coop,
            address="1 Main Street\n1000 Town",
            name="Acme",
            kind="client",
            country="ZZ",
            vat_number="ZZ0000000001",
            actor="t",
        )
    with transaction(sessions) as s:
        invoice = invoices.issue_invoice(
            s,
            coop,
            entity=entity.code,
            client="C000001",
            lines=[LineInput("Work", "1", "1000")],
            on=day,
            actor="t",
        )
        sales = trial_balance(s, book=None, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert invoice.number == "F2026-000001"
    assert {r.account: r.closing for r in sales.rows}["7010"] == D("-1500.00")


# --- command line ---------------------------------------------------------------------------------
def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_upgrade_check_then_db_upgrade_on_the_command_line(
    database_url: str,
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    for name in list(os.environ):
        if name.startswith("PARTAGE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    migrate.upgrade(engine, "0002")
    cli = ["--database-url", database_url, "upgrade", "check"]

    code, out, err = run(cli, capsys)
    assert code == 0, out + err
    assert f"database at revision 0002, shipped head {HEAD}: `partage db upgrade` will run" in out
    assert "0003" in out and "engine: members, shares, entities" in out
    assert "be" in out and "compatible" in out and "INCOMPATIBLE" not in out

    code, out, _ = run([*cli, "--format", "json"], capsys)
    answer = json.loads(out)
    assert answer["database"] == {"current": "0002", "head": HEAD, "known": True}
    assert answer["migrations"][0]["revision"] == "0003" and answer["ready"] is True

    major = int(HOOK_API_VERSION.split(".")[0]) + 1
    code, out, _ = run([*cli, "--target-version", f"{major}.0"], capsys)
    assert code == 1
    assert "INCOMPATIBLE" in out and "major versions differ" in out

    code, _, err = run([*cli, "--target-version", "next"], capsys)
    assert code == 2 and "--target-version 'next'" in err

    older = InstalledPlugin(
        "xx", PluginKind.COUNTRY, "partage-xx", "1.0.0", "1.1", hooks=frozenset({SOCIAL})
    )
    installed = upgrade.installed_plugins
    monkeypatch.setattr(upgrade, "installed_plugins", lambda: [older])
    code, out, _ = run(cli, capsys)
    assert code == 1 and "INCOMPATIBLE" in out
    assert (
        f"country plugin xx (partage-xx, declares 1.1), for hook API {HOOK_API_VERSION}:\n"
        f"  - {SOCIAL}: signature in 2.0: it receives (period, totals)"
    ) in out
    assert f'  - then declare PARTAGE_HOOK_API = "{HOOK_API_VERSION}"' in out
    code, out, _ = run([*cli, "--format", "json"], capsys)
    plugin = json.loads(out)["plugins"][0]
    assert plugin["declare"] == HOOK_API_VERSION
    assert [(c["hook"], c["kind"], c["version"]) for c in plugin["changes"]] == [
        (SOCIAL, "signature", "2.0")
    ]
    monkeypatch.setattr(upgrade, "installed_plugins", installed)

    assert run(["--database-url", database_url, "db", "upgrade"], capsys)[0] == 0
    code, out, _ = run(cli, capsys)
    assert code == 0
    assert f"database at revision {HEAD}, the shipped head: no migration to run" in out
