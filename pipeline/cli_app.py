"""The typer app and what every command shares: settings, the store, one-line errors."""

from __future__ import annotations

from pathlib import Path

import typer

from .errors import NormScopeError
from .settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Read AI standards and policy at clause level.")

_state: dict[str, Settings] = {}


@app.callback()
def main(
    home: Path = typer.Option(None, "--home", help="Store folder (env NORMSCOPE_HOME, default ./.normscope)."),
) -> None:
    _state["settings"] = load_settings(home)


def _settings() -> Settings:
    return _state.get("settings") or load_settings()


def _store():  # type: ignore[no-untyped-def]
    from .store import Store

    return Store(_settings().db_path)


def _fail(exc: NormScopeError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)
