"""The text report of a check, for people: per draft a table of clauses, then what changed."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from osa_agreements.checking.results import (ERROR, FAIL, MISSING, MODIFIED, PASS, PRESENT, AddedText, CheckRun,
                                             ClauseResult, DiffOp, DocumentReport, DraftComment, Location, NotChecked)

SUMMARY_FINDINGS = 2
"""How many material findings the table's "what changed" column shows; the details list them all."""
_STATUS_STYLE = {PRESENT: "green", MODIFIED: "yellow", MISSING: "bold red"}


def text_report(run: CheckRun, width: int = 120, color: bool = False, sections: dict[str, str] | None = None) -> str:
    """Return the report for people: per draft, a table of clauses, then what changed; then the summary.

    ``sections``: the parts on some drafts already rendered (``document_text``, same
    width and colour), by draft path; the others are rendered here. The documents in
    the folders that are not .docx are named before the summary.
    """
    sections = sections or {}
    parts = [sections.get(r.path) or document_text(r, width, color) for r in run.reports]
    console, buffer = _console(width, color)
    for skipped in run.not_checked:
        console.print(f"{skipped.path}: NOT CHECKED: {skipped.advice}", soft_wrap=True)
    console.print(summary_line(run.reports, run.not_checked), soft_wrap=True)
    return "".join(parts) + buffer.getvalue()


def document_text(report: DocumentReport, width: int = 120, color: bool = False) -> str:
    """Return the part of the text report on one draft (rendered as each draft's check arrives).

    The mandatory clauses come first, then the other clauses, then what stands outside
    them: findings on the agreement, added text, the counterpart's comments.
    """
    console, buffer = _console(width, color)
    _print_document(console, report)
    if report.verdict != ERROR:
        # Plain lines: a long draft may add thousands of paragraphs.
        buffer.write("".join(_agreement_lines(report)))
        buffer.write("\n")
    return buffer.getvalue()


def _agreement_lines(report: DocumentReport) -> list[str]:
    lines = []
    if report.findings:
        lines.append("  the agreement:\n")
        lines += [f"    - {'MATERIAL ' if f.material else ''}{f.kind}: {f.message}\n" for f in report.findings]
    if report.added:
        lines.append(f"  added text ({_count(len(report.added), 'paragraph')} in no library clause):\n")
        lines += [f"    {added_line(a)}\n" for a in report.added]
    if report.comments:
        lines.append(f"  comments ({len(report.comments)}, not agreement text):\n")
        lines += [f"    {comment_line(c)}\n" for c in report.comments]
    return lines


def added_line(added: AddedText) -> str:
    """Return e.g. ``document ¶21 (11.): 'Notwithstanding ...' (inserted by X; overrides Y)``."""
    notes = ([f"inserted by {', '.join(added.authors)}"] if added.authors else []) + (
        [f"overrides {', '.join(added.overrides)}"] if added.overrides else [])
    return f"{_place(added.location)}: '{added.location.excerpt}'" + (f" ({'; '.join(notes)})" if notes else "")


def comment_line(comment: DraftComment) -> str:
    """Return e.g. ``Counterpart Reviewer, 2026-11-20, on document ¶19 (9.) no-third-party-transfer: TEXT``."""
    who = comment.author or "unknown author"
    when = f", {comment.date[:10]}" if comment.date else ""
    anchor = ""
    if comment.part is not None:
        number = f" ({comment.number})" if comment.number else ""
        anchor = f" on {comment.part} ¶{comment.paragraph}{number}" + (f" {comment.clause}" if comment.clause else "")
    return f"{who}{when}{anchor}: {' '.join(comment.text.split())}"


def _place(where: Location) -> str:
    number = f" ({where.number})" if where.number else ""
    place = "" if where.container == "body" else f" {where.container}"
    return f"{where.part}{place} ¶{where.paragraph}{number}"


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _console(width: int, color: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=width, no_color=not color, force_terminal=color, highlight=False,
                   emoji=False), buffer


def _print_document(console: Console, report: DocumentReport) -> None:
    console.print(Text(f"{report.path}: {report.headline}", style="bold"))
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
    more = f"; and {len(material) - SUMMARY_FINDINGS} more" if len(material) > SUMMARY_FINDINGS else ""
    return "; ".join(material[:SUMMARY_FINDINGS] or [f.message for f in result.findings][:1]) + more


def _print_details(console: Console, result: ClauseResult) -> None:
    console.print(Text(f"  {result.id}: {result.status}", style=_STATUS_STYLE[result.status]))
    for finding in result.findings:
        console.print(f"    - {'MATERIAL ' if finding.material else ''}{finding.kind}: {finding.message}")
    if result.diff and result.status == MODIFIED:
        console.print(Text("    diff: ").append_text(word_diff_text(result.diff)))


def word_diff_text(diff: tuple[DiffOp, ...]) -> Text:
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
    counts = {v: sum(r.verdict == v for r in reports) for v in (PASS, FAIL, ERROR)}
    verdicts = f"{counts[PASS]} pass, {counts[FAIL]} fail, {counts[ERROR]} could not be read"
    if not not_checked:
        return f"{len(reports)} draft(s): {verdicts}"
    return (f"{len(reports) + len(not_checked)} files: {len(reports)} draft(s) checked ({verdicts}), "
            f"{len(not_checked)} not .docx, not checked (each named above with what to do)")
