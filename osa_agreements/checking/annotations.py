"""Turning a draft's check into Word comments on a copy of the draft."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputFileError
from ..ooxml.annotate import Note, annotate
from .results import MISSING, PRESENT, AddedText, ClauseResult
from .run import ERROR, DocumentReport


def annotate_draft(report: DocumentReport, destination: Path, force: bool = False) -> int:
    """Write a copy of the checked draft with a comment per modified or missing clause and per added paragraph.

    Return the number of comments written.
    """
    if report.verdict == ERROR:
        raise InputFileError(f"{report.path}: cannot annotate a draft that could not be read")
    if Path(destination).resolve() == Path(report.path).resolve():
        raise InputFileError(f"{destination}: --annotate must name a new file, not the draft itself")
    notes = [clause_note(r) for r in report.clauses if r.status != PRESENT]
    notes += [added_note(a) for a in report.added]
    annotate(Path(report.path), Path(destination), notes, force=force)
    return len(notes)


def added_note(added: AddedText) -> Note:
    """Return the comment for a paragraph of added text: not in the clause library, and what it overrides."""
    overrides = f" It overrides {', '.join(added.overrides)}." if added.overrides else ""
    who = f" Inserted by {', '.join(added.authors)}." if added.authors else ""
    where = added.location
    return Note(where.part, where.paragraph, where.last_paragraph,
                f"osa check: added text, in no clause of the library.{overrides}{who}")


def clause_note(result: ClauseResult) -> Note:
    """Return the comment for one clause that is not present as the library has it."""
    findings = "; ".join(f"{'MATERIAL: ' if f.material else ''}{f.message}" for f in result.findings)
    kind = "mandatory clause" if result.mandatory else "clause"
    if result.status == MISSING:
        text = f"osa check: the {kind} '{result.title}' ({result.id}) is missing." + (f" {findings}" if findings else "")
        return Note(None, None, None, text)
    where = result.location
    text = f"osa check: the {kind} '{result.title}' ({result.id}) is modified. {findings}".strip()
    return Note(where.part, where.paragraph, where.last_paragraph, text)
