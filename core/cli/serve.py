"""``partage serve`` (the web application) and ``partage login ...`` (who may use it:
``add``, ``list``, ``disable``, ``enable``, ``revoke``, ``reset-password``, and the
throttled addresses). The login commands are audited as the operating-system user
running them, or ``PARTAGE_ACTOR`` when set, from ``cli@<host>``.

The server is uvicorn on the application of :func:`partage.core.web.app.create_app`;
it binds to the loopback address unless told otherwise, because a production
deployment puts it behind a TLS-terminating proxy. uvicorn believes that proxy's
``X-Forwarded-Proto`` when it connects from an address of ``--forwarded-allow-ips``
(default: the loopback address); the answers then carry HSTS and Secure cookies.
``--secure-cookies`` marks cookies Secure whatever the request says.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from partage.core.access.enums import Role
from partage.core.cli.options import options_of
from partage.core.cli.output import Format, FormatOption, render

if TYPE_CHECKING:
    from partage.core.platform.runtime import Runtime
    from partage.core.web.site import Site

login_app = typer.Typer(help="Logins of the web application.", no_args_is_help=True)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option(help="Send cookies over HTTPS only (behind a TLS proxy).")
    ] = False,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Proxies (comma-separated addresses) whose X-Forwarded-Proto is believed."
        ),
    ] = "127.0.0.1",
) -> None:
    """Serve the web application and its JSON API (/api/v1, OpenAPI at /api/v1/schema)."""
    from partage.core.web.site import Site

    require_free_port(host, port)
    with options_of(ctx).runtime() as runtime:
        site = Site.from_runtime(runtime, secure_cookies=secure_cookies)
        run_server(site, host, port, forwarded_allow_ips=forwarded_allow_ips)


def require_free_port(host: str, port: int) -> None:
    """Refuse a port another program listens on, before anything is read or written.

    The demo checks it before it lives a month, so that a taken port does not end it
    after the month was committed. The server binds as uvicorn does (``SO_REUSEADDR``),
    so a port whose last connections are closing is not taken; another program may
    still take the port in between, which uvicorn then reports.

    :raises UsageError: the port cannot be listened on, with the system's reason.
    """
    import socket

    from partage.core.cli.books import UsageError

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UsageError(
                "--port", f"{port} on {host} cannot be listened on ({exc.strerror}): choose another"
            ) from None


def run_server(site: Site, host: str, port: int, *, forwarded_allow_ips: str = "127.0.0.1") -> None:
    """Serve ``site`` with uvicorn until interrupted; the outbox's jobs are enqueued as
    acts commit, and run here when ``[email] worker_in_process`` is on."""
    import uvicorn

    from partage.core.web.app import create_app

    queue = site.mail_queue()
    if site.email.worker_in_process:
        queue.start_in_process()
    typer.echo(f"Serving {site.coop.instance.name} on http://{host}:{port}/")
    try:
        uvicorn.run(
            create_app(site),
            host=host,
            port=port,
            log_level="info",
            proxy_headers=True,
            forwarded_allow_ips=forwarded_allow_ips,
        )
    finally:
        queue.stop_in_process()


def serve_demo(runtime: Runtime, *, port: int) -> None:
    """Serve the demo on the loopback address after printing its logins."""
    from partage.core.platform.db.engine import transaction
    from partage.core.web.accounts.demo_logins import DEMO_PASSWORD, ensure_demo_logins
    from partage.core.web.site import Site

    site = Site.from_runtime(runtime, administrators_need_second_factor=False)
    with transaction(runtime.sessions) as session:
        logins = ensure_demo_logins(session, site)
    typer.echo(f"Demo logins (password {DEMO_PASSWORD!r}):")
    for login in logins:
        typer.echo(f"  {login.username:<16} {login.role.value:<17} {login.scope}")
    run_server(site, "127.0.0.1", port)


@login_app.command("add")
def login_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name (lower case).")],
    role: Annotated[Role, typer.Option(help="What the login may see and do.")],
    member: Annotated[int | None, typer.Option(help="Member number (role member).")] = None,
    office: Annotated[str | None, typer.Option(help="Office code (adviser, manager).")] = None,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    email: Annotated[
        str | None,
        typer.Option(help="Where a forgotten password's link goes (a member's: the member's)."),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a login; the password is asked for (or read from standard input)."""
    from partage.core.access.logins import create_user
    from partage.core.platform import audit
    from partage.core.platform.db.engine import transaction
    from partage.core.web.site import Site

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with options_of(ctx).runtime() as runtime:
        site = Site.from_runtime(runtime)
        with transaction(runtime.sessions) as session:
            create_user(
                session,
                site.hasher,
                username=username,
                password=password,
                role=role.value,
                member=member,
                office=office,
                display_name=name,
                email=email,
                actor=audit.cli_actor(),
                origin=audit.cli_origin(),
            )
    typer.echo(f"login {username.strip().lower()} created with role {role.value}")


@login_app.command("throttled")
def login_throttled(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Addresses and accounts slowed down after failed logins."""
    from partage.core.access import throttle

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        rows = [
            [t.address, t.username or "(every account)", t.failures, t.last_failure, t.wait]
            for t in throttle.throttled(session)
        ]
    typer.echo(render(["address", "username", "failures", "last failure", "wait (s)"], rows, fmt))


@login_app.command("lift")
def login_lift(
    ctx: typer.Context,
    address: Annotated[str, typer.Argument(help="The client address slowed down.")],
    username: Annotated[
        str | None, typer.Option(help="Only this account's delay from that address.")
    ] = None,
) -> None:
    """Lift a login delay (audited)."""
    from partage.core.access import throttle
    from partage.core.platform import audit
    from partage.core.platform.db.engine import transaction

    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        lifted = throttle.lift(session, address, username=username, actor=audit.cli_actor())
    typer.echo(f"lifted {lifted} failed attempts from {address}")


UsernameArgument = Annotated[str, typer.Argument(help="The login's name.")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (audit log).")]


@login_app.command("list")
def login_list(
    ctx: typer.Context,
    search: Annotated[str, typer.Option(help="Only names containing this.")] = "",
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Every login: role, office, second factor, open sessions, last login, state."""
    from partage.core.access.logins import list_logins

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        rows = [
            [
                v.username,
                v.role,
                v.member or "",
                v.office or "",
                "yes" if v.second_factor else "no",
                v.sessions,
                v.last_login or "",
                "disabled" if v.disabled_at else "enabled",
            ]
            for v in list_logins(session, search)
        ]
    headers = ["username", "role", "member", "office", "2nd factor", "sessions", "last login"]
    typer.echo(render([*headers, "state"], rows, fmt))


def _login_act(ctx: typer.Context, act: str, username: str, reason: str) -> int:
    from partage.core.access import logins
    from partage.core.platform import audit
    from partage.core.platform.db.engine import transaction

    done = {"disable": logins.disable, "enable": logins.enable, "revoke": logins.revoke}[act]
    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        ended = done(
            session,
            username,
            actor=audit.cli_actor(),
            origin=audit.cli_origin(),
            reason=reason,
        )
    return int(ended or 0)


@login_app.command("disable")
def login_disable(
    ctx: typer.Context, username: UsernameArgument, reason: ReasonOption = ""
) -> None:
    """Disable a login: it can no longer log in and its sessions end at once."""
    ended = _login_act(ctx, "disable", username, reason)
    typer.echo(f"login {username} disabled; {ended} session(s) ended")


@login_app.command("enable")
def login_enable(ctx: typer.Context, username: UsernameArgument, reason: ReasonOption = "") -> None:
    """Enable a disabled login again (its password unchanged)."""
    _login_act(ctx, "enable", username, reason)
    typer.echo(f"login {username} enabled")


@login_app.command("revoke")
def login_revoke(ctx: typer.Context, username: UsernameArgument, reason: ReasonOption = "") -> None:
    """End every session of a login at once; it may log in again."""
    ended = _login_act(ctx, "revoke", username, reason)
    typer.echo(f"login {username}: {ended} session(s) ended")


@login_app.command("reset-password")
def login_reset_password(
    ctx: typer.Context,
    username: UsernameArgument,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="Read the new password from standard input (else random)."
        ),
    ] = False,
    clear_second_factor: Annotated[
        bool, typer.Option("--clear-second-factor", help="Also forget its second factor.")
    ] = False,
    reason: ReasonOption = "",
) -> None:
    """Give a login a new password (random unless read from standard input) and end
    its sessions; a random one is printed once, to hand over through a safe channel.
    Its owner changes it at their next login."""
    from partage.core.access.logins import reset_password
    from partage.core.platform import audit
    from partage.core.platform.db.engine import transaction
    from partage.core.web.site import Site

    given = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with options_of(ctx).runtime() as runtime:
        site = Site.from_runtime(runtime)
        with transaction(runtime.sessions) as session:
            chosen = reset_password(
                session,
                site.hasher,
                username,
                actor=audit.cli_actor(),
                password=given,
                clear_second_factor=clear_second_factor,
                origin=audit.cli_origin(),
                reason=reason,
            )
    if given is None:
        typer.echo(f"login {username}: new password {chosen}")
    else:
        typer.echo(f"login {username}: password reset")
