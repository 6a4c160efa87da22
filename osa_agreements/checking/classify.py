"""Findings from compared words: what changed, and whether it weakens or changes the obligation.

Each check looks at the hunks (runs of changed pairs) or at the clause as a whole,
returns its findings and the hunks they explain; a hunk no material finding explains
becomes a non-material "words changed" finding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from osa_agreements.library.clauses import Clause
from osa_agreements.checking.align import DELETE, EQUAL, INSERT
from osa_agreements.checking.word_pairs import Pair, pairs_text
from osa_agreements.checking.finding_kinds import ESSENTIAL, MODAL, NEGATION, PARTY, PLACEHOLDER, QUALIFIER, WORDING
from osa_agreements.checking.lexicon import Lexicon
from osa_agreements.checking.results import Finding
from osa_agreements.checking.text import Stream, join_tokens, tokenise

SUBJECT_WORDS = 15
AFTER_CLAUSE = "qualifier added after the clause"
LEFT_OUT = "is left out"
"""How a finding on a placeholder value the draft does not hold at all says so."""
"""How a finding on the sentence after a clause begins (the obligation reader does not read that sentence)."""
_SUBJECT_STOPS = frozenset({",", ";", ":", ".", "(", ")"})
_CONJUNCTIONS = frozenset({"and", "or", "but"})


@dataclass(frozen=True)
class Hunk:
    """A run of changed pairs, ``start``..``stop`` (exclusive) in the pair list."""

    start: int
    stop: int


@dataclass(frozen=True)
class Context:
    """What the checks need besides the pairs: the clause, the lexicon, the stream, the reference for values."""

    clause: Clause
    lexicon: Lexicon
    stream: Stream
    reference: str


Checked = tuple[list[Finding], set[int]]


def classify(pairs: list[Pair], context: Context) -> list[Finding]:
    """Return the findings on one compared clause: material ones first, then the other word changes."""
    hunks = find_hunks(pairs)
    findings: list[Finding] = []
    explained: set[int] = set()
    for check in (_modal, _negation, _qualifier, _essential, _party, _placeholder):
        found, covered = check(pairs, hunks, context)
        findings += found
        explained |= covered
    findings += [_wording(pairs, hunk, context.stream) for i, hunk in enumerate(hunks) if i not in explained]
    return list(dict.fromkeys(findings))


def find_hunks(pairs: list[Pair]) -> list[Hunk]:
    """Return the maximal runs of pairs that are not equal."""
    hunks, start = [], None
    for index, pair in enumerate(pairs + [Pair(EQUAL)]):
        if pair.op != EQUAL and start is None:
            start = index
        elif pair.op == EQUAL and start is not None:
            hunks.append(Hunk(start, index))
            start = None
    return hunks


def _removed(pairs: list[Pair], hunk: Hunk) -> list[Pair]:
    return [p for p in pairs[hunk.start:hunk.stop] if p.op == DELETE]


def _added(pairs: list[Pair], hunk: Hunk) -> list[Pair]:
    return [p for p in pairs[hunk.start:hunk.stop] if p.op == INSERT]


def _doc_keys(pairs: Sequence[Pair], stream: Stream) -> list[str]:
    return [stream.keys[p.doc] for p in pairs if p.doc is not None]


def _term_keys(pairs: Sequence[Pair]) -> list[str]:
    return [p.term.key for p in pairs if p.term is not None]


def _hunks_between(hunks: list[Hunk], start: int, stop: int) -> set[int]:
    return {i for i, h in enumerate(hunks) if h.start < stop and h.stop > start}


# -- modal verbs --------------------------------------------------------------------------


def _modal(pairs: list[Pair], hunks: list[Hunk], context: Context) -> Checked:
    findings, covered = [], set()
    for index, hunk in enumerate(hunks):
        finding = _modal_in(pairs, hunk, context)
        if finding is not None:
            findings.append(finding)
            covered.add(index)
    return findings, covered


def _modal_in(pairs: list[Pair], hunk: Hunk, context: Context) -> Finding | None:
    removed, added = _removed(pairs, hunk), _added(pairs, hunk)
    strong = context.lexicon.strong_modals
    lost = [p.term.text for p in removed if p.term.key in strong]
    if len(lost) > sum(1 for k in _doc_keys(added, context.stream) if k in strong):
        word = lost[0]
        now = pairs_text(added, context.stream)
        return Finding(MODAL, f"'{word}' weakened to '{now}'" if now else f"'{word}' removed", True)
    softer = _new_phrases(_term_keys(removed), _doc_keys(added, context.stream), context.lexicon.weakeners)
    if softer:
        return Finding(MODAL, f"obligation weakened: '{' '.join(softer[0])}' added", True)
    return None


def _new_phrases(before: list[str], after: list[str], phrases) -> list[tuple[str, ...]]:
    """Return the phrases found more often in ``after`` than in ``before``."""
    extra = Counter(p for _, p in phrases.find(after)) - Counter(p for _, p in phrases.find(before))
    return sorted(extra)


# -- negations ----------------------------------------------------------------------------


def _negation(pairs: list[Pair], hunks: list[Hunk], context: Context) -> Checked:
    findings, covered = [], set()
    negations = context.lexicon.negations
    for index, hunk in enumerate(hunks):
        was = Counter(k for k in _term_keys(_removed(pairs, hunk)) if k in negations)
        now = Counter(k for k in _doc_keys(_added(pairs, hunk), context.stream) if k in negations)
        change = _change_text(pairs, hunk, context.stream)
        findings += [Finding(NEGATION, f"negation removed: '{w}' ({change})", True) for w in sorted(was - now)]
        findings += [Finding(NEGATION, f"negation added: '{w}' ({change})", True) for w in sorted(now - was)]
        if was != now:
            covered.add(index)
    return findings, covered


# -- limiting qualifiers ------------------------------------------------------------------


def _qualifier(pairs: list[Pair], hunks: list[Hunk], context: Context) -> Checked:
    """Return a finding for each qualifier the draft has more often than the library wording."""
    doc_pairs = [(i, p) for i, p in enumerate(pairs) if p.doc is not None]
    doc_keys = [context.stream.keys[p.doc] for _, p in doc_pairs]
    occurrences = context.lexicon.qualifiers.find(doc_keys)
    extra = Counter(p for _, p in occurrences) - Counter(
        p for _, p in context.lexicon.qualifiers.find(_term_keys(pairs)))
    findings, covered = [], set()
    for position, phrase in occurrences:
        if extra[phrase] <= 0:
            continue
        extra[phrase] -= 1
        indexes = [doc_pairs[position + i][0] for i in range(len(phrase))]
        inserted = [i for i in indexes if pairs[i].op == INSERT]
        quote = _inserted_run(pairs, inserted[0], context.stream) if inserted else context.stream.display(
            pairs[indexes[0]].doc, pairs[indexes[-1]].doc + 1)
        findings.append(Finding(QUALIFIER, f"qualifier added: '{quote}'", True))
        covered |= _hunks_between(hunks, indexes[0], indexes[-1] + 1)
    return findings, covered


def _inserted_run(pairs: list[Pair], index: int, stream: Stream) -> str:
    """Return the run of inserted words around pair ``index``, without punctuation at its ends."""
    start, stop = index, index + 1
    while start > 0 and pairs[start - 1].op == INSERT:
        start -= 1
    while stop < len(pairs) and pairs[stop].op == INSERT:
        stop += 1
    run = list(pairs[start:stop])
    while run and not stream.keys[run[0].doc][0].isalnum():
        run.pop(0)
    while run and not stream.keys[run[-1].doc][0].isalnum():
        run.pop()
    return pairs_text(run, stream)


def qualifiers_after(positions: list[int], context: Context) -> list[Finding]:
    """Return a material finding when the sentence right after the clause limits it."""
    keys = [context.stream.keys[p] for p in positions]
    if not positions or not context.lexicon.qualifiers.find(keys):
        return []
    sentence = context.stream.display(positions[0], positions[-1] + 1)
    return [Finding(QUALIFIER, f"{AFTER_CLAUSE}: '{sentence}'", True)]


# -- essential terms ----------------------------------------------------------------------


def _essential(pairs: list[Pair], hunks: list[Hunk], context: Context) -> Checked:
    term_keys = [p.term.key if p.term is not None else None for p in pairs]
    doc_keys = _doc_keys(pairs, context.stream)
    findings, covered = [], set()
    for essential in context.clause.essential_terms:
        phrase = [t.key for t in tokenise(essential, labels=False)]
        places = _occurrences(term_keys, phrase)
        if places and not _occurrences(doc_keys, phrase):
            findings.append(Finding(ESSENTIAL, f"essential term gone: '{essential}'", True))
            for start, stop in places:
                covered |= _hunks_between(hunks, start, stop)
    return findings, covered


def _occurrences(keys: Sequence[str | None], phrase: list[str]) -> list[tuple[int, int]]:
    """Return the [start, stop) index ranges where ``phrase`` occurs in ``keys``, skipping Nones."""
    indexed = [(i, k) for i, k in enumerate(keys) if k is not None]
    size = len(phrase)
    return [(indexed[s][0], indexed[s + size - 1][0] + 1) for s in range(len(indexed) - size + 1)
            if [k for _, k in indexed[s:s + size]] == phrase]


# -- the obliged party --------------------------------------------------------------------


def _party(pairs: list[Pair], hunks: list[Hunk], context: Context) -> Checked:
    """Return a finding for each modal verb whose subject (the obliged party) changed."""
    findings, covered = [], set()
    modal_words = context.lexicon.modal_words
    for index, pair in enumerate(pairs):
        if pair.term is None or pair.term.key not in modal_words:
            continue
        start = _subject_start(pairs, index)
        if start is None or not any(p.op == EQUAL for p in pairs[start:index + 1]):
            continue
        start = _with_leading_insertions(pairs, start, context.stream)
        subject = pairs[start:index]
        if _subject_words(subject, context, library=True) != _subject_words(subject, context, library=False):
            findings.append(_party_finding(pairs, start, index, context.stream))
            covered |= _hunks_between(hunks, start, index)
    return findings, covered


def _subject_start(pairs: list[Pair], modal: int) -> int | None:
    """Return the index of the first pair of the modal's subject in the library wording, None if it has none."""
    start, words = modal, 0
    for index in range(modal - 1, -1, -1):
        term = pairs[index].term
        if term is None:
            continue
        if term.key in _SUBJECT_STOPS or words == SUBJECT_WORDS:
            break
        start, words = index, words + 1
        if term.opener:
            break
    while start < modal and (pairs[start].term is None or pairs[start].term.key in _CONJUNCTIONS):
        start += 1
    return start if any(p.term is not None for p in pairs[start:modal]) else None


def _with_leading_insertions(pairs: list[Pair], start: int, stream: Stream) -> int:
    """Return ``start`` moved back over the words inserted right before the subject, up to a comma or the like."""
    while start > 0 and pairs[start - 1].op == INSERT and stream.keys[pairs[start - 1].doc] not in _SUBJECT_STOPS:
        start -= 1
    return start


def _subject_words(pairs: list[Pair], context: Context, library: bool) -> list[str]:
    """Return the words of the subject on one side, without punctuation, modal verbs and qualifiers."""
    keys = _term_keys([p for p in pairs if p.op != INSERT]) if library else _doc_keys(pairs, context.stream)
    lexicon = context.lexicon
    qualified = {p + i for p, phrase in lexicon.limiters.find(keys) for i in range(len(phrase))}
    return [k for i, k in enumerate(keys)
            if k[0].isalnum() and k not in lexicon.modal_words and i not in qualified]


def _party_finding(pairs: list[Pair], start: int, modal: int, stream: Stream) -> Finding:
    was = _library_text([p for p in pairs[start:modal + 1] if p.term is not None])
    doc = [p for p in pairs[start:modal] if p.doc is not None]
    following = next((p for p in pairs[modal:] if p.doc is not None), None)
    now = pairs_text(doc + ([following] if following else []), stream)
    return Finding(PARTY, f"obliged party changed: '{was}' is now '{now}'", True)


# -- placeholders -------------------------------------------------------------------------


def _placeholder(pairs: list[Pair], hunks: list[Hunk], context: Context) -> Checked:
    findings, covered = [], set()
    for name, start, stop in _value_groups(pairs):
        group = pairs[start:stop]
        if all(p.op == EQUAL for p in group):
            continue
        held = pairs_text([p for p in group if p.doc is not None], context.stream)
        wanted = _library_text([p for p in group if p.term is not None])
        state = f"holds '{held}'" if held else LEFT_OUT
        findings.append(Finding(PLACEHOLDER, f"placeholder {name} {state} where {context.reference} has '{wanted}'",
                                True))
        covered |= _hunks_between(hunks, start, stop)
    return findings, covered


def _value_groups(pairs: list[Pair]) -> list[tuple[str, int, int]]:
    """Return (name, start, stop) for each run of pairs that make up one placeholder value.

    A changed value also takes the insertions right before and after it.
    """
    groups: list[tuple[str, int, int]] = []
    for index, pair in enumerate(pairs):
        name = pair.term.placeholder if pair.term is not None else None
        if name is None:
            continue
        if groups and groups[-1][0] == name and all(p.term is None for p in pairs[groups[-1][2]:index]):
            groups[-1] = (name, groups[-1][1], index + 1)
        else:
            groups.append((name, index, index + 1))
    return [_with_adjacent_insertions(pairs, group) for group in groups]


def _with_adjacent_insertions(pairs: list[Pair], group: tuple[str, int, int]) -> tuple[str, int, int]:
    name, start, stop = group
    if all(p.op == EQUAL for p in pairs[start:stop]):
        return group
    while start > 0 and pairs[start - 1].op == INSERT:
        start -= 1
    while stop < len(pairs) and pairs[stop].op == INSERT:
        stop += 1
    return name, start, stop


# -- everything else ----------------------------------------------------------------------


def _wording(pairs: list[Pair], hunk: Hunk, stream: Stream) -> Finding:
    return Finding(WORDING, f"words changed: {_change_text(pairs, hunk, stream)}", False)


def _change_text(pairs: list[Pair], hunk: Hunk, stream: Stream) -> str:
    """Return "'was' → 'now'" for a hunk, with one unchanged word of context on each side."""
    before = pairs[hunk.start - 1:hunk.start] if hunk.start else []
    after = pairs[hunk.stop:hunk.stop + 1]
    window = before + pairs[hunk.start:hunk.stop] + after
    was = _library_text([p for p in window if p.term is not None])
    now = pairs_text([p for p in window if p.doc is not None], stream)
    return f"'{was}' → '{now}'"


def _library_text(pairs: list[Pair]) -> str:
    return join_tokens((p.term.text, p.term.spaced) for p in pairs)
