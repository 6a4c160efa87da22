"""Terminal output of ``osa check``: the progress bar, where the report goes, the copies written."""

from __future__ import annotations

import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from osa_agreements.checking.results import PASS, CheckRun, DocumentReport
from osa_agreements.files.writing import refuse_existing, write_atomically

TEXT, JSON = "text", "json"


class Report:
    """The report of one ``osa check``, to standard output or to ``output``, in ``report_format``.

    An existing ``output`` is refused before any work unless ``force``. The text
    report's part on each draft is rendered as its check arrives (``on_done``), so
    that with ``--jobs`` it is made while the workers check the next drafts.
    """

    def __init__(self, report_format: str, output: Path | None, force: bool):
        if output is not None:
            refuse_existing(Path(output), force)
        self.format, self.output, self.force = report_format, output, force
        self.width, self.color = _width(output), _color(output)
        self.sections: dict[str, str] = {}

    @contextmanager
    def progress(self):
        """Yield ``(on_start, on_done)`` for the check: a progress bar on a terminal, and each draft's section."""
        with _progress_bar() as (on_start, advance):
            def on_done(report: DocumentReport) -> None:
                self._render(report)
                if advance is not None:
                    advance()

            yield on_start, on_done

    def write(self, run: CheckRun) -> None:
        """Write the report of ``run`` to the output atomically, or print it."""
        text = self._text(run)
        if self.output is None:
            click.echo(text, nl=False)
            return
        write_atomically(Path(self.output), text.encode("utf-8"), self.force)
        from osa_agreements.reports.text import summary_line

        click.echo(f"{summary_line(run.reports, run.not_checked)}; the report is in {self.output}", err=True)

    def _render(self, report: DocumentReport) -> None:
        if self.format == TEXT:
            from osa_agreements.reports.text import document_text

            self.sections[report.path] = document_text(report, self.width, self.color)

    def _text(self, run: CheckRun) -> str:
        if self.format == JSON:
            from osa_agreements.reports.json_report import json_report

            return json_report(run)
        from osa_agreements.reports.text import text_report

        return text_report(run, width=self.width, color=self.color, sections=self.sections)


def print_copies(run: CheckRun, wanted: bool) -> None:
    """Say on standard error which review copies were written, and which drafts need none."""
    for report in run.reports:
        for copy in (c for c in run.copies if c.draft == report.path):
            what = "comment(s)" if copy.kind == "annotated" else "change(s), each with a comment"
            click.echo(f"{copy.path}: {copy.kind} copy of {copy.draft}, {copy.comments} {what}", err=True)
        if wanted and report.verdict == PASS:
            click.echo(f"{report.path}: passes; no copy to send back", err=True)


@contextmanager
def _progress_bar():
    """Yield ``(on_start, advance)`` that drive a progress bar on a terminal, or ``(None, None)``."""
    if not sys.stderr.isatty():
        yield None, None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=Console(stderr=True)) as progress:
        task = progress.add_task("check", total=None)
        yield (lambda total: progress.update(task, total=total), lambda: progress.advance(task))


def _color(output: Path | None) -> bool:
    return output is None and sys.stdout.isatty()


def _width(output: Path | None) -> int:
    if output is None and sys.stdout.isatty():
        return max(80, shutil.get_terminal_size().columns)
    return 120
