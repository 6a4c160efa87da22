"""``osa compare``: read both drafts, align them part by part, write the redline, say which clauses changed."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from osa_agreements.errors import OutputError
from osa_agreements.ooxml.package import Limits
from osa_agreements.ooxml.reader import OpenedDocument, open_document
from osa_agreements.ooxml.records import Block, Revision
from osa_agreements.ooxml.redline import Edit, Redline, SentDraft
from osa_agreements.files.writing import refuse_existing, write_atomically
from osa_agreements.comparing import results
from osa_agreements.comparing.align import MOVED_AWAY, Region, align, shifted
from osa_agreements.comparing.marks import PartTexts, end_of_story_marks, region_marks
from osa_agreements.comparing.results import Change, ClauseTouched, Comparison

DEFAULT_AUTHOR = "Counterpart"


def compare(
    sent_path: Path,
    received_path: Path,
    redline_path: Path,
    author: str = DEFAULT_AUTHOR,
    force: bool = False,
    library_dir: Path | None = None,
    limits: Limits | None = None,
) -> Comparison:
    """Write to ``redline_path`` RECEIVED with every difference from SENT as a tracked change; return what changed.

    Untracked differences are attributed to ``author``; RECEIVED's own tracked changes keep theirs.
    Raises DocumentError when a draft cannot be read, OutputError when the redline cannot be written.
    """
    from osa_agreements.checking.engine import prepare
    from osa_agreements.library.clauses import load_library

    sent_path, received_path, redline_path = Path(sent_path), Path(received_path), Path(redline_path)
    _refuse_output(redline_path, (sent_path, received_path), force)
    sent = open_document(sent_path, limits or Limits())
    received = open_document(received_path, limits or Limits())
    library = load_library(library_dir)
    checker = prepare(library)
    clauses = _Clauses(checker, sent, received)
    date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    redline = Redline(received)
    sent_draft = SentDraft(sent)
    edits, changes, warnings = _compare_parts(sent_draft, received, redline, author, date)
    write_atomically(redline_path, redline.write(edits, sent_draft, author, date), force)
    changes = [replace(change, clause=clauses.touched(change)) for change in (*changes, *_tracked(received))]
    changes.sort(key=_reading_order)
    return Comparison(
        sent=str(sent_path), received=str(received_path), redline=str(redline_path), author=author,
        identical=_same_text(sent, received), changes=tuple(changes), clauses=clauses.all_touched(changes),
        library_version=library.version, warnings=(*sent.text.warnings, *received.text.warnings, *warnings),
    )


def _refuse_output(redline: Path, inputs: Iterable[Path], force: bool) -> None:
    for source in inputs:
        if source.exists() and redline.exists() and os.path.samefile(source, redline):
            raise OutputError(f"{redline}: is one of the drafts compared; give another file name for the redline")
    refuse_existing(redline, force)


def _compare_parts(sent_draft: SentDraft, received: OpenedDocument, redline: Redline, author: str,
                   date: str) -> tuple[list[Edit], list[Change], list[str]]:
    sent = sent_draft.document
    sent_blocks = _by_part(sent.text.blocks)
    received_blocks = _by_part(received.text.blocks)
    sent_stories = sent_draft.block_stories()
    edits: list[Edit] = []
    changes: list[Change] = []
    for name, paragraphs in redline.paragraphs.items():
        part = PartTexts(name, sent_blocks.get(name, []), received_blocks.get(name, []), paragraphs,
                         _paragraphs_by_block(paragraphs), author, date)
        part_edits, part_changes = _compare_part(part, sent_stories.get(name, []))
        edits += part_edits
        changes += part_changes
    missing = [name for name in sent_blocks if name not in redline.paragraphs and any(b.accepted for b in sent_blocks[name])]
    warnings = [f"{received.package.path}: has no {name} part, which {sent.package.path} has; its text is not in the redline"
                for name in missing]
    return edits, changes, warnings


def _compare_part(part: PartTexts, sent_stories: Sequence[int]) -> tuple[list[Edit], list[Change]]:
    regions = _regions(part, sent_stories)
    moved_from = {region.move: region.sent[0] for region in regions if region.kind == MOVED_AWAY}
    edits: list[Edit] = []
    changes: list[Change] = []
    for region in regions:
        region_edits, region_changes = region_marks(region, part, moved_from)
        edits += region_edits
        changes += region_changes
    return end_of_story_marks(edits, part.paragraphs), changes


def _regions(part: PartTexts, sent_stories: Sequence[int]) -> list[Region]:
    """Return the aligned regions of a part: story by story (cell by cell, note by note) when both drafts
    have the same stories in the same order, else over the whole part at once."""
    sent = [b.accepted for b in part.sent]
    received = [b.accepted for b in part.received]
    joinable = part.joinable()
    sent_runs = _story_runs(sent_stories, part.sent)
    received_runs = _story_runs([paragraphs[-1].story for paragraphs in part.by_block], part.received)
    if [kind for kind, _ in sent_runs] != [kind for kind, _ in received_runs]:
        return align(sent, received, joinable, f"osa-{part.name}-move")
    regions = []
    for number, ((_, (i0, i1)), (_, (j0, j1))) in enumerate(zip(sent_runs, received_runs)):
        found = align(sent[i0:i1], received[j0:j1], joinable[j0:j1 - 1] + [False], f"osa-{part.name}-{number}-move")
        regions.extend(shifted(region, i0, j0) for region in found)
    return regions


def _story_runs(stories: Sequence[int], blocks: Sequence[Block]) -> list[tuple[str, tuple[int, int]]]:
    """Return the stretches of consecutive paragraphs in one story, each with its container and positions."""
    runs: list[tuple[str, tuple[int, int]]] = []
    for position, story in enumerate(stories):
        if runs and stories[runs[-1][1][0]] == story:
            runs[-1] = (runs[-1][0], (runs[-1][1][0], position + 1))
        else:
            runs.append((blocks[position].container, (position, position + 1)))
    return runs


def _by_part(blocks: Iterable[Block]) -> dict[str, list[Block]]:
    parts: dict[str, list[Block]] = {}
    for block in blocks:
        parts.setdefault(block.part, []).append(block)
    return parts


def _paragraphs_by_block(paragraphs) -> list[list]:
    grouped: list[list] = []
    for paragraph in paragraphs:
        if len(grouped) < paragraph.block:
            grouped.append([])
        grouped[paragraph.block - 1].append(paragraph)
    return grouped


def _same_text(sent: OpenedDocument, received: OpenedDocument) -> bool:
    """Return whether both drafts read the same, part by part and paragraph by paragraph, as signed."""
    def texts(document: OpenedDocument) -> dict[str, list[str]]:
        return {name: [b.accepted for b in blocks] for name, blocks in _by_part(document.text.blocks).items()}

    return texts(sent) == texts(received)


def _tracked(received: OpenedDocument) -> list[Change]:
    """Return RECEIVED's own tracked changes, a deletion and an insertion at one place taken as one replacement."""
    changes = []
    for block in received.text.blocks:
        revisions = list(block.revisions)
        while revisions:
            first = revisions.pop(0)
            second = revisions[0] if revisions else None
            if _replacement(first, second):
                revisions.pop(0)
                changes.append(_tracked_change(block, results.REPLACED, first, first.text, second.text))
            elif first.kind == "insert":
                changes.append(_tracked_change(block, results.INSERTED, first, "", first.text))
            else:
                changes.append(_tracked_change(block, results.DELETED, first, first.text, ""))
    return changes


def _replacement(first: Revision, second: Revision | None) -> bool:
    return (second is not None and first.kind == "delete" and second.kind == "insert"
            and first.start == second.start and first.author == second.author)


def _tracked_change(block: Block, kind: str, revision: Revision, before: str, after: str) -> Change:
    before, after = before.replace("\n", "¶"), after.replace("\n", "¶")
    return Change(kind, block.part, block.index, block.number, None, before, after, revision.author, revision.date,
                  True, None)


def _reading_order(change: Change) -> tuple:
    return (not change.in_running_text, change.part != "document", change.part, change.paragraph or 0)


class _Clauses:
    """Where the checker finds each library clause in both drafts, to say which clause a change falls in."""

    def __init__(self, checker, sent: OpenedDocument, received: OpenedDocument):
        from osa_agreements.checking.batch import applicable

        library = checker.library
        self._received = {r.id: r for r in applicable(checker.check(received.text), library)}
        self._sent = {r.id: r for r in applicable(checker.check(sent.text), library)}
        self._received_at = _places(self._received.values())
        self._sent_at = _places(self._sent.values())

    def touched(self, change: Change) -> ClauseTouched | None:
        """Return the clause ``change`` falls in: where RECEIVED has it, else where SENT had it; None outside any."""
        in_sent = self._sent_at.get((change.part, change.sent_paragraph)) if not change.tracked else None
        in_received = self._received_at.get((change.part, change.paragraph))
        clause_id = (in_sent or in_received) if change.kind == results.PARAGRAPH_DELETED else (in_received or in_sent)
        return None if clause_id is None else self._touched(clause_id)

    def all_touched(self, changes: Sequence[Change]) -> tuple[ClauseTouched, ...]:
        """Return each clause touched by ``changes`` once, in the order they are first touched."""
        ids = dict.fromkeys(change.clause.id for change in changes if change.clause is not None)
        return tuple(self._touched(clause_id) for clause_id in ids)

    def _touched(self, clause_id: str) -> ClauseTouched:
        result = self._received.get(clause_id) or self._sent[clause_id]
        sent = self._sent.get(clause_id)
        findings = tuple(f.message for f in result.findings if f.material) if clause_id in self._received else ()
        status = result.status if clause_id in self._received else "missing"
        return ClauseTouched(result.id, result.title, result.mandatory, status,
                             sent.status if sent is not None else "missing", result.material, findings)


def _places(clause_results) -> dict[tuple[str, int], str]:
    places = {}
    for result in clause_results:
        where = result.location
        if where is not None:
            for paragraph in range(where.paragraph, where.last_paragraph + 1):
                places.setdefault((where.part, paragraph), result.id)
    return places
