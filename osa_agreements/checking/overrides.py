"""Sentences that take away what a mandatory clause gives, wherever they stand in the agreement.

Three ways, each read from the words of ``clause_library/overrides.yaml``:

(a) a sentence points at a mandatory clause (by its displayed paragraph number, by
    position, or by its subject) with an overriding form ("Notwithstanding
    paragraph 9", "The provisions of paragraph 8 shall not apply");
(b) a sentence states a mandatory clause's action with less force, as a permission
    or with a limit ("may transfer the Products to ..."): see ``weaker_statement``;
(c) a sentence defines or narrows a term a mandatory clause depends on ("'third
    parties' shall not include ...").

The sentences read are those that belong to no library clause, and those of the
page headers and footers. Paragraph numbers are resolved through the numbers the
reader displays (``Block.number``), or a label typed at the start of the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from osa_agreements.errors import InputFileError, LibraryError
from osa_agreements.library.clauses import MANDATORY_IDS, ClauseLibrary, default_library_dir
from osa_agreements.ooxml.records import Block
from osa_agreements.files.json_schemas import schema_problems
from osa_agreements.files.yaml_files import load_yaml
from osa_agreements.checking import finding_kinds as kinds
from osa_agreements.checking.decisions import Stated, judge
from osa_agreements.checking.lexicon import Phrase, Phrases, phrases_of
from osa_agreements.checking.obligations import Definitions, definitions_of, read_sentence
from osa_agreements.checking.reading import Reading as ObligationReading
from osa_agreements.checking.text import Stream, tokenise

OVERRIDES_FILE = "overrides.yaml"
LESS_FORCE = frozenset({kinds.MODAL, kinds.NEGATION, kinds.CONDITION, kinds.TIME, kinds.QUALIFIER, kinds.CONSENT})
"""The obligation reader's findings that show an action stated with less force than the provision's."""
POINTER, WEAKER, DEFINITION = "pointer", "weaker-statement", "definition"
QUOTE_CHARS = 220
_TOP = re.compile(r"^\s*(\d{1,3})\.?\s*$")
_SUB = re.compile(r"^\s*\(?\s*([a-z]|[ivx]{1,6}|\d{1,3})\s*\)\s*$", re.IGNORECASE)
_TYPED = re.compile(r"^\s*(\d{1,3})\.\s")
_NUMBER = r"\d{1,3}(?: \( [a-z0-9]{1,4} \))*"
_CITED = re.compile(
    rf"\bsub - paragraphs? \( ([a-z0-9]{{1,4}}) \) of paragraph (\d{{1,3}})"
    rf"|\bsubparagraphs? \( ([a-z0-9]{{1,4}}) \) of paragraph (\d{{1,3}})"
    rf"|\b(?:paragraphs?|paras?) ({_NUMBER}(?: (?:, |and |or |to |, and |- ){_NUMBER})*)")
_COMMON = frozenset({"shall", "be", "not", "the", "of", "to", "in", "as", "is", "are", "no", "without", "have",
                     "has", "for", "that", "do", "does", "with", "by", "only", "any", "a", "an"})
"""Words too common to tell a sentence that may hold an override (never chosen as its anchor)."""
_ONE = re.compile(r"(\d{1,3})((?: \( [a-z0-9]{1,4} \))*)")


@dataclass(frozen=True)
class ClauseWords:
    """What one mandatory clause is about: its subjects, the words of its action, the terms it depends on."""

    id: str
    subjects: Phrases
    actions: Phrases
    terms: Phrases


@dataclass(frozen=True)
class OverrideWords:
    """The words of overrides.yaml as token phrases, and every word that can start one."""

    forms: Phrases
    preceding: Phrases
    following: Phrases
    permissions: Phrases
    limits: Phrases
    definitions: Phrases
    clauses: tuple[ClauseWords, ...]
    anchors: frozenset[str]
    """The longest word of each form, action and definition: a sentence without one cannot hold an override."""
    gate: re.Pattern
    """Matches the keys of a sentence (joined by spaces) that may hold an override: a form, an action, a definition."""

    def may_override(self, keys: Sequence[str]) -> bool:
        """Return False when ``keys`` cannot hold an override (a cheap test, before reading them)."""
        return not self.anchors.isdisjoint(keys) and self.gate.search(" ".join(keys)) is not None


@dataclass(frozen=True)
class Sentence:
    """One sentence of the agreement: the block it stands in, and stream positions ``start`` to ``stop``.

    ``block`` is a position in the agreement's blocks (page furniture follows them).
    """

    block: int
    start: int
    stop: int
    stream: Stream = field(compare=False, repr=False)
    plain: bool = False
    """True when the sentence was found unable to hold an override (``OverrideWords.may_override``)."""

    @property
    def keys(self) -> tuple[str, ...]:
        """Return the sentence's token keys."""
        return self.stream.keys[self.start:self.stop]

    @property
    def text(self) -> str:
        """Return the sentence as readable text."""
        return self.stream.display(self.start, self.stop)


@dataclass(frozen=True)
class Override:
    """A sentence found to take away from mandatory clause ``clause``: how (``kind``), and why (``reason``)."""

    clause: str
    kind: str
    sentence: Sentence
    reason: str


def overrides_path(library: ClauseLibrary) -> Path:
    """Return the library's overrides.yaml, or the shipped one when the library has none."""
    own = Path(library.path) / OVERRIDES_FILE
    return own if own.is_file() else default_library_dir() / OVERRIDES_FILE


def load_override_words(path: Path) -> OverrideWords:
    """Return the words of ``path``; raise LibraryError when the file breaks overrides.schema.json."""
    try:
        document = load_yaml(path, "overrides file")
    except InputFileError as exc:
        raise LibraryError(exc.message) from exc
    problems = schema_problems(document, "overrides.schema.json")
    if problems:
        raise LibraryError(f"{path}: invalid overrides file", tuple(problems))
    data = document.data
    lists = {key: _phrases(data[key]) for key in
             ("forms", "preceding", "following", "permissions", "limits", "definitions")}
    clauses = tuple(ClauseWords(cid, *(_phrases(words[k]) for k in ("subjects", "actions", "terms")))
                    for cid, words in data["clauses"].items())
    gated = [p for phrases in (lists["forms"], lists["definitions"], *(c.actions for c in clauses))
             for p in phrases.phrases]
    anchors = frozenset(max(p, key=lambda word: (word not in _COMMON, len(word))) for p in gated)
    return OverrideWords(**lists, clauses=clauses, anchors=anchors, gate=_any_of(gated))


def _any_of(phrases: Iterable[Phrase]) -> re.Pattern:
    """Return a pattern finding any of ``phrases`` as whole words in keys joined by spaces."""
    alternatives = sorted({" ".join(map(re.escape, p)) for p in phrases}, key=len, reverse=True)
    return re.compile(rf"(?<![^ ])(?:{'|'.join(alternatives)})(?![^ ])")


def override_problems(library: ClauseLibrary) -> list[str]:
    """Return one line per problem of the library's own overrides.yaml (none when it has no such file)."""
    path = Path(library.path) / OVERRIDES_FILE
    if not path.is_file():
        return []
    try:
        document = load_yaml(path, "overrides file")
    except InputFileError as exc:
        return [exc.message]
    problems = schema_problems(document, "overrides.schema.json")
    mandatory = set(MANDATORY_IDS)
    named = document.data.get("clauses") if not problems else {}
    return problems + [f"{path}: clauses.{cid}: not a mandatory clause; use one of: "
                       f"{', '.join(sorted(mandatory))}" for cid in named if cid not in mandatory]


def _phrases(values: Iterable[str]) -> Phrases:
    return phrases_of(tuple(t.key for t in tokenise(v, labels=False)) for v in values)


# -- displayed numbers -------------------------------------------------------------------


def displayed_numbers(blocks: Sequence[Block]) -> dict[str, tuple[int, ...]]:
    """Return, by displayed number ("9", "5(2)"), the positions of the paragraphs it names.

    A top-level number names its paragraph and the sub-paragraphs under it.
    """
    named: dict[str, list[int]] = {}
    top = None
    for position, block in enumerate(blocks):
        label = block.number or _typed_label(block.accepted)
        if label is None:
            continue
        if (whole := _TOP.match(label)) is not None:
            top = whole.group(1)
            named.setdefault(top, []).append(position)
        elif (sub := _SUB.match(label)) is not None and top is not None:
            named.setdefault(f"{top}({sub.group(1).lower()})", []).append(position)
            named[top].append(position)
    return {number: tuple(positions) for number, positions in named.items()}


def _typed_label(text: str) -> str | None:
    typed = _TYPED.match(text)
    return typed.group(1) if typed else None


def cited_numbers(keys: Sequence[str]) -> list[str]:
    """Return the paragraph numbers a sentence cites: "paragraphs 8 and 9" -> ["8", "9"], "5(2)" for a sub."""
    cited: list[str] = []
    for match in _CITED.finditer(" ".join(keys)):
        if match.group(2) or match.group(4):
            cited.append(f"{match.group(2) or match.group(4)}({match.group(1) or match.group(3)})")
        else:
            cited += _listed(match.group(5))
    return list(dict.fromkeys(cited))


def _listed(text: str) -> list[str]:
    """Return the numbers of "8 , 9 and 10", "8 to 10", "5 ( 2 )"."""
    numbers: list[str] = []
    for item in _ONE.finditer(text):
        subs = re.findall(r"\( ([a-z0-9]{1,4}) \)", item.group(2))
        number = item.group(1) + "".join(f"({s})" for s in subs[:1])
        before = text[:item.start()].rstrip()
        if before.endswith(" to") and numbers and numbers[-1].isdigit() and number.isdigit():
            numbers += [str(n) for n in range(int(numbers[-1]) + 1, int(number) + 1)][:50]
        else:
            numbers.append(number)
    return numbers


# -- reading one sentence ------------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """What a sentence is read against: the words, the agreement's paragraphs, which clause stands where.

    ``clause_at`` gives the mandatory clause ids by block position. The displayed
    numbers and the neighbours of a paragraph are worked out only when a sentence
    asks for them: most agreements have no override at all.
    """

    words: OverrideWords
    blocks: Sequence[Block]
    clause_at: Mapping[int, tuple[str, ...]]
    obligations: ObligationReading | None = None
    """The obligation reader prepared for the library (None: the library describes no obligations)."""
    names: tuple[str, ...] = ()
    """The names the draft gives the recipient, for reading its own definitions."""

    @cached_property
    def definitions(self) -> Definitions:
        """Return the Note's own defined terms ("hereinafter referred to as 'the Equipment'")."""
        return definitions_of((b.accepted for b in self.blocks), self.obligations.reader, self.names)

    @cached_property
    def numbers(self) -> dict[str, tuple[int, ...]]:
        """Return the positions each displayed number names (see ``displayed_numbers``)."""
        return displayed_numbers(self.blocks)

    def neighbours(self, position: int) -> tuple[int | None, int | None]:
        """Return the nearest paragraphs with text before and after the one at ``position``, in its part."""
        blocks = self.blocks
        if position >= len(blocks):
            return None, None
        part = blocks[position].part
        before = next((p for p in range(position - 1, -1, -1) if blocks[p].accepted.strip()), None)
        after = next((p for p in range(position + 1, len(blocks)) if blocks[p].accepted.strip()), None)
        return (before if before is not None and blocks[before].part == part else None,
                after if after is not None and blocks[after].part == part else None)


def find_overrides(sentences: Iterable[Sentence], reading: Scan) -> list[Override]:
    """Return every override in ``sentences``: at most one per clause and kind per sentence."""
    found: list[Override] = []
    for sentence in sentences:
        if sentence.plain or not reading.words.may_override(sentence.keys):
            continue
        found += _pointers(sentence, reading) + _weaker(sentence, reading) + _definitions(sentence, reading)
    return found


def _pointers(sentence: Sentence, reading: Scan) -> list[Override]:
    """Return (a): an overriding form with a pointer at a mandatory clause."""
    form = _first(reading.words.forms, sentence.keys)
    if form is None:
        return []
    targets: dict[str, str] = {}
    for number in cited_numbers(sentence.keys):
        for position in reading.numbers.get(number, ()):
            for clause_id in reading.clause_at.get(position, ()):
                targets.setdefault(clause_id, f"paragraph {number}")
    for clause_id, where in _positional(sentence, reading):
        targets.setdefault(clause_id, where)
    for clause in reading.words.clauses:
        subject = _first(clause.subjects, sentence.keys)
        if subject is not None:
            targets.setdefault(clause.id, f"'{' '.join(subject)}'")
    return [Override(cid, POINTER, sentence, f"'{' '.join(form)}' points at {where}")
            for cid, where in targets.items()]


def _positional(sentence: Sentence, reading: Scan) -> list[tuple[str, str]]:
    found = []
    for phrases, side, name in ((reading.words.preceding, 0, "the preceding paragraph"),
                                (reading.words.following, 1, "the following paragraph")):
        if _first(phrases, sentence.keys) is not None:
            position = reading.neighbours(sentence.block)[side]
            found += [(cid, name) for cid in reading.clause_at.get(position, ())]
    return found


def _weaker(sentence: Sentence, reading: Scan) -> list[Override]:
    """Return (b): the action of a mandatory clause stated with less force.

    The sentence is read into obligations by the obligation reader when the library
    describes its provisions' obligations, else by the words of overrides.yaml.
    """
    verdicts: dict[str, str | None] = {}
    if reading.obligations is not None:
        verdicts = read_with_less_force(sentence.text, reading.obligations, reading.definitions)
    for clause in reading.words.clauses:
        if clause.id not in verdicts:  # the reader did not read the sentence as stating this provision
            verdicts[clause.id] = weaker_statement(sentence.keys, clause, reading.words)
    return [Override(cid, WEAKER, sentence, reason) for cid, reason in verdicts.items() if reason is not None]


def read_with_less_force(text: str, obligations: ObligationReading,
                         definitions: Definitions) -> dict[str, str | None]:
    """Return, by clause id, why ``text`` states the provision's action with less force (None: it does not).

    A provision is named only when the sentence is read as stating its action on its
    object; the words of overrides.yaml judge the others.

    Each obligation the sentence states is judged against the provision's core
    obligation as the library words it; only what lowers it counts (a weaker or no
    modal, the polarity reversed, a condition, time limit or qualifier, consent
    turned into less): a stricter restatement, or one narrower in scope, takes
    nothing away.
    """
    stated = read_sentence(text, definitions, obligations.reader)
    found: dict[str, str | None] = {}
    for clause_id, provision in obligations.provisions.items():
        core = provision.obligations[0]
        references = obligations.references_for(None)[clause_id].get(core.name, ())
        for obligation in (o for o in stated if core.concerns(o)):
            judged = judge(core, references[0] if references else None, Stated(obligation, 0))
            less = [f for f in judged.shortfalls if f.material and f.kind in LESS_FORCE]
            if found.get(clause_id) is None:
                found[clause_id] = (f"states '{obligation.action_words.text}' with less force: {less[0].message}"
                                    if less else None)
    return found


def weaker_statement(keys: Sequence[str], clause: ClauseWords, words: OverrideWords) -> str | None:
    """Return why ``keys`` state ``clause``'s action with less force than an obligation, or None.

    The sentence must name the clause's action and one of its terms, and hold a
    permission or weaker modal ("may transfer") or a limit ("shall apply only"),
    not itself negated ("may not transfer" forbids).
    """
    action = _first(clause.actions, keys)
    if action is None or _first(clause.terms, keys) is None:
        return None
    for phrases, what in ((words.permissions, "a permission"), (words.limits, "a limit")):
        for position, phrase in phrases.find(keys):
            if not _negated(keys, position + len(phrase)):
                return f"states '{' '.join(action)}' with {what}: '{' '.join(phrase)}'"
    return None


def _negated(keys: Sequence[str], after: int) -> bool:
    return after < len(keys) and keys[after] in ("not", "never")


def _definitions(sentence: Sentence, reading: Scan) -> list[Override]:
    """Return (c): a term a mandatory clause depends on, defined or narrowed."""
    keys = sentence.keys
    forms = reading.words.definitions.find(keys)
    if not forms:
        return []
    found = []
    for clause in reading.words.clauses:
        term = _defined_term(keys, clause.terms, forms)
        if term is not None:
            found.append(Override(clause.id, DEFINITION, sentence, f"'{' '.join(term)}' defined or narrowed"))
    return found


def _defined_term(keys: Sequence[str], terms: Phrases, forms: list[tuple[int, Phrase]]) -> Phrase | None:
    """Return a term standing just before a definition form, or just after "referred to as"."""
    for start, term in terms.find(keys):
        end = start + len(term)
        for position, form in forms:
            gap = position - end if position >= end else start - (position + len(form))
            if 0 <= gap <= 2 and (position >= end or form[-1] == "as"):
                return term
    return None


def _first(phrases: Phrases, keys: Sequence[str]) -> Phrase | None:
    found = phrases.find(keys)
    return found[0][1] if found else None


def quoted(text: str, limit: int = QUOTE_CHARS) -> str:
    """Return a sentence as a finding quotes it: one line, at most ``limit`` characters, cut between words."""
    line = " ".join(text[:4 * limit].split())
    if len(line) <= limit:
        return line
    cut = line[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"
