"""``python -m osa_agreements.cli``: the ``osa`` command."""

from osa_agreements.cli import run

run()
