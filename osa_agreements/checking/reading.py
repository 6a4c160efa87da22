"""Obligations on top of the word comparison: each mandatory provision judged on what the draft obliges.

The word comparison still finds and locates the clauses; its verdict "present" (the
library's words) stands. For every other mandatory clause that describes its
obligations, the draft's candidate sentences are read (``obligations``) and the
provision decided (``decisions``): a provision stated in other words is modified
but not material, with an "equivalent wording" finding; a weakened one is modified
and material, one finding per element; a provision no sentence states stays missing;
a sentence that cannot be read leaves the words' verdict, with a finding saying so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Indel

from ..library import PLACEHOLDER, Clause, ClauseLibrary
from ..ooxml.records import DocumentText
from . import kinds
from .classify import AFTER_CLAUSE
from .decisions import Decision, Stated, decide
from .evidence import location_findings, tracked_findings
from .obligations import Definitions, Obligation, Reader, definitions_of, read_sentence
from .provisions import Provision, provision_of, provisions_reader
from .results import MODIFIED, PRESENT, ClauseResult, DiffOp, Finding, Location
from .sentences import Sentence, candidate_sentences, split_sentences
from .text import Stream, join_tokens, tokenise

STAND_INS = {"recipient.government": "Government of the recipient country",
             "recipient.organization": "armed forces of the recipient country",
             "recipient.country": "recipient country"}
"""What a placeholder reads as in the library's own wording when no programme is known."""
EXCERPT = 100


@dataclass(frozen=True)
class Reading:
    """What reading obligations needs, prepared once per run: the reader, the provisions, the library's reading."""

    reader: Reader
    provisions: Mapping[str, Provision]
    references: Mapping[str, dict[str, tuple[Obligation, ...]]]
    texts: Mapping[str, str]
    triggers: frozenset[str]


def prepare_reading(library: ClauseLibrary, values: dict[str, str] | None) -> Reading | None:
    """Return the reading of the library's mandatory clauses, None when none describes its obligations."""
    clauses = [c for c in library.mandatory() if c.obligations]
    if not clauses:
        return None
    reader = provisions_reader(library)
    provisions = {c.id: provision_of(c) for c in clauses}
    texts = {c.id: library_text(c, values) for c in clauses}
    references = {c.id: references_of(provisions[c.id], texts[c.id], reader) for c in clauses}
    triggers = frozenset(phrase[0] for phrase in reader.actions.phrases)
    return Reading(reader, provisions, references, texts, triggers)


def library_text(clause: Clause, values: dict[str, str] | None) -> str:
    """Return the clause's standard wording as one text, placeholders holding ``values`` or stand-ins."""
    known = {**STAND_INS, **(values or {})}
    return " ".join(PLACEHOLDER.sub(lambda m: known.get(m.group(1), "X"), p) for p in clause.wording.paragraphs)


def references_of(provision: Provision, text: str, reader: Reader) -> dict[str, tuple[Obligation, ...]]:
    """Return, by described name, the obligations the library's own wording states for each."""
    obligations = [o for start, end in split_sentences(text) for o in read_sentence(text[start:end], None, reader)]
    return {d.name: tuple(o for o in obligations if d.concerns(o)) for d in provision.obligations}


def reading_problems(library: ClauseLibrary) -> list[str]:
    """Return a problem for each described obligation the clause's own wording does not state."""
    reading = prepare_reading(library, None)
    if reading is None:
        return []
    problems = []
    for clause_id, provision in reading.provisions.items():
        clause = library[clause_id]
        for index, described in enumerate(provision.obligations):
            if not reading.references[clause_id][described.name]:
                problems.append(f"{clause.path}: obligations[{index}]: the clause's text does not state "
                                f"'{described.name}'{clause.at_line('obligations', index)}; make the description "
                                "match the text (actions, objects, context)")
    return problems


# -- deciding on the results of the word comparison -----------------------------------------


@dataclass(frozen=True)
class DraftReading:
    """One draft being reconsidered: its records, stream, candidate sentences and their obligations."""

    document: DocumentText
    sentences: tuple[Sentence, ...]
    stated: tuple[Stated, ...]


def read_draft(document: DocumentText, stream: Stream, reading: Reading, names: Sequence[str]) -> DraftReading:
    """Return the candidate sentences of the draft read into obligations, with the Note's own definitions."""
    sentences = tuple(candidate_sentences(document, stream, reading.triggers))
    definitions = definitions_of((b.accepted for b in document.blocks), reading.reader, names)
    stated = tuple(Stated(o, i) for i, s in enumerate(sentences) for o in _read(s.text, definitions, reading))
    return DraftReading(document, sentences, stated)


def _read(text: str, definitions: Definitions, reading: Reading) -> tuple[Obligation, ...]:
    return read_sentence(text, definitions, reading.reader)


def reconsider(results: Sequence[ClauseResult], document: DocumentText, stream: Stream, reading: Reading,
               names: Sequence[str]) -> tuple[ClauseResult, ...]:
    """Return the results with each mandatory clause that is not present decided on its obligations."""
    if all(r.status == PRESENT or r.id not in reading.provisions for r in results):
        return tuple(results)
    draft = read_draft(document, stream, reading, names)
    return tuple(r if r.status == PRESENT or r.id not in reading.provisions else _reconsidered(r, draft, reading)
                 for r in results)


def _reconsidered(result: ClauseResult, draft: DraftReading, reading: Reading) -> ClauseResult:
    """Return one clause's result decided on its obligations."""
    preferred = frozenset(i for i, s in enumerate(draft.sentences) if _within(s, result.location, draft.document))
    decision = decide(reading.provisions[result.id], reading.references[result.id], draft.stated, preferred)
    if not decision.found:
        return _unread(result, draft, preferred, reading) if result.status == MODIFIED else result
    if result.status == MODIFIED and decision.places and decision.places[0] in preferred:
        kept = [f for f in result.findings if f.kind not in kinds.OBLIGATION_KINDS or f.message.startswith(AFTER_CLAUSE)]
        return _with_findings(result, list(decision.findings) + kept)
    return _found_elsewhere(result, decision, draft, reading)


def _with_findings(result: ClauseResult, findings: list[Finding]) -> ClauseResult:
    ordered = tuple(dict.fromkeys(sorted(findings, key=lambda f: not f.material)))
    return replace(result, status=MODIFIED, material=any(f.material for f in ordered), findings=ordered)


def _unread(result: ClauseResult, draft: DraftReading, preferred: frozenset[int], reading: Reading) -> ClauseResult:
    """Return the words' verdict with a finding that the obligation could not be read in these words."""
    core = reading.provisions[result.id].obligations[0]
    read_here = any(s.place in preferred and s.obligation.actions[0] in core.actions for s in draft.stated)
    if read_here or preferred:
        message = (f"the obligation ({core.name}) could not be read in these words; the clause is judged on "
                   "its words alone")
    else:
        message = f"no sentence could be read as stating {core.name}; the clause is judged on its words alone"
    return replace(result, findings=result.findings + (Finding(kinds.NOT_READ, message, False),))


def _within(sentence: Sentence, where: Location | None, document: DocumentText) -> bool:
    """Return True when the sentence stands in the paragraphs of ``where``."""
    if where is None:
        return False
    return any(document.blocks[p].part == where.part and where.paragraph <= document.blocks[p].index
               <= where.last_paragraph for p in sentence.blocks)


def _found_elsewhere(result: ClauseResult, decision: Decision, draft: DraftReading, reading: Reading) -> ClauseResult:
    """Return the result for a provision stated by a sentence the word comparison did not find."""
    sentence = draft.sentences[decision.places[0]]
    where = sentence_location(draft.document, sentence)
    revisions = tuple(r for p in sentence.blocks for r in draft.document.blocks[p].revisions)
    diff, similarity = word_diff(reading.texts[result.id], sentence.text)
    findings = list(decision.findings) + location_findings(where) + tracked_findings(revisions)
    return _with_findings(replace(result, location=where, diff=diff, similarity=similarity, variant=None,
                                  revisions=revisions), findings)


def sentence_location(document: DocumentText, sentence: Sentence) -> Location:
    """Return where a sentence stands: part, paragraph range, label, container and an excerpt."""
    first, last = document.blocks[sentence.blocks[0]], document.blocks[sentence.blocks[-1]]
    excerpt = " ".join(sentence.text.split())[:EXCERPT].rstrip()
    return Location(first.part, first.index, last.index, first.number, excerpt, first.container)


def word_diff(library: str, draft: str) -> tuple[tuple[DiffOp, ...], float]:
    """Return the word diff of the library's wording and the draft's sentence, and their similarity."""
    ours = [(t.text, t.spaced) for t in tokenise(library)]
    theirs = [(t.text, t.spaced) for t in tokenise(draft)]
    ops = []
    for op in Indel.opcodes([k for k, _ in ours], [k for k, _ in theirs]):
        if op.tag == "equal":
            ops.append(DiffOp("equal", join_tokens(theirs[op.dest_start:op.dest_end])))
            continue
        if op.src_end > op.src_start:
            ops.append(DiffOp("delete", join_tokens(ours[op.src_start:op.src_end])))
        if op.dest_end > op.dest_start:
            ops.append(DiffOp("insert", join_tokens(theirs[op.dest_start:op.dest_end])))
    return tuple(ops), Indel.normalized_similarity([k for k, _ in ours], [k for k, _ in theirs])

