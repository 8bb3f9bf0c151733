"""The API under schemathesis: a populated web world (see
:func:`tests.engine_support.web_site`), a session per role, and the checks every answer
must pass.

Sessions are opened in the database, not through ``POST /auth/login``: the fuzzed
login operation makes failed attempts from the test client's address, whose throttle
would then slow a login made over HTTP. An operation that may end the session it is
called with (log out, change one's password, revoke or disable a login) is followed by
a fresh session for the role.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from sqlalchemy import Engine, select, text

from partage.core.access.logins import open_session
from partage.core.access.models import WebUser
from partage.core.platform.db.engine import transaction
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site

SCHEMA_PATH = "/api/v1/schema/openapi.json"
#: The checks of every answer: no server error, a documented status, a documented
#: content type and a body matching the documented schema.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: Role -> the login of :data:`tests.engine_support.WEB_LOGINS` that holds it.
ROLES = {
    "member": "ada",
    "adviser": "adviser",
    "office_manager": "manager",
    "administrator": "admin",
    "ethics_committee": "ethics",
    "franchisor": "franchisor",
}
#: Operations after which the caller's session may be gone (by operation id).
#: Path parameter -> the query reading the world's values for it.
KNOWN = {
    "code": "SELECT code FROM entity",
    "number": "SELECT number FROM invoice",
    "office": "SELECT code FROM office",
    "username": "SELECT username FROM web_user",
    "reference": "SELECT reference FROM quote",
    "contract": "SELECT code FROM contract",
    "offer": "SELECT code FROM contract_offer",
    "account": "SELECT id FROM payee_account",
    "pending_id": "SELECT id FROM pending_act",
}
SESSION_ENDING = frozenset(
    {"logout", "change_my_password", "disable_user", "revoke_user", "reset_user_password"}
)


def examples(default: int) -> int:
    """Examples per operation: ``PARTAGE_FUZZ_EXAMPLES`` if set, else ``default``."""
    return int(os.environ.get("PARTAGE_FUZZ_EXAMPLES", str(default)))


@dataclass
class Fuzzed:
    """A served world and a bearer session for each role.

    Attributes:
        app: the application; ``site``: the site it serves.
        tokens: role -> its current bearer token.
        calls: how many requests were made, per role.
    """

    app: Litestar
    site: Site
    tokens: dict[str, str] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)

    def open(self, role: str) -> None:
        """A fresh session for ``role``'s login (enabled again if a test disabled it)."""
        with transaction(self.site.sessions) as session:
            user = session.execute(
                select(WebUser).where(WebUser.username == ROLES[role])
            ).scalar_one()
            user.disabled_at = None
            self.tokens[role] = open_session(session, user, self.site.session_lifetime).token

    def headers(self, role: str) -> dict[str, str]:
        if role not in self.tokens:
            self.open(role)
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def known(self, names: list[str]) -> list[dict[str, Any]]:
        """Path parameters naming things the world holds now (what earlier requests
        created included): every combination, for the operation's ``names``."""
        combinations: list[dict[str, Any]] = [{}]
        with self.site.sessions() as session:
            for name in names:
                values = list(session.execute(text(KNOWN[name])).scalars())[:12]
                combinations = [c | {name: v} for c in combinations for v in values]
        return combinations[:60]

    def exercise(self, case: Any, role: str) -> None:
        """Send ``case`` as ``role`` and check the answer (schemathesis raises with a
        reproducible request when a check fails)."""
        self.judge(case, case.call(headers=self.headers(role)), role)

    def judge(self, case: Any, response: Any, role: str) -> None:
        """Check the answer to ``case`` sent as ``role``; open a fresh session when the
        request may have ended the one it was sent with."""
        self.calls[role] = self.calls.get(role, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS)
        finally:
            operation = str(case.operation.definition.raw.get("operationId", ""))
            if response.status_code == 401 or operation in SESSION_ENDING:
                self.open(role)


@contextmanager
def fuzzed(engine: Engine) -> Iterator[Fuzzed]:
    """The populated world on ``engine`` served (its startup hooks run) for fuzzing."""
    site = web_site(engine)
    assert isinstance(site, Site)
    app = create_app(site)
    with TestClient(app):
        yield Fuzzed(app, site)


def fuzz_every_operation(schema: Any, world: Fuzzed, role: str, examples: int) -> list[str]:
    """Fuzz every operation of ``schema`` as ``role``, ``examples`` cases each: valid
    and invalid requests alike, and, for an operation whose address names things (an
    entity, an invoice, a login...), valid requests naming those the world holds. The
    failures, one per operation that had any."""
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        strategies = [
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ]
        names = [p.name for p in operation.path_parameters]
        if names and set(names) <= set(KNOWN) and (known := world.known(names)):
            strategies.append(
                st.sampled_from(known).flatmap(
                    lambda address, op=operation: op.as_strategy(
                        GenerationMode.POSITIVE, path_parameters=address
                    )
                )
            )
        cases = st.one_of(strategies)

        @given(case=cases)
        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            world.exercise(case, role)

        try:
            run()
        except (Exception, FailureGroup) as exc:  # every operation is fuzzed
            failures.append(f"{operation.label} as {role}: {exc}")
    return failures


def fuzz_chains(schema: Any, world: Fuzzed, role: str, examples: int) -> None:
    """Chains of operations as ``role``: schemathesis's state machine follows the links
    it infers from the document (a code a ``POST`` answers, used in the address of the
    operations reading or acting on it); ``examples`` chains, each answer checked."""

    class Chains(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": world.headers(role)}

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            world.judge(case, response, role)

    Chains.run(
        settings=settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            stateful_step_count=8,
        )
    )
