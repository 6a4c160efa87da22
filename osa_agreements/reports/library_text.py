"""Text renderings for template maintainers: the clause table, one clause in full, a library diff."""

from __future__ import annotations

import textwrap

from osa_agreements.library.clauses import Clause, ClauseLibrary, Wording
from osa_agreements.library.diff import ClauseChange, LibraryDiff
from osa_agreements.drafting.template_checks import TemplatesValidation

_WIDTH = 88
_KIND_MARKS = {"added": "+", "removed": "-", "changed": "~"}


def columns(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """Return ``rows`` under ``header`` as left-aligned columns, two spaces apart, the last unpadded."""
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    lines = ["  ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[-1]]) for row in table]
    return "\n".join(lines) + "\n"


def clause_table(library: ClauseLibrary) -> str:
    """Return one line per clause: id, version, mandatory, basis, title; mandatory clauses first."""
    ordered = [*library.mandatory(), *sorted((c for c in library.clauses.values() if not c.mandatory),
                                             key=lambda c: c.id)]
    rows = [(c.id, c.version, "yes" if c.mandatory else "no", c.basis, c.title) for c in ordered]
    heading = f"{library.name} {library.version} ({library.path}): {len(rows)} clauses\n"
    return heading + columns(rows, ("ID", "VERSION", "MANDATORY", "BASIS", "TITLE"))


def clause_details(clause: Clause) -> str:
    """Return everything about one clause: wording, placeholders, approved alternatives, history."""
    lines = [f"{clause.id} {clause.version}: {clause.title}",
             (f"mandatory: {'yes' if clause.mandatory else 'no'}    basis: Guidelines {clause.basis}    "
              f"file: {clause.path}")]
    if clause.when is not None:
        lines.append(f"only in the Notes of programmes that list {clause.when}")
    lines += ["", "Text:", *_wording_lines(clause.wording)]
    placeholders = list(dict.fromkeys(p for w in clause.wordings for p in w.placeholders()))
    lines += ["", "Placeholders: " + (", ".join(placeholders) or "none")]
    lines += ["Essential terms: " + ("; ".join(clause.essential_terms) or "none")]
    lines += ["", "Approved alternative wordings:" if clause.alternatives else "Approved alternative wordings: none"]
    for alternative in clause.alternatives:
        lines += [f"  {alternative.variant}", *_wording_lines(alternative, indent="    ")]
    lines += ["", "History:", *(f"  {h['version']}  {h['date']}  {h['reason']}" for h in clause.history)]
    return "\n".join(lines) + "\n"


def _wording_lines(wording: Wording, indent: str = "  ") -> list[str]:
    lines = textwrap.wrap(" ".join(wording.text.split()), _WIDTH, initial_indent=indent, subsequent_indent=indent)
    for letter, item in zip("abcdefghijklmnopqrstuvwxyz", wording.items):
        lines += textwrap.wrap(" ".join(item.split()), _WIDTH, initial_indent=f"{indent}({letter}) ",
                               subsequent_indent=f"{indent}    ")
    return lines


def library_diff_text(diff: LibraryDiff) -> str:
    """Return the changes of a library diff, one block per clause, fields as word diffs."""
    counts = {kind: sum(1 for c in diff.changes if c.kind == kind) for kind in _KIND_MARKS}
    lines = [(f"clause library {diff.old_version} ({diff.old}) -> {diff.new_version} ({diff.new}): "
              f"{counts['added']} added, {counts['changed']} changed, {counts['removed']} removed")]
    for change in diff.changes:
        lines += _change_lines(change)
    return "\n".join(lines) + "\n"


def _change_lines(change: ClauseChange) -> list[str]:
    versions = " -> ".join(v for v in (change.old_version, change.new_version) if v)
    lines = [f"{_KIND_MARKS[change.kind]} {change.clause_id} {versions}  {change.title}"]
    if change.reason and change.kind != "removed":
        lines.append(f"    history: {change.reason}")
    lines += [f"    {field.field}: {field.words}" for field in change.fields]
    return lines


def validation_summary(validation: TemplatesValidation) -> str:
    """Return one line per template: ok or how many problems, and what it was rendered with."""
    rows = []
    for check in validation.checks:
        verdict = f"{len(check.problems)} problem(s)" if check.problems else "ok"
        rendered = f"rendered with {len(check.rendered)} example programme(s)" if check.rendered else "not rendered"
        rows.append((str(check.template.path), verdict, rendered))
    heading = f"clause library {validation.library.version} ({validation.library.path})\n"
    return heading + columns(rows, ("TEMPLATE", "RESULT", "RENDERING"))
