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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Indel

from osa_agreements.errors import LibraryError
from osa_agreements.library.clauses import PLACEHOLDER, Clause, ClauseLibrary
from osa_agreements.programme import PLACEHOLDER_CHOICES
from osa_agreements.ooxml.records import DocumentText
from osa_agreements.checking import finding_kinds as kinds
from osa_agreements.checking.classify import AFTER_CLAUSE, LEFT_OUT
from osa_agreements.checking.decisions import Decision, Stated, decide
from osa_agreements.checking.evidence import location_findings, tracked_findings
from osa_agreements.checking.obligations import Definitions, Obligation, Reader, definitions_of, read_sentence
from osa_agreements.checking.provisions import Provision, provision_of, provisions_reader
from osa_agreements.checking.results import MISSING, MODIFIED, PRESENT, ClauseResult, DiffOp, Finding, Location
from osa_agreements.checking.sentences import Sentence, passage_of, passage_sentences
from osa_agreements.checking.text import Stream, join_tokens, tokenise

STAND_INS = {"recipient.government": "Government of the recipient country",
             "recipient.organization": "armed forces of the recipient country",
             "recipient.country": "recipient country", "recipient.state": "recipient country",
             "programme.provided": "the Products"}
"""What a placeholder reads as in the library's own wording when no programme is known."""
EXCERPT = 100
PROVIDED = "programme.provided"
_ROUGH_SENTENCE = re.compile(r"(?<=[.;])\s+")
_DETERMINERS = frozenset({"such", "these", "those", "its"})
_LIBRARY_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-Z])")


@dataclass(frozen=True)
class Reading:
    """What reading obligations needs, prepared once per run: the reader, the provisions, the library's reading."""

    reader: Reader
    provisions: Mapping[str, Provision]
    references: Mapping[str, Mapping[str, dict[str, tuple[Obligation, ...]]]]
    texts: Mapping[str, str]
    sieves: Mapping[str, tuple[Sieve, ...]]

    def references_for(self, provided: str | None) -> Mapping[str, dict[str, tuple[Obligation, ...]]]:
        """Return the library's obligations by clause and described name, read with ``provided`` as what the
        programme provides (the Products, or the Products and the Facilities); the first reading for None."""
        return self.references.get(provided or "", next(iter(self.references.values())))


def prepare_reading(library: ClauseLibrary, values: dict[str, str] | None) -> Reading | None:
    """Return the reading of the library's mandatory clauses, None when none describes its obligations."""
    clauses = [c for c in library.mandatory() if c.obligations]
    if not clauses:
        return None
    reader = provisions_reader(library)
    provisions = {c.id: provision_of(c) for c in clauses}
    texts = {c.id: library_text(c, values) for c in clauses}
    choices = [values[PROVIDED]] if values and PROVIDED in values else list(PLACEHOLDER_CHOICES[PROVIDED])
    references = {choice: {c.id: references_of(provisions[c.id], library_text(c, {**(values or {}), PROVIDED: choice}),
                                               reader) for c in clauses} for choice in choices}
    sieves = {cid: sieves_of(provision, reader) for cid, provision in provisions.items()}
    return Reading(reader, provisions, references, texts, sieves)


def library_text(clause: Clause, values: dict[str, str] | None) -> str:
    """Return the clause's standard wording as one text, placeholders holding ``values`` or stand-ins."""
    known = {**STAND_INS, **(values or {})}
    return " ".join(PLACEHOLDER.sub(lambda m: known.get(m.group(1), "X"), p) for p in clause.wording.paragraphs)


def references_of(provision: Provision, text: str, reader: Reader) -> dict[str, tuple[Obligation, ...]]:
    """Return, by described name, the obligations the library's own wording states for each.

    The library's sentences end with a full stop before a capital: no sentence splitter is needed.
    """
    obligations = [o for sentence in _LIBRARY_SENTENCE.split(text) for o in read_sentence(sentence, None, reader)]
    return {d.name: tuple(o for o in obligations if d.concerns(o)) for d in provision.obligations}


def reading_problems(library: ClauseLibrary) -> list[str]:
    """Return the problems of the obligation lexicon, and one for each described obligation the clause's own
    wording does not state."""
    try:
        reading = prepare_reading(library, None)
    except LibraryError as exc:
        return exc.lines()
    if reading is None:
        return []
    problems = []
    for clause_id, provision in reading.provisions.items():
        clause = library[clause_id]
        for index, described in enumerate(provision.obligations):
            if not reading.references_for(None)[clause_id][described.name]:
                problems.append(f"{clause.path}: obligations[{index}]: the clause's text does not state "
                                f"'{described.name}'{clause.at_line('obligations', index)}; make the description "
                                "match the text (actions, objects, context)")
    return problems


# -- deciding on the results of the word comparison -----------------------------------------


@dataclass(frozen=True)
class Sieve:
    """Words a paragraph must hold to be worth reading for a described obligation (first words of phrases).

    ``objects`` and ``context`` are None when any object or context will do; every set of
    ``defining`` must meet the paragraph's words.
    """

    actions: frozenset[str]
    objects: frozenset[str] | None
    context: frozenset[str] | None
    defining: tuple[frozenset[str], ...]
    concepts: frozenset[str] = frozenset()

    def passes(self, keys: frozenset[str], defined: Mapping[str, frozenset[str]]) -> bool:
        """Return True when ``keys`` (a paragraph's words) may state the obligation; ``defined``: the first words
        of the Note's defined terms, by the concept each names."""
        if self.actions.isdisjoint(keys) or any(d.isdisjoint(keys) for d in self.defining):
            return False
        if self.context is not None and self.context.isdisjoint(keys):
            return False
        if self.objects is None or not self.objects.isdisjoint(keys):
            return True
        return any(not defined.get(concept, frozenset()).isdisjoint(keys) for concept in self.concepts)


def sieves_of(provision: Provision, reader: Reader) -> tuple[Sieve, ...]:
    """Return a sieve per described obligation of the provision."""
    vocabulary = reader.vocabulary
    pronouns = vocabulary.pronouns - _DETERMINERS  # "them", "their re-export": what a sentence may refer to
    sieves = []
    for described in provision.obligations:
        actions = frozenset(p[0] for p, lemma in reader.lemmas.items() if lemma in described.actions) | frozenset(
            form for form, particles in reader.split.items() if set(particles.values()) & described.actions)
        objects = None if "any" in described.objects else frozenset(
            p[0] for p, concept in vocabulary.objects.labels.items() if concept in described.objects) | pronouns
        context = frozenset(p[0] for p in described.context.phrases) if described.context else None
        names = dict.fromkeys(e.name for e in described.elements if e.defining)
        defining = tuple(frozenset(p[0] for e in described.elements if e.defining and e.name == name
                                   for p in e.expressions.phrases + e.narrower.phrases) for name in names)
        sieves.append(Sieve(actions, objects, context, defining, frozenset(described.objects)))
    return tuple(sieves)


class DraftPages:
    """The sentences of one draft, read on demand, each read once; ``places`` number them for the decisions."""

    def __init__(self, document: DocumentText, stream: Stream, reading: Reading, names: Sequence[str]):
        self.document, self.stream, self.reading, self.names = document, stream, reading, tuple(names)
        self.sentences: list[Sentence] = []
        self._places: dict[tuple, int] = {}
        self._read: dict[int, tuple[Stated, ...]] = {}
        self._definitions: Definitions | None = None
        self._keys: list[frozenset[str]] | None = None

    @property
    def definitions(self) -> Definitions:
        """Return the Note's own defined terms (read once, when first needed)."""
        if self._definitions is None:
            self._definitions = definitions_of((b.accepted for b in self.document.blocks), self.reading.reader,
                                               self.names)
        return self._definitions

    def located(self, where: Location | None) -> list[int]:
        """Return the places of the sentences of the paragraphs ``where`` names."""
        if where is None:
            return []
        blocks = [p for p, b in enumerate(self.document.blocks) if b.part == where.part
                  and where.paragraph <= b.index <= where.last_paragraph]
        return self._places_of(blocks)

    def candidates(self, sieves: Sequence[Sieve]) -> list[int]:
        """Return the places of the sentences of every paragraph with a sentence that passes one of ``sieves``.

        The paragraph's words are sifted first, then the words of each of its sentences
        (roughly split: the sentences are split properly only where they will be read).
        """
        defined: dict[str, frozenset[str]] = {}
        for term, concept in self.definitions.terms.items():
            defined[concept] = defined.get(concept, frozenset()) | {term[0]}
        keys = self._paragraph_keys()
        wanted = [p for p, k in enumerate(keys) if any(s.passes(k, defined) for s in sieves)
                  and self._a_sentence_passes(p, sieves, defined)]
        return [place for place in self._places_of(wanted)
                if _sifted(self.sentences[place].text, sieves, defined)]

    def _a_sentence_passes(self, position: int, sieves: Sequence[Sieve], defined: Mapping[str, frozenset[str]]) -> bool:
        return any(_sifted(rough, sieves, defined) for rough in _ROUGH_SENTENCE.split(self.document.blocks[position].accepted))

    def stated(self, places: Sequence[int]) -> list[Stated]:
        """Return the obligations the sentences at ``places`` state."""
        for place in places:
            if place not in self._read:
                obligations = read_sentence(self.sentences[place].text, self.definitions, self.reading.reader)
                self._read[place] = tuple(Stated(o, place) for o in obligations)
        return [s for place in places for s in self._read[place]]

    def _paragraph_keys(self) -> list[frozenset[str]]:
        if self._keys is None:
            keys = self.stream.keys
            self._keys = [frozenset(keys[start:end]) for start, end in self.stream.spans]
        return self._keys

    def _places_of(self, blocks: Sequence[int]) -> list[int]:
        places: list[int] = []
        for first, last in dict.fromkeys(passage_of(self.document.blocks, p) for p in blocks):
            for sentence in passage_sentences(self.document.blocks, first, last):
                key = (sentence.blocks, sentence.text)
                if key not in self._places:
                    self._places[key] = len(self.sentences)
                    self.sentences.append(sentence)
                places.append(self._places[key])
        return list(dict.fromkeys(places))


def _sifted(text: str, sieves: Sequence[Sieve], defined: Mapping[str, frozenset[str]]) -> bool:
    """Return True when the words of ``text`` pass one of ``sieves``."""
    keys = frozenset(t.key for t in tokenise(text))
    return any(s.passes(keys, defined) for s in sieves)


def reconsider(results: Sequence[ClauseResult], document: DocumentText, stream: Stream, reading: Reading,
               names: Sequence[str], provided: str | None = None) -> tuple[ClauseResult, ...]:
    """Return the results with each mandatory clause that is not present decided on its obligations.

    ``names`` are the recipient's names, ``provided`` what the programme provides (as the draft says it).
    """
    if all(r.status == PRESENT or r.id not in reading.provisions for r in results):
        return tuple(results)
    pages = DraftPages(document, stream, reading, names)
    references = reading.references_for(provided)
    return tuple(r if r.status == PRESENT or r.id not in reading.provisions
                 else _reconsidered(r, pages, reading, references[r.id]) for r in results)


def _reconsidered(result: ClauseResult, pages: DraftPages, reading: Reading,
                  references: dict[str, tuple[Obligation, ...]]) -> ClauseResult:
    """Return one clause's result decided on its obligations.

    The sentences where the clause's words stand are read first; the other candidate
    sentences of the draft only when those do not state the provision in full force.
    """
    provision = reading.provisions[result.id]
    local = pages.located(result.location)
    preferred = frozenset(local)
    decision = decide(provision, references, pages.stated(local), preferred) if local else None
    if decision is None or not decision.found or decision.material:
        wider = list(dict.fromkeys(local + pages.candidates(reading.sieves[result.id])))
        decision = decide(provision, references, pages.stated(wider), preferred)
    if not decision.found:
        return _unread(result, pages, preferred, reading) if result.status == MODIFIED else result
    if result.status == MODIFIED and decision.places and decision.places[0] in preferred:
        return _with_findings(result, list(decision.findings) + [f for f in result.findings if _kept(f, reading.reader)])
    return _found_elsewhere(result, decision, pages, reading)


def _kept(finding: Finding, reader: Reader) -> bool:
    """Return True for a finding of the word comparison that the reading of the obligations does not replace.

    The reading replaces what the words say of force, negation, essential terms, the
    bound party and qualifiers in the clause, and of names left out or garbled (the
    bound party stands for them); it keeps a value of few choices (what the programme
    provides), other names, word changes, other values, places and
    revisions, and qualifiers in the sentence after the clause, which it does not read.
    """
    if finding.kind == kinds.PLACEHOLDER:
        name = finding.message.removeprefix("placeholder ").split(" ", 1)[0]
        return LEFT_OUT not in finding.message and (name in PLACEHOLDER_CHOICES or _a_name(finding, reader))
    return finding.kind not in kinds.OBLIGATION_KINDS or finding.message.startswith(AFTER_CLAUSE)


def _a_name(finding: Finding, reader: Reader) -> bool:
    """Return True when a placeholder finding quotes a name ("Government of the Republic of Korea").

    In a reworded sentence the words aligned with a placeholder may be anything ("be",
    "Products or any part of them"): words with no capital, or holding a verb, force
    word or object the reader knows, are no name, and the bound party stands for them.
    """
    held = finding.message.split("holds '", 1)[-1].split("' where", 1)[0]
    keys = [t.key for t in tokenise(held)]
    known = reader.actions.find(keys) or reader.vocabulary.markers.find(keys) or reader.vocabulary.objects.find(keys)
    return any(c.isupper() for c in held) and not known


def _with_findings(result: ClauseResult, findings: list[Finding]) -> ClauseResult:
    ordered = tuple(dict.fromkeys(sorted(findings, key=lambda f: not f.material)))
    return replace(result, status=MODIFIED, material=any(f.material for f in ordered), findings=ordered)


def _unread(result: ClauseResult, draft: DraftPages, preferred: frozenset[int], reading: Reading) -> ClauseResult:
    """Return the verdict on a clause whose words were found but whose obligation no sentence states.

    Where the words stand, a sentence holding the provision's action that could not be
    read keeps the words' verdict, with a finding saying so; where no such sentence
    stands, the words resemble the clause without stating it, and it is missing.
    """
    core = reading.provisions[result.id].obligations[0]
    if not any(_holds_action(draft.sentences[i].text, core.actions, reading) for i in preferred):
        return _missing(result, core.name)
    message = (f"the obligation ({core.name}) could not be read in these words; the clause is judged on its "
               "words alone")
    return replace(result, findings=result.findings + (Finding(kinds.NOT_READ, message, False),))


def _holds_action(text: str, actions: frozenset[str], reading: Reading) -> bool:
    keys = [t.key for t in tokenise(text)]
    return any(reading.reader.lemmas[phrase] in actions for _, phrase in reading.reader.actions.find(keys))


def _missing(result: ClauseResult, name: str) -> ClauseResult:
    """Return the clause missing: words resembling it stand in the draft, but no sentence states its obligation."""
    where = f"{result.location.part} paragraph {result.location.paragraph}" if result.location else "the draft"
    message = (f"mandatory clause has no counterpart in the agreement text: no sentence states {name} (the words "
               f"at {where} resemble the clause, similarity {result.similarity:.2f}, without stating it)")
    return ClauseResult(result.id, result.title, result.mandatory, MISSING, result.mandatory,
                        (Finding(kinds.MISSING, message, result.mandatory),), None, (), None, result.similarity, ())


def _found_elsewhere(result: ClauseResult, decision: Decision, draft: DraftPages, reading: Reading) -> ClauseResult:
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

