"""Commands for template maintainers: osa library ..., osa templates validate | preview."""

from __future__ import annotations

import click


@click.group()
def library() -> None:
    """Inspect and validate the clause library."""


@click.command("validate")
def templates_validate() -> None:
    """Validate the Word templates."""
    raise click.UsageError("not yet available")


@click.command("preview")
def templates_preview() -> None:
    """Render a template with an example programme."""
    raise click.UsageError("not yet available")
