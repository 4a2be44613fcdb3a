"""The `serve` command (registered into the main `lodpub` CLI by lodpub.cli)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import click

from lodpub.web.live_store import StoreNotFound, check
from lodpub.web.memory import before_fork
from lodpub.web.server import Server
from lodpub.web.settings import CONFIG_ENV, Settings, SettingsError, env_name

_TYPES = {"int": int, "float": float, "str": str}


def _setting_options(command: Any) -> Any:
    """One option per Settings field; an option left out is None, so env, file or default win."""
    for f in reversed(fields(Settings)):
        flag = "--" + f.name.replace("_", "-")
        shown = "empty" if f.default == () else f.default
        help_text = f"{f.metadata['help']} [env {env_name(f.name)}; default: {shown}]"
        if f.type == "tuple[str, ...]":
            option = click.option(flag, f.name, multiple=True, help=help_text)
        else:
            option = click.option(flag, f.name, type=_TYPES[f.type], default=None, help=help_text)
        command = option(command)
    return command


@click.command("serve")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"TOML file of settings (keys as below) [env {CONFIG_ENV}].",
)
@_setting_options
def serve(config: Path | None, **flags: Any) -> None:
    """Serve the store: SPARQL endpoint at /sparql, under gunicorn."""
    given = {name: value for name, value in flags.items() if value not in (None, ())}
    try:
        settings = Settings.resolve(given, config=config)
        check(settings.store)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    except StoreNotFound as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"lodpub: serving {settings.store} at http://{settings.host}:{settings.port}/sparql "
        f"(timeout {settings.query_timeout:g} s, row cap {settings.max_rows}, "
        f"body cap {settings.max_body} bytes)",
        err=True,
    )
    before_fork()
    Server(settings).run()
