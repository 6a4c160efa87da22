"""Terminal presentation for the CLI: progress bar and where reports go."""

from __future__ import annotations

import functools
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from osa_agreements.files.writing import refuse_existing, write_atomically


@contextmanager
def progress_callbacks():
    """Yield ``(on_start, on_done)`` that drive a progress bar on a terminal, or do nothing."""
    if not sys.stderr.isatty():
        yield None, None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=_stderr_console()) as progress:
        task = progress.add_task("check", total=None)
        yield (lambda total: progress.update(task, total=total),
               lambda report: progress.advance(task))


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def document_renderer(report_format: str, output: Path | None):
    """Return the function that renders one draft's part of a text report for ``output``, or None for JSON."""
    if report_format == "json":
        return None
    from osa_agreements.reports.text import document_text

    return functools.partial(document_text, width=_width(output), color=_color(output))


def write_report(run, report_format: str, output: Path | None, force: bool) -> None:
    """Write the report of ``run`` to ``output`` atomically, or print it."""
    if report_format == "json":
        from osa_agreements.reports.json_report import json_report

        text = json_report(run.reports, run.library.version, run.not_checked)
    else:
        from osa_agreements.reports.text import text_report

        text = text_report(run.reports, width=_width(output), color=_color(output), not_checked=run.not_checked)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomically(Path(output), text.encode("utf-8"), force)
    from osa_agreements.reports.text import summary_line

    click.echo(f"{summary_line(run.reports, run.not_checked)}; the report is in {output}", err=True)


def _color(output: Path | None) -> bool:
    return output is None and sys.stdout.isatty()


def _width(output: Path | None) -> int:
    if output is None and sys.stdout.isatty():
        return max(80, shutil.get_terminal_size().columns)
    return 120


def refuse_existing_outputs(force: bool, *paths: Path | None) -> None:
    """Raise before any work when an output file exists and ``force`` is not set."""
    for path in paths:
        if path is not None:
            refuse_existing(Path(path), force)
