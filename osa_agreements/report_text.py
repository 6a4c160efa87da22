"""The text report of a check, for people: per draft a table of clauses, then what changed."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .checking.results import MISSING, MODIFIED, PRESENT, ClauseResult, DiffOp
from .checking.run import ERROR, DocumentReport, NotChecked

_STATUS_STYLE = {PRESENT: "green", MODIFIED: "yellow", MISSING: "bold red"}


def text_report(reports: tuple[DocumentReport, ...], width: int = 120, color: bool = False,
                not_checked: tuple[NotChecked, ...] = ()) -> str:
    """Return the report for people: per draft, a table of clauses, then what changed; then the summary.

    A draft's part already rendered during the check (``DocumentReport.text``) is used as it is.
    ``not_checked`` are documents found in the folders that are not .docx.
    """
    sections = [r.text if r.text is not None else document_text(r, width, color) for r in reports]
    console, buffer = _console(width, color)
    for skipped in not_checked:
        console.print(f"{skipped.path}: NOT CHECKED: {skipped.advice}", soft_wrap=True)
    console.print(summary_line(reports, not_checked), soft_wrap=True)
    return "".join(sections) + buffer.getvalue()


def document_text(report: DocumentReport, width: int = 120, color: bool = False) -> str:
    """Return the part of the text report on one draft (``osa check --jobs`` renders it in the worker)."""
    console, buffer = _console(width, color)
    _print_document(console, report)
    return buffer.getvalue()


def _console(width: int, color: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=width, no_color=not color, force_terminal=color, highlight=False,
                   emoji=False), buffer


def _print_document(console: Console, report: DocumentReport) -> None:
    console.print(Text(f"{report.path}: {report.verdict.upper()}", style="bold"))
    if report.verdict == ERROR:
        console.print(f"  cannot check: {report.error}")
        console.print()
        return
    for warning in report.warnings:
        console.print(f"  warning: {warning}")
    console.print(_clause_table(report.clauses))
    for result in report.clauses:
        if result.status != PRESENT or result.findings:
            _print_details(console, result)
    console.print()


def _clause_table(results: tuple[ClauseResult, ...]) -> Table:
    table = Table(show_lines=False, pad_edge=False, box=None, header_style="bold")
    for column in ("clause", "status", "location", "what changed"):
        table.add_column(column, overflow="fold")
    for result in results:
        status = result.status + (" (material)" if result.material and result.status != PRESENT else "")
        status += f" [{result.variant}]" if result.variant else ""
        table.add_row(
            result.id + ("" if result.mandatory else " (optional)"),
            Text(status, style=_STATUS_STYLE[result.status]),
            location_label(result),
            _summary(result),
        )
    return table


def location_label(result: ClauseResult) -> str:
    """Return e.g. ``document ¶23 (8.)`` or ``-`` when the clause was not found."""
    where = result.location
    if where is None:
        return "-"
    span = f"¶{where.paragraph}" + (f"-{where.last_paragraph}" if where.last_paragraph != where.paragraph else "")
    number = f" ({where.number})" if where.number else ""
    place = "" if where.container == "body" else f" {where.container}"
    return f"{where.part}{place} {span}{number}"


def _summary(result: ClauseResult) -> str:
    if result.status == PRESENT and not result.findings:
        return ""
    material = [f.message for f in result.findings if f.material]
    return "; ".join(material or [f.message for f in result.findings][:1])


def _print_details(console: Console, result: ClauseResult) -> None:
    console.print(Text(f"  {result.id}: {result.status}", style=_STATUS_STYLE[result.status]))
    for finding in result.findings:
        console.print(f"    - {'MATERIAL ' if finding.material else ''}{finding.kind}: {finding.message}")
    if result.diff and result.status == MODIFIED:
        console.print(Text("    diff: ").append_text(diff_text(result.diff)))


def diff_text(diff: tuple[DiffOp, ...]) -> Text:
    """Return the word diff as ``kept [-deleted-] {+inserted+}`` text, coloured where shown."""
    text = Text()
    for op in diff:
        if op.op == "equal":
            text.append(op.text + " ")
        elif op.op == "delete":
            text.append(f"[-{op.text}-] ", style="red strike")
        else:
            text.append(f"{{+{op.text}+}} ", style="green")
    return text


def summary_line(reports: tuple[DocumentReport, ...], not_checked: tuple[NotChecked, ...] = ()) -> str:
    """Return the last line of the report: how many drafts passed, failed, could not be read or were not checked."""
    counts = {v: sum(r.verdict == v for r in reports) for v in ("pass", "fail", "error")}
    verdicts = f"{counts['pass']} pass, {counts['fail']} fail, {counts['error']} could not be read"
    if not not_checked:
        return f"{len(reports)} draft(s): {verdicts}"
    return (f"{len(reports) + len(not_checked)} files: {len(reports)} draft(s) checked ({verdicts}), "
            f"{len(not_checked)} not .docx, not checked (each named above with what to do)")
