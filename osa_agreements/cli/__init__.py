"""The ``osa`` command line: the one place errors are shown, the commands, terminal output."""

from osa_agreements.cli.main import main, run

__all__ = ["main", "run"]
