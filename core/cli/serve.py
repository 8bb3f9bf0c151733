"""``partage serve`` (the web application) and ``partage login add`` (who may use it).

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
    """Serve ``site`` with uvicorn until interrupted."""
    import uvicorn

    from partage.core.web.app import create_app

    typer.echo(f"Serving {site.coop.instance.name} on http://{host}:{port}/")
    uvicorn.run(
        create_app(site),
        host=host,
        port=port,
        log_level="info",
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
    )


def serve_demo(runtime: Runtime, *, port: int) -> None:
    """Serve the demo on the loopback address after printing its logins."""
    from partage.core.platform.db.engine import transaction
    from partage.core.web.accounts.demo_logins import DEMO_PASSWORD, ensure_demo_logins
    from partage.core.web.site import Site

    site = Site.from_runtime(runtime)
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
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a login; the password is asked for (or read from standard input)."""
    from partage.core.access.logins import create_user
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
                actor="cli",
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
    from partage.core.platform.db.engine import transaction

    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        lifted = throttle.lift(session, address, username=username, actor="cli")
    typer.echo(f"lifted {lifted} failed attempts from {address}")
