"""Test sessions: lint, and the test suite per database backend.

``nox -l`` lists them. ``nox -s "tests(backend='sqlite')"`` runs one cell. Python
versions come from pyproject's classifiers; versions not installed here are skipped.
The cross-country matrix extends the ``tests`` parametrisation with a country axis.
"""

from __future__ import annotations

import nox

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = nox.project.python_versions(PYPROJECT)
BACKENDS = ("sqlite", "postgresql")

nox.options.sessions = ["lint", "tests"]
nox.options.error_on_missing_interpreters = False
nox.options.reuse_venv = "yes"


@nox.session(python=PYTHONS[0])
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHONS)
@nox.parametrize("backend", BACKENDS)
def tests(session: nox.Session, backend: str) -> None:
    """The core suite on one database backend (PostgreSQL cases skip if none answers)."""
    session.install("-e", ".[test]")
    session.run("pytest", "-n", "auto", *session.posargs, env={"PARTAGE_TEST_BACKENDS": backend})
