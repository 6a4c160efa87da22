"""The one place errors are shown: run the ``osa`` command and turn every expected failure into its exit status."""

from __future__ import annotations

import signal
import sys

import click

from osa_agreements.cli.commands import cli
from osa_agreements.errors import OsaError


def main(argv: list[str] | None = None) -> int:
    """Run the ``osa`` command; return its exit status. The one place errors are shown."""
    try:
        status = cli.main(args=argv, prog_name="osa", standalone_mode=False)
    except OsaError as error:
        for line in error.lines():
            click.echo(line, err=True)
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("osa: interrupted; no partial file was left behind", err=True)
        return 130
    except _Terminated as stop:
        click.echo("osa: stopped (SIGTERM); no partial file was left behind", err=True)
        return 128 + stop.signum
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Exit as done:
        return done.exit_code
    return status if isinstance(status, int) else 0


def run() -> None:
    """Entry point of the ``osa`` console script."""
    signal.signal(signal.SIGTERM, _terminated)
    sys.exit(main())


class _Terminated(BaseException):
    """SIGTERM as an exception, so that temporary files are removed on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminated(signum, frame) -> None:
    raise _Terminated(signum)

