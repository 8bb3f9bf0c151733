"""``partage plugins ...``: the country and sector plugins installed."""

from __future__ import annotations

import typer

from partage.core.cli.output import Format, FormatOption, render

plugins_app = typer.Typer(help="Country and sector plugins.", no_args_is_help=True)


@plugins_app.command("list")
def plugins_list(fmt: FormatOption = Format.TABLE) -> None:
    """List installed plugins: name, kind, version, hook API version, distribution."""
    from partage.core.platform.registry import PluginRegistry

    rows = [
        [p.name, str(p.kind), p.version, p.api_version, p.distribution]
        for p in PluginRegistry().plugins()
    ]
    typer.echo(render(["name", "kind", "version", "api", "distribution"], rows, fmt))
