"""The checking engine: for every library clause, present, modified or missing, with evidence.

normalise (text) -> locate (locate, align) -> compare -> classify, on plain records.

1. The accepted text of all blocks becomes one stream of words; parts are kept apart.
2. Every wording of every clause is looked for: exact occurrences first (linear, from
   the rarest shingle), then a small alignment in each candidate region.
3. Conflicts are resolved globally: exact matches claim their words first, then the
   others best first; a match whose words were claimed meanwhile is aligned again
   without them. Two clauses never share words.
4. Without a programme, each placeholder takes the value most clauses agree on; the
   matched words are compared with the wording holding the expected values.
5. Findings say what changed and whether it weakens or changes the obligation.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass

from osa_agreements.library.clauses import Clause, ClauseLibrary
from osa_agreements.ooxml.records import DocumentText, Revision
from osa_agreements.checking import finding_kinds as kinds
from osa_agreements.checking.locate import FOUND, Draft, Match, clause_hints, locate_clauses
from osa_agreements.checking.classify import Context, classify, qualifiers_after
from osa_agreements.checking.word_pairs import (Pair, Values, diff_ops, expand, is_unchanged, next_sentence, pairs_similarity,
                      sentence_extension, with_extension)
from osa_agreements.checking.expected_values import consensus, holds_expected, settled
from osa_agreements.checking.evidence import (MAIN_PART, Span, document_stream, location, location_findings, span_of, survivals,
                       touching_revisions, tracked_findings)
from osa_agreements.checking.lexicon import Lexicon, lexicon_path, load_lexicon
from osa_agreements.checking.candidates import ShingleTable, shingle_table
from osa_agreements.checking.agreement import Agreement, agreement_text, judge_agreement
from osa_agreements.checking.frame import Frame, template_frame
from osa_agreements.checking.overrides import OverrideWords, load_override_words, overrides_path
from osa_agreements.checking.pattern import Pattern, clause_patterns
from osa_agreements.checking.reading import Reading, prepare_reading, reconsider
from osa_agreements.checking.results import MISSING, MODIFIED, PRESENT, AgreementReview, ClauseResult, Finding

PLACES_SHOWN = 5


@dataclass(frozen=True)
class Checker:
    """What checking needs besides the draft, prepared once for any number of drafts.

    ``values`` are the programme's placeholder values; None means no programme is
    known, so a placeholder matches any value the document holds consistently.
    ``reading`` reads the obligations of the mandatory clauses that are not present.
    """

    library: ClauseLibrary
    values: dict[str, str] | None
    lexicon: Lexicon
    clauses: tuple[Clause, ...]
    patterns: tuple[Pattern, ...]
    shingles: ShingleTable
    words: OverrideWords
    frame: Frame
    reading: Reading | None = None

    def check(self, document: DocumentText) -> tuple[ClauseResult, ...]:
        """Return one verdict per library clause, mandatory clauses first, then the others by id."""
        return self.review(document).clauses

    def review(self, document: DocumentText) -> AgreementReview:
        """Return the whole agreement judged: the clauses, added text, overrides, comments.

        Page headers and footers are not agreement text: no clause is found there, but
        an override standing there is reported.
        """
        text = agreement_text(document)
        stream = document_stream(text)
        draft = Draft(text, stream, self.lexicon, clause_hints(text))
        found, closest, claimed = locate_clauses(draft, self.patterns, self.shingles)
        expected = consensus(found, stream)
        reference = "the programme" if self.values is not None else "the rest of the document"
        kind = note_kind(found, self.library)
        lost = survivals({c.id: [p for p in self.patterns if p.clause is c] for c in self.clauses
                          if c.id not in found and kind in c.documents}, document, self.lexicon, FOUND)
        results = tuple(
            judge(clause, found[clause.id], draft, expected, reference, claimed) if clause.id in found
            else missing(clause, closest.get(clause.id, 0.0), *lost.get(clause.id, ([], ())))
            for clause in self.clauses
        )
        names = recipient_names(self.values, expected)
        if self.reading is not None:
            provided = (self.values or {}).get("programme.provided") or " ".join(
                t.text for t in expected.get("programme.provided", ())) or None
            results = reconsider(results, text, stream, self.reading, names, provided)
        return judge_agreement(Agreement(document, text.blocks, stream, sorted(claimed), results,
                                         _clause_blocks(found, stream), self.library, self.words, self.frame,
                                         self.values, self.reading, names))


def _clause_blocks(found: dict[str, list[Match]], stream) -> dict[int, tuple[str, ...]]:
    """Return, by block position, the ids of the clauses with a counterpart (or a copy) in that paragraph."""
    placed: dict[int, list[str]] = {}
    for clause_id, matches in found.items():
        for match in matches:
            first, last = stream.sources[match.alignment.start], stream.sources[match.alignment.end - 1]
            for position in range(first, last + 1):
                placed.setdefault(position, []).append(clause_id)
    return {position: tuple(ids) for position, ids in placed.items()}


def note_kind(found: Iterable[str], library: ClauseLibrary) -> str:
    """Return ``reply`` when a clause that only a reply Note carries is among ``found`` ids, else ``note``.

    Survivals of missing clauses are looked for only in the clauses of the draft's kind.
    """
    return "reply" if any("note" not in library[clause_id].documents for clause_id in found) else "note"


def prepare(library: ClauseLibrary, values: dict[str, str] | None = None, *,
            lexicon: Lexicon | None = None) -> Checker:
    """Return the Checker for ``library`` and ``values``; ``lexicon`` defaults to the library's lexicon.yaml."""
    clauses = clause_order(library)
    patterns = tuple(p for clause in clauses for p in clause_patterns(clause, values))
    return Checker(library, values, lexicon or load_lexicon(lexicon_path(library)), clauses, patterns,
                   shingle_table(patterns), load_override_words(overrides_path(library)), note_frame(),
                   prepare_reading(library, values))


def note_frame() -> Frame:
    """Return the frame of the shipped Word templates (the lines of a Note that are not clauses)."""
    from osa_agreements.drafting.templates import load_catalog

    return template_frame(t.path for t in load_catalog())


def recipient_names(values: dict[str, str] | None, expected: Values) -> tuple[str, ...]:
    """Return the names the draft gives the recipient: the programme's, else the value most clauses hold.

    "Government of the Republic of the Philippines" also gives "Republic of the Philippines"
    and "Philippines".
    """
    government = (values or {}).get("recipient.government") or " ".join(
        t.text for t in expected.get("recipient.government", ()))
    names = [government, (values or {}).get("recipient.country", "")]
    if " of " in government:
        country = government.split(" of ", 1)[1].removeprefix("the ")
        names += [country, country.split(" of ")[-1].removeprefix("the ")]
    return tuple(dict.fromkeys(n for n in names if n))


def check_text(document: DocumentText, library: ClauseLibrary, values: dict[str, str] | None = None, *,
               lexicon: Lexicon | None = None) -> tuple[ClauseResult, ...]:
    """Return one verdict per library clause of ``document``: ``prepare(...).check(document)``."""
    return prepare(library, values, lexicon=lexicon).check(document)


def clause_order(library: ClauseLibrary) -> tuple[Clause, ...]:
    """Return the mandatory clauses in their fixed order, then the other clauses sorted by id."""
    mandatory = library.mandatory()
    ids = {c.id for c in mandatory}
    return mandatory + tuple(sorted((c for c in library.clauses.values() if c.id not in ids), key=lambda c: c.id))


@dataclass(frozen=True)
class Compared:
    """One counterpart compared with the library: word pairs (empty when identical), findings, span."""

    match: Match
    pairs: list[Pair]
    findings: list[Finding]
    span: Span

    @property
    def same_words(self) -> bool:
        """Return True when the words are the library's."""
        return is_unchanged(self.pairs)

    @property
    def unchanged(self) -> bool:
        """Return True when the words are the library's and nothing material was found."""
        return self.same_words and not any(f.material for f in self.findings)

    @property
    def similarity(self) -> float:
        """Return the similarity of the compared words (1.0 when identical)."""
        return pairs_similarity(self.pairs) if self.pairs else 1.0


def judge(clause: Clause, matches: list[Match], draft: Draft, expected: Values, reference: str,
          claimed: Container[int]) -> ClauseResult:
    """Return the verdict on a clause that has at least one counterpart."""
    primary, *copies = sorted(matches, key=lambda m: _preference(m, draft))
    compared = compare(primary, draft, expected, reference, claimed)
    where = location(draft.document, compared.span)
    revisions = touching_revisions(draft.document, compared.span)
    findings = (compared.findings + _copy_findings(compared, copies, draft, expected, reference, claimed)
                + location_findings(where) + tracked_findings(revisions))
    material = any(f.material for f in findings)
    status = PRESENT if compared.same_words and not material else MODIFIED
    return ClauseResult(clause.id, clause.title, clause.mandatory, status, material, tuple(findings), where,
                        diff_ops(compared.pairs, draft.stream) if status == MODIFIED else (),
                        compared.match.pattern.variant, compared.similarity, revisions)


def _preference(match: Match, draft: Draft) -> tuple:
    """Return a sort key: exact before aligned, main text before other parts, tagged first, closest first."""
    block_position = draft.stream.sources[match.alignment.start]
    block = draft.document.blocks[block_position]
    hinted = block_position in draft.hints.get(match.pattern.clause.id, ())
    return (not match.alignment.exact, block.part != MAIN_PART, not hinted, -match.alignment.similarity,
            match.alignment.start)


def compare(match: Match, draft: Draft, expected: Values, reference: str, claimed: Container[int]) -> Compared:
    """Return the counterpart compared with its wording (holding the expected values), with findings."""
    if _identical(match, draft, expected, claimed):
        return Compared(match, [], [], span_of(draft.stream, match.alignment.start, match.alignment.end))
    match = settled(match, draft, expected, claimed)
    stream, alignment = draft.stream, match.alignment
    before, after = sentence_extension(alignment, stream, claimed)
    pairs = with_extension(expand(match.pattern.terms, alignment, stream, expected), before, after)
    span = span_of(stream, before[0] if before else alignment.start, after[-1] + 1 if after else alignment.end)
    context = Context(match.pattern.clause, draft.lexicon, stream, reference)
    findings = classify(pairs, context) + qualifiers_after(next_sentence(span.end, stream, claimed), context)
    return Compared(match, pairs, findings, span)


def _copy_findings(primary: Compared, copies: list[Match], draft: Draft, expected: Values, reference: str,
                   claimed: Container[int]) -> list[Finding]:
    """Return a finding on the other counterparts: how often the clause appears, and copies that differ."""
    same_words = [_identical(m, draft, expected, claimed) for m in copies]
    identical = [m for m, same in zip(copies, same_words) if same]
    others = [compare(m, draft, expected, reference, claimed) for m, same in zip(copies, same_words) if not same]
    same = ([primary.span.start] if primary.unchanged else []) + [m.alignment.start for m in identical] + [
        c.span.start for c in others if c.unchanged]
    findings = []
    # A reply Note repeats its complimentary close; only a mandatory clause's repetition is news.
    if len(same) > 1 and primary.match.pattern.clause.mandatory:
        findings.append(Finding(kinds.DUPLICATE, f"appears {len(same)} times ({_places(same, draft)})", False))
    for other in (c for c in others if not c.unchanged):
        material = [f for f in other.findings if f.material]
        detail = f": {material[0].message}" if material else ""
        where = _place(other.span.start, draft)
        findings.append(Finding(kinds.DUPLICATE, f"a differing copy stands at {where} (similarity "
                                                f"{other.similarity:.2f}){detail}", bool(material)))
    return findings


def _identical(match: Match, draft: Draft, expected: Values, claimed: Container[int]) -> bool:
    """Return True, cheaply, when a copy has the library's words, holds the expected values and is not limited."""
    alignment, stream = match.alignment, draft.stream
    if not alignment.exact or not holds_expected(match, stream, expected):
        return False
    if sentence_extension(alignment, stream, claimed) != ([], []):
        return False
    following = [stream.keys[p] for p in next_sentence(alignment.end, stream, claimed)]
    return not draft.lexicon.qualifiers.find(following)


def _places(starts: list[int], draft: Draft) -> str:
    """Return where the counterparts starting at ``starts`` stand, the first few of them."""
    shown = [_place(start, draft) for start in sorted(starts)[:PLACES_SHOWN]]
    more = len(starts) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _place(start: int, draft: Draft) -> str:
    block = draft.document.blocks[draft.stream.sources[start]]
    return f"{block.part} paragraph {block.index}"


def missing(clause: Clause, closest: float, survived: list[Finding], revisions: tuple[Revision, ...]) -> ClauseResult:
    """Return the verdict on a clause with no counterpart, with where its text survives, if anywhere."""
    what = "mandatory clause" if clause.mandatory else "clause"
    closeness = f" (closest similarity {closest:.2f})" if closest else ""
    findings = [Finding(kinds.MISSING, f"{what} has no counterpart in the agreement text{closeness}",
                        clause.mandatory)] + survived
    return ClauseResult(clause.id, clause.title, clause.mandatory, MISSING, clause.mandatory, tuple(findings),
                        None, (), None, closest, revisions)
