"""The summary of a comparison: for people (one line per change) and for tools (compare-report.schema.json)."""

from __future__ import annotations

import json

from osa_agreements import __version__
from osa_agreements.comparing.results import Change, ClauseTouched, Comparison

EXCERPT = 60
"""Longest text quoted for one side of a change; longer text is cut in the middle."""


def json_summary(comparison: Comparison) -> str:
    """Return the JSON report of a comparison."""
    payload = {"tool": f"osa-agreements {__version__}", "exit_status": comparison.exit_status, **comparison.to_dict()}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def text_summary(comparison: Comparison) -> str:
    """Return the report for people: a heading, one line per change, then the clauses the changes touch."""
    lines = [_heading(comparison)]
    lines += [f"  warning: {warning}" for warning in comparison.warnings]
    running = [change for change in comparison.changes if change.in_running_text]
    apart = [change for change in comparison.changes if not change.in_running_text]
    lines += [change_line(change) for change in running]
    if apart:
        lines.append("headers and footers:")
        lines += [change_line(change) for change in apart]
    if comparison.clauses:
        lines.append("clauses touched:")
        lines += [_clause_line(clause) for clause in comparison.clauses]
    return "\n".join(lines) + "\n"


def _heading(comparison: Comparison) -> str:
    if comparison.identical and not comparison.changes:
        return f"{comparison.sent} and {comparison.received}: the same text; {comparison.redline} has no tracked change"
    count = len(comparison.changes)
    return f"{comparison.sent} -> {comparison.received}: {count} change(s), marked in {comparison.redline}"


def change_line(change: Change) -> str:
    """Return one line: where, which clause, what changed, who, and whether the clause is changed materially.

    e.g. ``document ¶19 (9.) No transfer to third parties: 'consent' → 'consultation' (Counterpart): material``.
    """
    if change.paragraph is None:
        where = f"{change.part} (end)"
    elif change.kind == "paragraph-deleted":
        where = f"{change.part} before ¶{change.paragraph}"
    else:
        where = f"{change.part} ¶{change.paragraph}" + (f" ({change.number})" if change.number else "")
    clause = change.clause.title if change.clause is not None else "outside any clause"
    who = change.author or "unknown author"
    who += ", already tracked" if change.tracked else ""
    verdict = ": material" if change.clause is not None and change.clause.material else ""
    return f"  {where} {clause}: {_what(change)} ({who}){verdict}"


def _what(change: Change) -> str:
    before, after = _quoted(change.before), _quoted(change.after)
    if change.kind == "paragraph-moved":
        return f"paragraph moved here from SENT ¶{change.sent_paragraph}: {after}"
    if change.kind == "paragraph-inserted":
        return f"paragraph inserted: {after}"
    if change.kind == "paragraph-deleted":
        return f"paragraph deleted: {before}"
    if change.kind == "paragraph-split":
        return "paragraph split in two"
    if change.kind == "paragraphs-merged":
        return "paragraphs merged into one"
    if change.kind == "spacing-changed":
        return "spacing changed between words"
    if not change.before:
        return f"inserted {after}"
    if not change.after:
        return f"deleted {before}"
    return f"{before} → {after}"


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > EXCERPT:
        half = (EXCERPT - 3) // 2
        text = f"{text[:half]}...{text[-half:]}"
    return f"'{text}'"


def _clause_line(clause: ClauseTouched) -> str:
    status = clause.status + (" (material)" if clause.material and clause.status != "present" else "")
    was = f", was {clause.sent_status} in SENT" if clause.sent_status != "present" else ""
    findings = f": {'; '.join(clause.findings)}" if clause.findings else ""
    return f"  {clause.id} ({clause.title}): {status}{was}{findings}"
