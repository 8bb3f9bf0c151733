"""``partage config ...``: the layered configuration, shown with each value's layer and
checked against the installed plugins.
"""

from __future__ import annotations

import typer

from partage.core.cli.options import options_of
from partage.core.cli.output import Format, FormatOption, render

config_app = typer.Typer(help="Show and check the layered configuration.", no_args_is_help=True)


@config_app.command("show")
def config_show(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Print every resolved setting with the layer it came from."""
    from partage.core.platform.runtime import load_config

    options = options_of(ctx)
    config = load_config(options.instance, options.config_dir)
    rows = [list(row) for row in config.resolved.items()]
    if options.database_url:
        rows = [
            [k, options.database_url, "--database-url"] if k == "database_url" else [k, v, s]
            for k, v, s in rows
        ]
    typer.echo(render(["key", "value", "source"], rows, fmt))


@config_app.command("check")
def config_check(ctx: typer.Context) -> None:
    """Validate the configuration of the chosen instance."""
    config = options_of(ctx).configured().config
    typer.echo(
        f"configuration of instance {config.instance.code} is valid "
        f"({len(config.instance.offices)} offices; layers: "
        + ", ".join(str(p) for p in config.resolved.layers)
        + ")"
    )
