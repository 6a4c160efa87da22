"""The copies a reviewer sends back: annotated (comments) and restored (the agreed wording as tracked changes).

``plan_review`` checks every output before any draft is read: the author, where
each copy goes (a file for one draft, a folder of copies for several), that no
copy would replace an input or an existing file without ``--force``. During the
check, the ``ReviewPlan`` makes the copies of each draft that does not pass
from the package the check opened, under the same limits.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from osa_agreements.errors import InputFileError, OutputError
from osa_agreements.ooxml.annotate import Addition, Note, Restoration, Reviewer, write_copy
from osa_agreements.files.writing import refuse_existing, refuse_file_as_folder
from osa_agreements.reports import remarks
from osa_agreements.checking.evidence import MAIN_PART
from osa_agreements.checking.results import FAIL, MISSING, PRESENT, ClauseResult, DocumentReport

if TYPE_CHECKING:
    from osa_agreements.library.clauses import Clause, ClauseLibrary
    from osa_agreements.ooxml.package import Package
    from osa_agreements.ooxml.records import DocumentText
    from osa_agreements.checking.engine import Checker

AUTHOR_VARIABLE = "OSA_AUTHOR"
INITIALS_VARIABLE = "OSA_INITIALS"
ANNOTATED, RESTORED = "annotated", "restored"
COPY_SUFFIX = ".docx"


@dataclass(frozen=True)
class ReviewRequest:
    """What the reviewer asked for: ``annotate``/``restore`` outputs (None: not wanted), author, initials."""

    annotate: Path | None = None
    restore: Path | None = None
    author: str | None = None
    initials: str | None = None
    force: bool = False

    @property
    def wanted(self) -> bool:
        """Return True when any copy is asked for."""
        return self.annotate is not None or self.restore is not None


@dataclass(frozen=True)
class WrittenCopy:
    """A copy written: of which draft, which kind (annotated, restored), where, with how many comments."""

    draft: str
    kind: str
    path: str
    comments: int


@dataclass(frozen=True)
class ReviewPlan:
    """Where each draft's copies go and who signs them; ``orders``: the template's clause order by Note kind."""

    outputs: dict[str, dict[str, Path]]
    reviewer: Reviewer
    force: bool
    orders: dict[str, tuple[str, ...]]

    def __call__(self, report: DocumentReport, package: Package, document: DocumentText,
                 checker: Checker) -> tuple[WrittenCopy, ...]:
        """Write the copies of a checked draft that does not pass, from the package the check opened; return them.

        The agreed wording takes the programme's values, else those the draft holds.
        """
        if report.verdict != FAIL:
            return ()
        from osa_agreements.checking.expected_values import held_values

        values = dict(checker.values) if checker.values is not None else held_values(document, checker)
        return self.write(package, report, checker.library, values)

    def write(self, package: Package, report: DocumentReport, library: ClauseLibrary,
              values: dict[str, str]) -> tuple[WrittenCopy, ...]:
        """Write the copies asked for of one checked draft (from its opened ``package``); return them."""
        outputs = self.outputs.get(report.path, {})
        written = []
        if ANNOTATED in outputs:
            notes = review_notes(report, library, values, self._order(report, library))
            write_copy(package, outputs[ANNOTATED], self.reviewer, notes=notes, force=self.force)
            written.append(WrittenCopy(report.path, ANNOTATED, str(outputs[ANNOTATED]), len(notes)))
        if RESTORED in outputs:
            changes, additions = restorations(report, library, values, self._order(report, library))
            write_copy(package, outputs[RESTORED], self.reviewer, restorations=changes, additions=additions,
                       force=self.force)
            written.append(WrittenCopy(report.path, RESTORED, str(outputs[RESTORED]), len(changes) + len(additions)))
        return tuple(written)

    def _order(self, report: DocumentReport, library: ClauseLibrary) -> tuple[str, ...]:
        from osa_agreements.checking.engine import note_kind

        kind = note_kind((r.id for r in report.clauses if r.status != MISSING), library)
        return self.orders.get(kind, ())


def plan_review(request: ReviewRequest, drafts: list[Path]) -> ReviewPlan:
    """Return where each draft's copies go, having refused before any work every output that cannot be written.

    With one draft to check, each output names a file (or an existing folder);
    with several, a folder (made if missing) receiving ``DRAFT-annotated.docx`` and
    ``DRAFT-restored.docx`` for each draft that does not pass.
    """
    reviewer = _reviewer(request)
    single = len(drafts) == 1
    outputs: dict[str, dict[str, Path]] = {str(d): {} for d in drafts}
    for kind, target in ((ANNOTATED, request.annotate), (RESTORED, request.restore)):
        if target is None:
            continue
        option = f"--{'annotate' if kind == ANNOTATED else 'restore'}"
        in_folder = not single or Path(target).is_dir()
        places = _folder_places(target, drafts, kind, option) if in_folder else _single_place(target, drafts, option)
        for draft, path in places.items():
            outputs[draft][kind] = path
    _refuse_clashes(outputs, drafts, request.force)
    return ReviewPlan(outputs, reviewer, request.force, _template_orders())


def _reviewer(request: ReviewRequest) -> Reviewer:
    author = request.author or os.environ.get(AUTHOR_VARIABLE, "")
    if not author.strip():
        raise OutputError(f"--annotate and --restore sign their comments and changes: give --author NAME "
                          f"or set {AUTHOR_VARIABLE}")
    signer = Reviewer.now(author, request.initials or os.environ.get(INITIALS_VARIABLE) or None)
    return replace(signer, date="")  # dated when each copy is written


def _single_place(target: Path, drafts: list[Path], option: str) -> dict[str, Path]:
    if target.suffix.lower() != COPY_SUFFIX:
        raise OutputError(f"{target}: {option} writes a Word document; give a name ending in .docx")
    _make_folder(target.parent if str(target.parent) else Path("."))
    return {str(drafts[0]): target}


def _folder_places(target: Path, drafts: list[Path], kind: str, option: str) -> dict[str, Path]:
    if target.suffix.lower() == COPY_SUFFIX and not target.is_dir():
        raise OutputError(f"{target}: with several drafts {option} names a folder, which receives one copy per "
                          "draft that does not pass; give a folder name")
    _make_folder(target)
    places, taken = {}, set()
    for draft in drafts:
        stem = draft.stem if draft.stem not in taken else f"{draft.parent.name}-{draft.stem}"
        taken.add(stem)
        places[str(draft)] = target / f"{stem}-{kind}{COPY_SUFFIX}"
    return places


def _make_folder(folder: Path) -> None:
    refuse_file_as_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder: {exc.strerror or exc}") from exc


def _refuse_clashes(outputs: dict[str, dict[str, Path]], drafts: list[Path], force: bool) -> None:
    """Refuse a copy that would replace a draft, another copy, or (without ``force``) an existing file."""
    inputs = {d.resolve() for d in drafts}
    seen: set[Path] = set()
    for places in outputs.values():
        for path in places.values():
            resolved = path.resolve()
            if resolved in inputs:
                raise OutputError(f"{path}: is a draft being checked; give another name for the copy")
            if resolved in seen:
                raise OutputError(f"{path}: two copies would have this name; give --annotate and --restore "
                                  "different places")
            seen.add(resolved)
            refuse_existing(path, force)


def _template_orders() -> dict[str, tuple[str, ...]]:
    """Return, by Note kind, the clause ids in the order the first template of that kind holds them."""
    from osa_agreements.drafting.templates import load_catalog
    from osa_agreements.ooxml.template_xml import read_template

    orders: dict[str, tuple[str, ...]] = {}
    for template in load_catalog():
        if template.document not in orders:
            orders[template.document] = read_template(template.path, numbering=False).clause_controls
    return orders


# -- what the copies say ---------------------------------------------------------------


def review_notes(report: DocumentReport, library: ClauseLibrary, values: dict[str, str],
                 order: tuple[str, ...] = ()) -> list[Note]:
    """Return the comments of an annotated copy: one per material finding, one per missing clause."""
    if report.verdict == "error":
        raise InputFileError(f"{report.path}: cannot annotate a draft that could not be read")
    notes = []
    for result in report.clauses:
        clause = library[result.id]
        agreed = agreed_text(clause, result.variant, values)
        if result.status == MISSING:
            anchor = _insertion_place(result.id, report, order)
            place = (MAIN_PART, anchor[0], anchor[0]) if anchor[0] else (None, None, None)
            notes.append(Note(*place, remarks.missing_comment(result, clause, agreed)))
        elif result.status != PRESENT:
            notes += [_finding_note(result, clause, finding, agreed) for finding in result.findings
                      if finding.material and finding.kind not in remarks.ELSEWHERE]
    return notes + agreement_notes(report, library)


def agreement_notes(report: DocumentReport, library: ClauseLibrary) -> list[Note]:
    """Return one comment per paragraph that takes away from a mandatory clause or is added text
    (when the check reports them: ``overrides``, ``added``), anchored on its first overriding sentence."""
    paragraphs: dict[tuple, dict] = {}
    for override in getattr(report, "overrides", ()):
        entry = paragraphs.setdefault(_paragraph_key(override.location), {"where": override.location, "added": False,
                                                                           "overrides": []})
        entry["overrides"].append(override)
    for added in getattr(report, "added", ()):
        entry = paragraphs.setdefault(_paragraph_key(added.location), {"where": added.location, "overrides": []})
        entry["added"] = True
    notes = []
    for entry in paragraphs.values():
        where, overrides = entry["where"], entry["overrides"]
        text = remarks.paragraph_comment(where, entry["added"], [(o, library.clauses.get(o.clause)) for o in overrides])
        notes.append(Note(where.part, where.paragraph, where.last_paragraph, text, begin=where.begin,
                          finish=where.finish, quote=overrides[0].sentence if overrides else None))
    return notes


def _paragraph_key(location) -> tuple:
    return location.part, location.paragraph


def added_deletions(report: DocumentReport, library: ClauseLibrary) -> list[Restoration]:
    """Return the tracked deletions of each paragraph of added text (not in the agreed text), with a comment."""
    deletions = []
    for added in getattr(report, "added", ()):
        where = added.location
        titles = [library[c].title for c in added.overrides if c in library.clauses]
        deletions.append(Restoration(where.part, where.paragraph, where.last_paragraph, where.begin, where.finish,
                                     "", remarks.deleted_reason(where, titles)))
    return deletions


def _finding_note(result: ClauseResult, clause: Clause, finding, agreed: str) -> Note:
    said = remarks.modified_comment(result, clause, finding, agreed)
    where = result.location
    return Note(where.part, where.paragraph, where.last_paragraph, said.change, begin=where.begin,
                finish=where.finish, quote=said.quote)


def restorations(report: DocumentReport, library: ClauseLibrary, values: dict[str, str],
                 order: tuple[str, ...]) -> tuple[list[Restoration], list[Addition]]:
    """Return the tracked changes putting back each mandatory clause that is missing or modified, and
    deleting the paragraphs of added text.

    A clause whose own words are the library's (what is wrong stands elsewhere: a
    differing copy, an overriding sentence) is left as it stands.
    """
    changes, additions = added_deletions(report, library), []
    for result in report.clauses:
        clause = library[result.id]
        if not result.mandatory or result.status == PRESENT:
            continue
        if result.status == MISSING:
            text = agreed_text(clause, None, values, report.path)
            anchor, after, model = _insertion_place(result.id, report, order)
            additions.append(Addition(anchor, after, model, text, remarks.inserted_reason(clause)))
        elif any(op.op != "equal" for op in result.diff):
            where = result.location
            text = agreed_text(clause, result.variant, values, report.path)
            changes.append(Restoration(where.part, where.paragraph, where.last_paragraph, where.begin,
                                       where.finish, text, remarks.restored_reason(result, clause)))
    return changes, additions


def agreed_text(clause: Clause, variant: str | None, values: dict[str, str], draft: str | None = None) -> str:
    """Return the clause's agreed wording with the draft's values, its sub-paragraphs on after it.

    A value the draft does not hold shows as ``[name]`` in a comment; a restored copy
    (``draft`` given) needs them all and says which is missing.
    """
    wording = clause.variant(variant)
    unknown = [name for name in wording.placeholders() if name not in values]
    if unknown and draft is not None:
        raise InputFileError(f"{draft}: cannot restore '{clause.id}': the draft holds no value for "
                             f"{', '.join(unknown)}; give the programme with --programme P.yaml")
    filled = {**{name: f"[{name}]" for name in unknown}, **values}
    return " ".join(" ".join(paragraph.split()) for paragraph in wording.render(filled))


def _insertion_place(clause_id: str, report: DocumentReport, order: tuple[str, ...]):
    """Return (anchor, after, model) for a missing clause: after the nearest earlier clause of the template's
    order found in the body, else before the nearest later one, else at the start (anchor None)."""
    places = {r.id: r.location for r in report.clauses
              if r.location is not None and r.location.part == MAIN_PART and r.location.container == "body"}
    position = order.index(clause_id) if clause_id in order else len(order)
    for earlier in reversed(order[:position]):
        if earlier in places:
            return places[earlier].last_paragraph, True, places[earlier].paragraph
    for later in order[position + 1:]:
        if later in places:
            return places[later].paragraph, False, places[later].paragraph
    return None, False, None
