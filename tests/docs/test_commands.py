"""Every command the documentation shows is run, or proven to be run elsewhere.

A shell block of the README or of ``docs/`` is read as a reader types it. Each page runs
in a sandbox of its own: a temporary working folder holding a copy of a demo database
(``partage.db``, the default database), a copy of the shipped configs as
``PARTAGE_CONFIG_DIR``, and the files a reader would have at hand (a bank statement, a
supplier's e-invoice, a password file, a French network report, a member's business plan:
:data:`SANDBOX_FILES`).
Its commands run in order, in-process, each line's status checked against the one the
page announces (0 unless a comment says ``# exit status N``); ``export`` and ``cd``
change what follows, as in a shell.

A command that is not ``partage``'s — installing, testing, nox, benchmarks, a
translation catalog — must match a row of :data:`PROOFS`, whose check shows where it
runs (``.ci/run`` has it verbatim, noxfile.py defines the session, a named test runs it,
the benchmark takes those options). So does a ``partage`` command that needs what a
sandbox cannot give (a country package installed with pip). A command added to the
documentation that is neither runnable nor matched fails, naming its page and line.

Two things differ from a reader's terminal, to keep the suite fast: the demo month of
the database every sandbox copies is lived once per test run, the xdist workers sharing
it (:data:`DEMO_MEMBERS` members, July 2026, the month the pages' examples name), and any
``partage demo`` a page runs admits at most :data:`DEMO_MEMBERS` members; the demo's full
size runs in ``tests/platform/test_packaging.py``. ``partage serve`` builds the
application and returns instead of listening.
"""

from __future__ import annotations

import ast
import fcntl
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from partage.core.platform.config import default_config_dir
from tests.docs_support import ROOT, Shown, page_name, pages, shown_commands

#: The members of the demo month every sandbox starts from, and the most a demo run in a
#: sandbox admits.
DEMO_MEMBERS = 12
#: The month the pages' examples name.
DEMO_MONTH = "2026-07"
#: What a hidden password prompt is answered in a sandbox.
PASSWORD = "a-long-passphrase-for-the-docs"


# --- where the commands that are not run in a sandbox run -----------------------------------
def _file(path: str) -> str:
    found = ROOT / path
    assert found.is_file(), f"{path} does not exist"
    return found.read_text(encoding="utf-8")


def _test_exists(path: str, function: str) -> None:
    assert re.search(rf"^def {function}\(", _file(path), re.M), f"{path} has no {function}"


def _ci_runs(found: re.Match[str]) -> None:
    assert found.group(0) in _file(".ci/run"), f".ci/run does not run {found.group(0)!r}"


def _readme_run_command(found: re.Match[str]) -> None:
    """The README's first command is the one the packaging test runs in a fresh
    virtual environment."""
    from tests.platform.test_packaging import readme_commands

    _test_exists(
        "tests/platform/test_packaging.py", "test_readme_run_command_works_in_a_fresh_virtualenv"
    )

    assert readme_commands()[0] == found.group(0)


def _extra(found: re.Match[str]) -> None:
    extras = tomllib.loads(_file("pyproject.toml"))["project"]["optional-dependencies"]
    assert found.group("extra") in extras, f"pyproject.toml has no [{found.group('extra')}] extra"


def _docs_build(found: re.Match[str]) -> None:
    _extra(found)
    assert "mkdocs build --strict" in _file(".ci/run"), ".ci/run does not build the site"
    assert '"mkdocs", "build", "--strict"' in _file("noxfile.py"), "nox has no docs session"


@cache
def _nox_sessions() -> frozenset[str]:
    listed = subprocess.run(
        [sys.executable, "-m", "nox", "-l", "--noxfile", str(ROOT / "noxfile.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = re.findall(r"^[*-] (.+?) -> ", listed, re.M)
    return frozenset(names) | {re.split(r"[-(]", name)[0] for name in names}


def _nox(found: re.Match[str]) -> None:
    session = found.group("session")
    if session is not None:
        name = shlex.split(session)[0]
        assert name in _nox_sessions(), f"noxfile.py has no session {name!r}"


def _pytest(found: re.Match[str]) -> None:
    for variable in re.findall(r"(\w+)=", found.group("env") or ""):
        assert any(variable in _file(p) for p in ("tests/conftest.py", "noxfile.py")), variable
    for argument in shlex.split(found.group("args") or ""):
        if argument.startswith("tests"):
            assert (ROOT / argument).exists(), f"{argument} does not exist"


def _benchmark(found: re.Match[str]) -> None:
    source = _file(f"benchmarks/{found.group('script')}.py")
    for option in re.findall(r"(--[\w-]+)", found.group("args") or ""):
        assert re.search(rf"[\"']{option}[\"']", source), f"{found.group('script')}: no {option}"


def _generated_country(found: re.Match[str]) -> None:
    """A generated country package is installed, listed, demonstrated and tested by the
    slow test of the franchise template (the nox matrix's generated cell does it too)."""
    _test_exists(
        "tests/franchise/test_franchise_template.py",
        "test_installed_package_is_listed_runs_its_tests_and_the_demo",
    )


def _translations(found: re.Match[str]) -> None:
    assert (ROOT / "core/web/babel.cfg").is_file() and (ROOT / "core/web/locale").is_dir()
    _test_exists("tests/web/test_web_ui.py", "test_every_message_is_translated")


@dataclass(frozen=True)
class Proof:
    """Where a command the sandbox does not run is run.

    Attributes:
        pattern: the command (a whole line, or one part of a line joined by ``&&``).
        where: what runs it, in words.
        check: asserts that it is so.
    """

    pattern: str
    where: str
    check: Callable[[re.Match[str]], None]


PROOFS = (
    Proof(
        r"pip install -e \. && partage demo",
        "tests/platform/test_packaging.py runs it in a fresh virtual environment",
        _readme_run_command,
    ),
    Proof(r"pip install -e '\.\[test\]' && pytest -n auto", ".ci/run, verbatim", _ci_runs),
    Proof(
        r"pip install -e '\.\[(?P<extra>docs)\]' && mkdocs build --strict",
        ".ci/run and nox's docs session",
        _docs_build,
    ),
    Proof(r"pip install -e '\.\[(?P<extra>\w+)\]'", "the extra is in pyproject.toml", _extra),
    Proof(
        r"pip install -e 'countries/partage-country-jp\[test\]'",
        "tests/franchise/test_franchise_template.py (slow)",
        _generated_country,
    ),
    Proof(
        r"partage plugins list && partage --instance jp demo",
        "tests/franchise/test_franchise_template.py (slow)",
        _generated_country,
    ),
    Proof(
        r"cd countries/partage-country-jp && pytest",
        "tests/franchise/test_franchise_template.py (slow)",
        _generated_country,
    ),
    Proof(r"nox( -l| -s (?P<session>\"[^\"]+\"|\S+)( -- .*)?)?", "noxfile.py", _nox),
    Proof(r"mypy|ruff check \.|ruff format --check \.|lint-imports", ".ci/run", _ci_runs),
    Proof(
        r"(?P<env>(\w+=\S+ )*)pytest(?P<args>( \S+)*)",
        "the suite itself (its paths exist, its variables are read)",
        _pytest,
    ),
    Proof(
        r"python benchmarks/(?P<script>\w+)\.py(?P<args>( \S+)*)",
        "the benchmark, which takes these options",
        _benchmark,
    ),
    Proof(
        r"pybabel (extract -F core/web/babel\.cfg -o /tmp/messages\.pot core plugins"
        r"|update -i /tmp/messages\.pot -d core/web/locale)",
        "tests/web/test_web_ui.py fails while a translation is missing",
        _translations,
    ),
)


def proof_of(command: str) -> Proof | None:
    """The proof whose pattern matches the whole command, if one does."""
    return next((p for p in PROOFS if re.fullmatch(p.pattern, command)), None)


# --- the sandbox ------------------------------------------------------------------------
def run_partage(argv: list[str], *, stdin: str, env: dict[str, str | None]) -> tuple[int, str]:
    """``partage argv`` in this process, as its console script runs it: the status and
    what it printed."""
    from partage.core.cli.main import main

    with CliRunner().isolation(input=stdin, env=env) as (_, _, output):
        try:
            main(argv)
            status = 0
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
        return status, output.getvalue().decode(errors="replace")


def _statement(database: Path) -> bytes:
    """The bank statement of 3 August 2026 the pages import: a client paying an invoice
    with its structured reference (matched), and another paying an advance with none
    (queued, then settled by hand)."""
    from partage.core.banking.writers import camt053
    from partage.core.contract import BankStatement, BankTransaction
    from partage.plugins.belgium.einvoice import partage_payment_reference

    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        invoice_id = connection.scalar(text("SELECT id FROM invoice WHERE number = 'F2026-000014'"))
    engine.dispose()
    reference = partage_payment_reference(invoice_id=invoice_id, number="F2026-000014")
    day = date(2026, 8, 3)
    paid = [
        ("3614.95", "Mortier-Legrand", "BE71096123456769", reference, None),
        ("1000.00", "Diego Gillet", "BE62510007547061", None, "advance on the July work"),
    ]
    return camt053(
        BankStatement(
            "camt.053",
            "2026-08-03-001",
            "BE68539007547034",
            "EUR",
            tuple(
                BankTransaction(
                    f"2026-08-03-{n}", Decimal(amount), True, day, day, name, iban, ref, note
                )
                for n, (amount, name, iban, ref, note) in enumerate(paid, start=1)
            ),
            Decimal(0),
        )
    )


def _french_report(folder: Path) -> bytes:
    """The network report of July 2026 as the French franchisee sends it: the demo's
    report under the French instance's name."""
    status, output = run_partage(
        ["network", "export", "--from", "2026-07-01", "--to", "2026-07-31", "-o", "be.json"],
        stdin="",
        env={},
    )
    assert status == 0, output
    report = json.loads((folder / "be.json").read_text())
    (folder / "be.json").unlink()
    report["instance"] |= {
        "code": "fr",
        "name": "Partage France",
        "legal_name": "Partage France SCIC SA",
        "country": "FR",
    }
    return json.dumps(report, indent=2).encode()


def _supplier_invoice() -> bytes:
    """The Peppol invoice 2026-0412 a Belgian printer sends the cooperative."""
    from tests.documents_support import supplier_invoice

    return supplier_invoice("2026-0412")


#: The files a reader would have at hand, by name, each made from the demo's folder.
SANDBOX_FILES: dict[str, Callable[[Path], bytes]] = {
    "password.txt": lambda _: f"{PASSWORD}\n".encode(),
    "supplier-invoice.xml": lambda _: _supplier_invoice(),
    "statement-2026-08-03.xml": lambda folder: _statement(folder / "partage.db"),
    "fr.json": _french_report,
    "plan.pdf": lambda _: b"%PDF-1.4 a member's business plan",
    "eurofxref-hist.zip": lambda _: _ecb_rates(),
    "policy.pdf": lambda _: b"%PDF-1.4 a ten-year liability insurance policy",
}


def _ecb_rates() -> bytes:
    """The ECB's euro reference rates file, as published (a zip holding its CSV), with
    the days of the demo's month."""
    import io
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(
            Path(__file__).resolve().parents[1] / "data" / "ecb" / "eurofxref-hist.csv",
            "eurofxref-hist.csv",
        )
    return packed.getvalue()


def _clean_environment() -> dict[str, str | None]:
    """No ``PARTAGE_*`` variable of the machine running the tests leaks in."""
    return {name: None for name in os.environ if name.startswith("PARTAGE_")}


def build_demo_folder(folder: Path) -> None:
    """The demo's database (a month of :data:`DEMO_MEMBERS` members), the shipped
    configs and the sandbox's files, in ``folder``."""
    shutil.copytree(
        default_config_dir(),
        folder / "configs",
        ignore=shutil.ignore_patterns("__init__.py", "__pycache__"),
    )
    env = _clean_environment() | {"PARTAGE_CONFIG_DIR": str(folder / "configs")}
    previous = Path.cwd()
    os.chdir(folder)
    try:
        demo = ["demo", "--members", str(DEMO_MEMBERS), "--month", DEMO_MONTH, "--no-serve"]
        status, output = run_partage(demo, stdin="", env=env)
        assert status == 0, output
        with CliRunner().isolation(env=env):
            for name, make in SANDBOX_FILES.items():
                (folder / name).write_bytes(make(folder))
    finally:
        os.chdir(previous)


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What each page's sandbox copies, built once for the whole run: the first xdist
    worker to ask builds it under a lock, the others wait and share it (read-only)."""
    shared = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:  # each worker has its own folder beside the others'
        shared = shared.parent
    folder = shared / "docs-demo"
    with (shared / "docs-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build_demo_folder(folder)
            (folder / "built").touch()
    return folder


@dataclass
class Sandbox:
    """A page's working folder and environment, as a shell keeps them between lines."""

    folder: Path
    env: dict[str, str | None]
    substitutions: dict[str, str]

    def run(self, shown: Shown) -> Iterator[tuple[str, int, str]]:
        """The line proven as a whole, or each of its parts (split at ``&&``) run in
        turn until one fails: ``(part, status, output)``."""
        whole = proof_of(shown.text)
        if whole is not None:
            yield shown.text, *prove(whole, shown.text)
            return
        for part in (p.strip() for p in shown.text.split("&&")):
            status, output = self.run_part(shown, part)
            yield part, status, output
            if status != 0:
                return

    def run_part(self, shown: Shown, part: str) -> tuple[int, str]:
        proof = proof_of(part)
        if proof is not None:
            return prove(proof, part)
        for example, real in self.substitutions.items():
            part = part.replace(example, real)
        words = shlex.split(part)
        env = dict(self.env)
        while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        if words[:1] == ["export"]:
            for assignment in words[1:]:
                name, _, value = assignment.partition("=")
                self.env[name] = value
            return 0, ""
        if words[:1] == ["cd"]:
            os.chdir(words[1])
            return 0, ""
        if words[:1] != ["partage"]:
            pytest.fail(
                f"{shown.page}:{shown.line}: {part!r} is neither a partage command nor "
                "matched by a row of PROOFS (tests/docs/test_commands.py): say where it runs"
            )
        stdin, out = "", None
        if "<" in words:
            at = words.index("<")
            stdin = Path(words[at + 1]).read_text(encoding="utf-8")
            del words[at : at + 2]
        if ">" in words:
            at = words.index(">")
            out = Path(words[at + 1])
            del words[at : at + 2]
        if not stdin:
            stdin = prompted(words[1:])
        status, output = run_partage(words[1:], stdin=stdin, env=env)
        if out is not None:
            out.write_text(output, encoding="utf-8")
        return status, output


def prove(proof: Proof, command: str) -> tuple[int, str]:
    """Check where ``command`` runs; a failed check fails the test."""
    found = re.fullmatch(proof.pattern, command)
    assert found is not None
    proof.check(found)
    return 0, f"proven: {proof.where}\n"


def prompted(argv: list[str]) -> str:
    """What a reader types at the command's prompts: a password twice, or the default
    answer to each question of ``new-country``."""
    if "--password-stdin" not in argv and "login" in argv and "add" in argv:
        return f"{PASSWORD}\n{PASSWORD}\n"
    if "new-country" in argv and "--no-input" not in argv:
        return "\n" * 60
    return ""


def _postgres_or_sqlite(request: pytest.FixtureRequest) -> str:
    """The worker's PostgreSQL database for the production example, or a SQLite file
    where no server answers (the PostgreSQL cases of the suite skip then)."""
    from tests.conftest import _pg_unavailable_reason

    if _pg_unavailable_reason() is not None:
        return "sqlite:///production.db"
    url: str = request.getfixturevalue("postgresql_url")
    return url


#: Example values the pages show that a sandbox replaces, with what replaces them.
SUBSTITUTIONS: dict[str, Callable[[pytest.FixtureRequest], str]] = {
    "postgresql://partage@db.example.org:5432/partage_be": _postgres_or_sqlite,
}

PAGES = {page_name(page): shown_commands(page) for page in pages()}


@pytest.mark.parametrize("page", [name for name, shown in PAGES.items() if shown])
def test_every_command_of_the_page_runs(
    page: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = PAGES[page]
    if any(proof_of(c.text) is None for c in commands):
        shutil.copytree(
            request.getfixturevalue("demo_folder"),
            tmp_path,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("built"),
        )
    monkeypatch.chdir(tmp_path)
    _quick_demo_and_no_listening(monkeypatch)
    wanted = " ".join(c.text for c in commands)
    sandbox = Sandbox(
        tmp_path,
        _clean_environment() | {"PARTAGE_CONFIG_DIR": str(tmp_path / "configs")},
        {k: make(request) for k, make in SUBSTITUTIONS.items() if k in wanted},
    )
    for shown in commands:
        ran = list(sandbox.run(shown))
        status = ran[-1][1]
        said = "".join(f"$ {part}\n{output}" for part, _, output in ran)
        assert status == shown.status, (
            f"{shown.page}:{shown.line}: {shown.text!r} ended with status {status}, "
            f"the page says {shown.status}\n{said[-3000:]}"
        )


def _quick_demo_and_no_listening(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo admits at most :data:`DEMO_MEMBERS` members; the server is built but
    does not listen."""
    from partage.core.demo import run

    real = run.run_demo

    def smaller(runtime: Any, *, members: int, **options: Any) -> Any:
        return real(runtime, members=min(members, DEMO_MEMBERS), **options)

    # partage demo imports run_demo from its module when it runs: patch it there.
    monkeypatch.setattr(run, "run_demo", smaller)
    monkeypatch.setattr("uvicorn.run", lambda app, **options: None)


def test_every_proof_matches_a_command_shown() -> None:
    shown = [c.text for commands in PAGES.values() for c in commands]
    parts = shown + [p.strip() for text in shown for p in text.split("&&")]
    unused = [p.pattern for p in PROOFS if not any(re.fullmatch(p.pattern, c) for c in parts)]
    assert not unused, f"PROOFS rows no page needs: {unused}"


def test_the_readme_keeps_the_two_commands_verbatim() -> None:
    shown = [c.text for c in PAGES["README.md"]]
    assert shown[:2] == [
        "pip install -e . && partage demo",
        "pip install -e '.[test]' && pytest -n auto",
    ]


def test_the_noxfiles_own_examples_name_sessions_it_has() -> None:
    docstring = ast.get_docstring(ast.parse(_file("noxfile.py"))) or ""
    examples = re.findall(r"``(nox -s [^`]+)``", docstring)
    assert examples
    nox = next(p for p in PROOFS if p.where == "noxfile.py")
    for example in examples:
        found = re.fullmatch(nox.pattern, example)
        assert found is not None, example
        nox.check(found)
