"""The obligation reader: a sentence of an agreement read into the obligations it states.

Deterministic and shallow: the sentence is cut into words (``text.tokenise``); force
words, action verbs, parties, objects, exceptions and limits are found as phrases
(clause_library/obligations.yaml and the actions of the clause files); then

- an enumeration "X undertakes: (a) to A; (b) not to B" becomes "X undertakes to A",
  "X undertakes not to B";
- every modal verb ("shall", "will not", "undertakes to", "may not") heads a chunk;
  the words before the first one are the sentence's subject, and a chunk without a
  subject of its own ("..., and shall not use them") keeps the last one;
- each action verb of a chunk is one obligation, with the chunk's force and
  polarity: "shall not use ... or transfer them ..." is two prohibitions sharing
  the exception "without the prior consent of ...";
- in the passive ("shall not be transferred", "shall ensure that the Products are
  used") the object stands before the verb and the agent after "by".

The public API is ``read_sentence(text, definitions, reader)`` -> ``tuple[Obligation, ...]``,
``definitions_of(texts, reader)`` for a Note's own defined terms, and ``Reader`` (made
once by ``reader_for``) holding the vocabulary and the action verbs it looks for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType

from osa_agreements.checking.lexicon import Phrase, Phrases, phrases_of
from osa_agreements.checking.text import Token, tokenise
from osa_agreements.checking.vocabulary import Vocabulary, key_of, phrase_of

BINDING, EFFORT, WEAK, NONE = "binding", "effort", "weak", "none"
"""Force, strongest first: an obligation of result, of effort, words that do not bind, no verb that binds."""
STRENGTH = {BINDING: 3, EFFORT: 2, WEAK: 1, NONE: 0}
POSITIVE, NEGATIVE = "positive", "negative"
RECIPIENT, JAPAN, BOTH, OTHER, UNSTATED = "recipient", "japan", "both", "other", "unstated"
"""Who is bound: the recipient government, Japan, both governments, another party, nobody named."""

ELLIPSIS = " … "
"""Between the quoted runs of words that a unit joins (the head of an enumeration and one item)."""
_HEADS = frozenset({BINDING, WEAK, "prohibiting"})
_SUBJECT_STOPS = frozenset({",", ";", ":", "(", ")"})
_DETERMINERS = frozenset({"the", "a", "an", "any", "such", "its", "their", "this", "that", "these", "those"})
_CONNECTORS = frozenset({",", "or", "and", "nor", "to", "either", "whether", "also", "otherwise"})
_EXCEPTION_REACH = 14
_LIMIT_REACH = 8
_ADVERBS = frozenset({"not", "never", "only", "also", "further", "exclusively", "solely", "so", "thus", "hereby"})
_SPLIT_REACH = 10
_AUXILIARIES = frozenset({"has", "have", "had", "been", "be", "is", "are", "was", "were", "first"})
_GERUND_PREPOSITIONS = frozenset({"before", "after", "when", "while", "upon", "on", "for", "by", "of", "in", "without",
                                  "through", "regarding", "concerning", "about", "against", "like", "besides"})
_NEEDS_WORD = frozenset({("without",), ("with",), ("subject", "to"), ("upon",)})


@dataclass(frozen=True)
class Quote:
    """Words of the sentence: their text and [start, end) character offsets in it."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Party:
    """Who is bound (or who consents): RECIPIENT, JAPAN, BOTH, OTHER or UNSTATED, and the words naming it."""

    key: str
    words: Quote | None = None

    def to_dict(self) -> dict:
        return {"party": self.key, "words": self.words.to_dict() if self.words else None}


@dataclass(frozen=True)
class Force:
    """How strongly: BINDING, EFFORT, WEAK or NONE; POSITIVE (a duty) or NEGATIVE (a prohibition); the words.

    ``effort`` are the words that make it an obligation of effort ("endeavour"), if any.
    """

    strength: str
    polarity: str
    words: Quote | None = None
    effort: Quote | None = None

    def to_dict(self) -> dict:
        return {"strength": self.strength, "polarity": self.polarity,
                "words": self.words.to_dict() if self.words else None,
                "effort": self.effort.to_dict() if self.effort else None}


@dataclass(frozen=True)
class Exception_:
    """A way out of the duty ("without the prior consent of Japan"): what it rests on, who gives it, the words.

    ``kind`` is consent, consultation, notification, otherwise or other; ``giver`` a party key.
    """

    kind: str
    giver: str
    words: Quote

    def to_dict(self) -> dict:
        return {"kind": self.kind, "giver": self.giver, "words": self.words.to_dict()}


@dataclass(frozen=True)
class Limit:
    """A qualifier (labelled by its category), a condition (``condition``) or a time limit (``time``)."""

    category: str
    words: Quote

    @property
    def kind(self) -> str:
        """Return ``condition``, ``time`` or ``qualifier``."""
        return self.category if self.category in ("condition", "time") else "qualifier"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "category": self.category, "words": self.words.to_dict()}


@dataclass(frozen=True)
class Obligation:
    """One obligation a sentence states.

    ``actions`` are the lemmas of the action verb ("transfer"); ``object`` the concept
    it acts on (products, information, results, programme, grant; None when no word
    names one) and ``scope`` what widens or narrows it (part, ownership, possession,
    manner:sale, any-manner); ``frame`` the words of the obligation (its chain of
    force words and its own words), where the clause files' elements (to whom, for
    what purpose) are looked for; ``shared`` the words of the whole chunk and the
    subject, where exceptions and limits are looked for.
    """

    bound: Party
    force: Force
    actions: tuple[str, ...]
    action_words: Quote
    passive: bool
    object: str | None
    object_words: Quote | None
    scope: frozenset[str]
    scope_words: tuple[tuple[str, Quote], ...]
    exceptions: tuple[Exception_, ...]
    limits: tuple[Limit, ...]
    frame: tuple[Token, ...] = field(repr=False)
    sentence: str = field(repr=False)

    def scope_quote(self, label: str) -> str | None:
        """Return the words that give the obligation the scope ``label`` ("or of any part of them"), None if none."""
        return next((q.text for name, q in self.scope_words if name == label), None)

    @property
    def frame_keys(self) -> tuple[str, ...]:
        """Return the keys of the frame's words, as phrases are matched."""
        return tuple(key_of(t.key) for t in self.frame)

    def quote(self, first: int, last: int) -> Quote:
        """Return the frame's words ``first``..``last`` (inclusive) as a quotation of the sentence."""
        return quote_of(self.sentence, self.frame[first], self.frame[last])

    def to_dict(self) -> dict:
        return {
            "bound": self.bound.to_dict(), "force": self.force.to_dict(), "actions": list(self.actions),
            "action_words": self.action_words.to_dict(), "passive": self.passive, "object": self.object,
            "object_words": self.object_words.to_dict() if self.object_words else None,
            "scope": sorted(self.scope), "exceptions": [e.to_dict() for e in self.exceptions],
            "limits": [limit.to_dict() for limit in self.limits],
        }


def quote_of(sentence: str, first: Token, last: Token) -> Quote:
    """Return the sentence's text from token ``first`` to token ``last``."""
    return Quote(" ".join(sentence[first.start:last.end].split()), first.start, last.end)


@dataclass(frozen=True)
class Definitions:
    """The Note's own names: defined terms (term keys -> concept or party) and the recipient's names."""

    terms: Mapping[Phrase, str] = field(default_factory=lambda: MappingProxyType({}))
    recipient_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reader:
    """The vocabulary and the action verbs (every form -> lemma) the reader looks for."""

    vocabulary: Vocabulary
    actions: Phrases
    lemmas: Mapping[Phrase, str]
    split: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    """For "make public" and the like: {form of "make": {"public": "make public"}}, the object between them."""


def reader_for(vocabulary: Vocabulary, actions: Iterable[str]) -> Reader:
    """Return a reader of ``actions`` (verbs in their base form, "dispose of", "make public")."""
    lemmas: dict[Phrase, str] = {}
    split: dict[str, dict[str, str]] = {}
    for action in actions:
        base = phrase_of(action)
        for form in verb_forms(base[-1] if len(base) == 1 else base[0], vocabulary.irregular):
            phrase = (form,) if len(base) == 1 else (form, *base[1:])
            for variant in (phrase, ("re", "-", *phrase), ("re" + phrase[0], *phrase[1:])):
                lemmas.setdefault(variant, action)  # "re-sold", "resold": the same action done again
            if len(base) == 2 and base[0] == "make":
                split.setdefault(form, {})[base[1]] = action
    return Reader(vocabulary, phrases_of(lemmas), MappingProxyType(lemmas),
                  MappingProxyType({k: MappingProxyType(v) for k, v in split.items()}))


def verb_forms(verb: str, irregular: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Return the forms of ``verb``: base, -s, -ed, -ing (with a final e dropped, y to i, consonant doubled)."""
    stem = verb[:-1] if verb.endswith("e") else verb
    forms = [verb, verb + "s", verb + "es", stem + "ed", stem + "ing", verb + verb[-1] + "ed", verb + verb[-1] + "ing"]
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        forms += [verb[:-1] + "ies", verb[:-1] + "ied"]
    return tuple(dict.fromkeys(forms + list(irregular.get(verb, ()))))


# -- the sentence, its enumerations and chunks -----------------------------------------------


def read_sentence(text: str, definitions: Definitions | None = None,
                  reader: Reader | None = None) -> tuple[Obligation, ...]:
    """Return the obligations ``text`` (one sentence, or one enumeration) states, in the order of their verbs.

    ``reader`` defaults to the reader of the shipped clause library's actions.
    """
    reader = reader if reader is not None else default_reader()
    definitions = definitions or Definitions()
    tokens = tokenise(text)
    return tuple(obligation for unit in enumeration_units(tokens)
                 for obligation in _read_unit(Unit(text, tuple(unit), reader, definitions)))


def default_reader() -> Reader:
    """Return the reader of the shipped clause library (loaded on each call: prepare once and pass it on)."""
    from osa_agreements.library.clauses import load_library
    from osa_agreements.checking.provisions import provisions_reader

    return provisions_reader(load_library())


def enumeration_units(tokens: Sequence[Token]) -> list[list[Token]]:
    """Return the sentence as units: "HEAD: (a) ITEM; (b) ITEM" gives [HEAD ITEM, HEAD ITEM], else the sentence."""
    colon = next((i for i, t in enumerate(tokens) if t.key == ":"), None)
    if colon is None or colon == 0:
        return [list(tokens)]
    head, items, item = list(tokens[:colon]), [], []
    for token in tokens[colon + 1:]:
        if token.key == ";":
            items.append(item)
            item = []
        else:
            item.append(token)
    items.append(item)
    items = [_trim_conjunctions(i) for i in items]
    return [head + i for i in items if i] if len(items) > 1 or _heads_in(head) else [list(tokens)]


def _trim_conjunctions(item: list[Token]) -> list[Token]:
    while item and item[0].key in ("and", "or"):
        item = item[1:]
    while item and item[-1].key in ("and", "or", ".", ","):
        item = item[:-1]
    return item


def _heads_in(tokens: Sequence[Token]) -> bool:
    return bool(tokens) and tokens[-1].key in ("undertakes", "undertake", "agrees", "agree", "shall", "will")


@dataclass(frozen=True)
class Unit:
    """One unit of a sentence being read: its text, tokens, the reader and the Note's definitions."""

    text: str
    tokens: tuple[Token, ...]
    reader: Reader
    definitions: Definitions

    @cached_property
    def keys(self) -> list[str]:
        """Return the keys of the unit's words, without possessives."""
        return [key_of(t.key) for t in self.tokens]

    def quote(self, first: int, last: int) -> Quote:
        """Return the unit's words ``first``..``last`` (inclusive); runs the unit joined (an item after its
        head) are quoted each as written, joined by a space."""
        runs, start = [], first
        for position in range(first, last):
            between = self.text[self.tokens[position].end:self.tokens[position + 1].start]
            if between.strip() or self.tokens[position + 1].start < self.tokens[position].end:
                runs.append((start, position))
                start = position + 1
        runs.append((start, last))
        text = ELLIPSIS.join(quote_of(self.text, self.tokens[a], self.tokens[b]).text for a, b in runs)
        return Quote(text, self.tokens[first].start, self.tokens[last].end)


@dataclass(frozen=True)
class Marks:
    """What was found in a unit, by position: force words, actions, exceptions and limits."""

    markers: dict[int, tuple[int, str]]
    actions: dict[int, tuple[int, str]]
    exceptions: list[tuple[int, int, Exception_]]
    limits: list[tuple[int, Limit]]
    parties: list[tuple[int, int, str]]
    objects: list[tuple[int, int, str]]


def _read_unit(unit: Unit) -> list[Obligation]:
    """Return the obligations of one unit, chunk by chunk."""
    marks = _marks(unit)
    heads = [p for p, (_, label) in sorted(marks.markers.items()) if label in _HEADS]
    heads = [h for i, h in enumerate(heads) if i == 0 or not _same_chain(marks, heads[i - 1], h, unit)]
    obligations: list[Obligation] = []
    subject = (0, heads[0]) if heads else (0, 0)
    cap = None
    for index, head in enumerate(heads):
        end = heads[index + 1] if index + 1 < len(heads) else len(unit.tokens)
        subject = _own_subject(unit, marks, heads[index - 1] if index else 0, head, later=index > 0) or (
            subject if index else (0, head))
        end = _subject_of_next(unit, marks, head, end, heads, index)
        read = _read_chunk(unit, marks, subject, head, end, obligations, first=index == 0)
        obligations += [_capped(o, cap) for o in read]
        if not read:
            cap = _force(unit, marks, head, end) if cap is None else cap
    return obligations


def _capped(obligation: Obligation, cap: Force | None) -> Obligation:
    """Return the obligation no stronger than the frame it stands in ("may decide whether it shall ...")."""
    if cap is None or STRENGTH[cap.strength] >= STRENGTH[obligation.force.strength]:
        return obligation
    force = Force(cap.strength, obligation.force.polarity, cap.words, cap.effort)
    return replace(obligation, force=force)


def _same_chain(marks: Marks, previous: int, head: int, unit: Unit) -> bool:
    """Return True when ``head`` continues the chain of ``previous`` ("shall not, in any case, be")."""
    between = range(previous + marks.markers[previous][0], head)
    return not any(p in marks.actions for p in between) and all(
        unit.tokens[p].key in (",", "not") or p in marks.markers for p in between)


def _own_subject(unit: Unit, marks: Marks, start: int, head: int, later: bool = False) -> tuple[int, int] | None:
    """Return the [start, end) of the words naming the chunk's subject right before ``head``, None if none.

    The subject runs back to a comma, semicolon or bracket ("..., and the Government of X
    shall"), and in a ``later`` chunk to the verbs and force words of the chunk before it;
    a conjunction at its start is not part of it.
    """
    first = head
    while first > start and unit.tokens[first - 1].key not in _SUBJECT_STOPS and not (
            later and (first - 1 in marks.actions or first - 1 in marks.markers)):
        first -= 1
    while first < head and unit.keys[first] in ("and", "or", "but"):
        first += 1
    words = [unit.keys[p] for p in range(first, head)]
    return (first, head) if any(w[0].isalnum() for w in words) else None


def _subject_of_next(unit: Unit, marks: Marks, head: int, end: int, heads: list[int], index: int) -> int:
    """Return where the chunk ends: before the next chunk's own subject, if it has one."""
    if index + 1 >= len(heads):
        return end
    own = _own_subject(unit, marks, head, end, later=True)
    return own[0] if own else end


def _marks(unit: Unit) -> Marks:
    """Return the force words, actions, exceptions, limits, parties and objects of the unit."""
    vocabulary, keys = unit.reader.vocabulary, unit.keys
    exceptions = _exceptions(unit)
    inside = {p for start, stop, _ in exceptions for p in range(start, stop)}
    markers = {p: (len(phrase), label) for p, phrase, label in vocabulary.markers.find(keys) if p not in inside}
    manners = _manner_positions(unit)
    actions = _actions(unit, inside | manners | set(markers))
    limits, within = _limits(unit, inside, markers, actions)
    markers = {p: m for p, m in markers.items() if p not in within}
    return Marks(markers, actions, exceptions, limits, _parties(unit), _objects(unit))


def _actions(unit: Unit, excluded: set[int]) -> dict[int, tuple[int, str]]:
    """Return {position: (length, lemma)} of the action verbs of the unit, "make ... available" included."""
    keys = unit.keys
    found = {p: (len(phrase), unit.reader.lemmas[phrase]) for p, phrase in unit.reader.actions.find(keys)
             if p not in excluded and not _subordinate(keys, p)}
    for position, key in enumerate(keys):
        particles = unit.reader.split.get(key)
        if not particles or position in found or position in excluded:
            continue
        for gap in range(position + 1, min(len(keys), position + _SPLIT_REACH)):
            if keys[gap] in particles:
                found[position] = (1, particles[keys[gap]])
                break
            if not keys[gap][0].isalnum():
                break
    return found


def _limits(unit: Unit, inside: set[int], markers: dict, actions: dict) -> tuple[list[tuple[int, Limit]], set[int]]:
    """Return the qualifiers, conditions and time limits of the unit outside its exceptions, and their positions.

    A condition or time limit is quoted to the end of its phrase ("upon the request of the
    Government of Japan", "for a period of five years"); what it swallows is not counted again.
    """
    found: list[tuple[int, Limit]] = []
    covered: set[int] = set()
    for position, phrase, label in unit.reader.vocabulary.limits.find(unit.keys):
        if position in inside or position in covered:
            continue
        last = position + len(phrase) - 1
        if label in ("condition", "time", "override"):
            last = _phrase_end(unit, last, markers, actions)
        covered.update(range(position, last + 1))
        found.append((position, Limit(label, unit.quote(position, last))))
    return found, covered


def _phrase_end(unit: Unit, last: int, markers: dict, actions: dict) -> int:
    """Return the last position of the phrase from ``last`` on, up to punctuation, a force word or a verb."""
    stop = last
    while stop + 1 < len(unit.tokens) and stop - last < _LIMIT_REACH and unit.keys[stop + 1][0].isalnum() \
            and stop + 1 not in markers and stop + 1 not in actions:
        stop += 1
    return stop


def _subordinate(keys: Sequence[str], position: int) -> bool:
    """Return True for a gerund after a preposition ("before disposing of"): no obligation of its own."""
    return keys[position].endswith("ing") and position > 0 and keys[position - 1] in _GERUND_PREPOSITIONS


def _manner_positions(unit: Unit) -> set[int]:
    """Return the positions of the nouns of a "by sale, lease, loan, gift or otherwise" list (not verbs)."""
    manners = {phrase_of(m)[0] for m in _scope_words(unit.reader.vocabulary, "manners")}
    keys, found = unit.keys, set()
    for position, key in enumerate(keys):
        if key != "by":
            continue
        cursor = position + 1
        while cursor < len(keys) and (keys[cursor] in manners or keys[cursor] in _CONNECTORS):
            if keys[cursor] in manners:
                found.add(cursor)
            cursor += 1
    return found


def _scope_words(vocabulary: Vocabulary, label: str) -> list[str]:
    return [" ".join(phrase) for phrase, lab in vocabulary.scope.labels.items() if lab == label]


# -- parties, objects, exceptions -----------------------------------------------------------


def _parties(unit: Unit) -> list[tuple[int, int, str]]:
    """Return (start, stop, party) for every party named in the unit, none overlapping another."""
    vocabulary, keys = unit.reader.vocabulary, unit.keys
    names = [phrase_of(n) for n in unit.definitions.recipient_names]
    own = [(p, p + len(phrase), RECIPIENT) for p in range(len(keys)) for phrase in names
           if phrase and tuple(keys[p:p + len(phrase)]) == phrase]
    known = [(p, p + len(phrase), label) for p, phrase, label in vocabulary.parties.find(keys)]
    found = _governments_of(unit, own, known) + own + known
    found += [(p, p + len(term), label) for term, label in unit.definitions.terms.items()
              if label in (RECIPIENT, JAPAN, BOTH) for p in range(len(keys)) if tuple(keys[p:p + len(term)]) == term]
    kept: list[tuple[int, int, str]] = []
    for start, stop, label in sorted(found, key=lambda f: (f[0], -f[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, stop, label))
    return kept


def _governments_of(unit: Unit, own: list, known: list) -> list[tuple[int, int, str]]:
    """Return "the Government of X" (X not Japan) as a party: the recipient when X is one of its names.

    With no name of the recipient known, any government other than Japan's is taken for it.
    """
    found = []
    for p, phrase in unit.reader.vocabulary.government_of.find(unit.keys):
        stop = p + len(phrase)
        while stop < len(unit.tokens) and (unit.tokens[stop].text[:1].isupper() or unit.keys[stop] in ("of", "the")):
            stop += 1
        if stop == p + len(phrase) or any(s < stop and p < e and label == JAPAN for s, e, label in known):
            continue
        named = any(p <= s and e <= stop for s, e, _ in own)
        party = RECIPIENT if named or not unit.definitions.recipient_names else OTHER
        found.append((p - 1 if p and unit.keys[p - 1] == "the" else p, stop, party))
    return found


def _objects(unit: Unit) -> list[tuple[int, int, str]]:
    """Return (start, stop, concept) for every object named, defined terms of the Note included."""
    keys = unit.keys
    found = [(p, p + len(phrase), label) for p, phrase, label in unit.reader.vocabulary.objects.find(keys)]
    for term, label in unit.definitions.terms.items():
        if label not in (RECIPIENT, JAPAN, BOTH):
            found += [(p, p + len(term), label) for p in range(len(keys)) if tuple(keys[p:p + len(term)]) == term]
    return sorted(found)


def _exceptions(unit: Unit) -> list[tuple[int, int, Exception_]]:
    """Return (start, stop, exception) for each "without / unless / except ... consent of X" of the unit."""
    vocabulary, keys = unit.reader.vocabulary, unit.keys
    found = []
    verbs = {p for p, _ in unit.reader.actions.find(keys)}
    for position, phrase in vocabulary.introducers.find(keys):
        stop = _exception_end(keys, position + len(phrase), verbs)
        words = vocabulary.exception_words.find(keys[position:stop])
        kind = words[0][2] if words else None
        if keys[position + len(phrase):position + len(phrase) + 1] == ["otherwise"]:
            kind = "otherwise"  # "unless otherwise (mutually) agreed": no consent of Japan's
        if kind is None and phrase in _NEEDS_WORD:
            continue  # "without delay", "with the cooperation of": no way out of the duty
        found.append((position, stop, Exception_(kind or "other", _giver(unit, position, stop),
                                                 unit.quote(position, stop - 1))))
    return found


def _exception_end(keys: Sequence[str], start: int, verbs: set[int]) -> int:
    """Return where an exception phrase ends: at punctuation, at an action verb of the main clause, or after a few words.

    A verb after an auxiliary ("has given its consent") belongs to the exception.
    """
    stop = start
    while stop < len(keys) and stop - start < _EXCEPTION_REACH and keys[stop] not in (",", ";", ".", ":"):
        if stop in verbs and stop > start and keys[stop - 1] not in _AUXILIARIES:
            break
        stop += 1
    return stop


def _giver(unit: Unit, start: int, stop: int) -> str:
    """Return the party named in the exception's words, UNSTATED when none."""
    names = _parties(Unit(unit.text, unit.tokens[start:stop], unit.reader, unit.definitions))
    return names[0][2] if names else UNSTATED


# -- one chunk: a chain of force words and the verbs it governs -----------------------------


@dataclass(frozen=True)
class Chunk:
    """The words one modal verb governs: subject [start, end), head, end, and where shared words start."""

    subject: tuple[int, int]
    head: int
    end: int
    shared: int


def _read_chunk(unit: Unit, marks: Marks, subject: tuple[int, int], head: int, end: int,
                before: Sequence[Obligation], first: bool = False) -> list[Obligation]:
    """Return one obligation per action verb of the chunk ``head``..``end``; ``before`` are the unit's earlier ones."""
    chunk = Chunk(subject, head, end, 0 if first else min(subject[0], head))
    acts = sorted(p for p in marks.actions if head <= p < end)
    if not acts:
        return []
    force = _force(unit, marks, head, acts[0])
    if any(label == "negation" for p, (_, label) in marks.markers.items() if subject[0] <= p < subject[1]):
        force = replace(force, polarity=NEGATIVE if force.polarity == POSITIVE else POSITIVE)
    obligations: list[Obligation] = []
    for index, act in enumerate(acts):
        if index:
            force = _coordinated(unit, marks, acts[index - 1], act, force)
        stop = _own_words_end(unit, marks, acts, index, end)
        antecedent = next((o for o in reversed([*before, *obligations]) if o.object), None)
        joined = bool(index) and _joined(unit, acts[index - 1] + marks.actions[acts[index - 1]][0], act)
        passive = _passive(unit, act) or (joined and obligations[-1].passive and _participle(unit, act))
        obligation = _obligation(unit, marks, chunk, act, stop, force, antecedent, passive)
        if obligation.object is None and joined and obligations[-1].object:
            shared = obligations[-1]
            scope = tuple(sorted(dict(shared.scope_words + obligation.scope_words).items()))
            obligation = replace(obligation, object=shared.object, object_words=shared.object_words,
                                 scope=frozenset(label for label, _ in scope), scope_words=scope)
        obligations.append(obligation)
    return obligations


def _own_words_end(unit: Unit, marks: Marks, acts: list[int], index: int, end: int) -> int:
    """Return where the words of the verb ``acts[index]`` end: at the next verb, unless only a conjunction
    stands between them ("transferred, re-sold or re-exported to ..."): then they share the next verb's words."""
    following = index + 1
    while following < len(acts) and _joined(unit, acts[following - 1] + marks.actions[acts[following - 1]][0],
                                            acts[following]):
        following += 1
    return acts[following] if following < len(acts) else end


def _joined(unit: Unit, after: int, act: int) -> bool:
    """Return True when only conjunctions and commas stand between a verb ending before ``after`` and the verb
    at ``act`` ("re-export or transfer")."""
    return all(not k[0].isalnum() or k in _CONNECTORS for k in unit.keys[after:act])


def _force(unit: Unit, marks: Marks, head: int, act: int) -> Force:
    """Return the force of the chain of words from ``head`` to the first action verb."""
    labels = [label for p, (_, label) in marks.markers.items() if head <= p < act]
    last = max((p + marks.markers[p][0] - 1 for p in marks.markers if head <= p < act), default=head)
    last += 1 if last + 1 < act and unit.keys[last + 1] == "to" else 0  # "shall endeavour not to"
    words = unit.quote(head, min(last, act - 1)) if act > head else None
    if "prohibiting" in labels:
        return Force(BINDING, NEGATIVE, words)  # "may not", "refrain from": a prohibition, whatever the modal
    polarity = NEGATIVE if labels.count("negation") % 2 else POSITIVE
    effort = next((unit.quote(p, p + size - 1) for p, (size, label) in sorted(marks.markers.items())
                   if head <= p < act and label == "effort"), None)
    if effort is not None:
        strength = WEAK if marks.markers[head][1] == WEAK else EFFORT
    elif marks.markers[head][1] == WEAK:
        strength = WEAK
    else:
        strength = BINDING if labels else NONE
    return Force(strength, polarity, words, effort)


def _coordinated(unit: Unit, marks: Marks, previous: int, act: int, force: Force) -> Force:
    """Return the force of a verb coordinated with the one before it: "... or transfer", "... and not sell"."""
    between = [label for p, (_, label) in marks.markers.items() if previous < p < act]
    keys = unit.keys[previous + 1:act]
    if "negation" in between or "nor" in keys:
        return replace(force, polarity=NEGATIVE)
    if "effort" in between and force.strength == BINDING:
        start = force.words.start if force.words is not None else unit.tokens[previous].start
        words = Quote(" ".join(unit.text[start:unit.tokens[act - 1].end].split()), start, unit.tokens[act - 1].end)
        effort = next(unit.quote(p, p + size - 1) for p, (size, label) in sorted(marks.markers.items())
                      if previous < p < act and label == "effort")
        return Force(EFFORT, force.polarity, words, effort)
    return force


def _obligation(unit: Unit, marks: Marks, chunk: Chunk, act: int, stop: int, force: Force,
                antecedent: Obligation | None, passive: bool) -> Obligation:
    """Return the obligation of the verb at ``act``, its own words running to ``stop``.

    A pronoun for its object ("them") stands for the object of ``antecedent``, the obligation before it.
    """
    size, lemma = marks.actions[act]
    ensured = any(label == "ensuring" for p, (_, label) in marks.markers.items() if chunk.head <= p < act)
    obj = _object(unit, marks, chunk, act, stop, passive, ensured, antecedent)
    frame_start = chunk.subject[0] if passive and not ensured else chunk.head
    frame = unit.tokens[frame_start:stop]
    scope = _scope(unit, frame_start, stop)
    if obj is not None and obj[2] and antecedent is not None:
        scope = tuple(sorted(dict(antecedent.scope_words + scope).items()))  # "them": what they stand for
    return Obligation(
        bound=_bound(unit, marks, chunk, act, stop, passive and not ensured),
        force=force,
        actions=(lemma,),
        action_words=unit.quote(act, act + size - 1),
        passive=passive,
        object=obj[0] if obj else None,
        object_words=obj[1] if obj else None,
        scope=frozenset(label for label, _ in scope),
        scope_words=scope,
        exceptions=tuple(e for start, _, e in marks.exceptions if chunk.shared <= start < chunk.end),
        limits=tuple(limit for p, limit in marks.limits if chunk.shared <= p < chunk.end),
        frame=tuple(frame),
        sentence=unit.text,
    )


def _passive(unit: Unit, act: int) -> bool:
    """Return True when the verb at ``act`` is a participle after a form of "to be" ("shall not be transferred")."""
    keys, auxiliaries = unit.keys, unit.reader.vocabulary.passive
    if not _participle(unit, act):
        return False
    before = [k for k in keys[max(0, act - 3):act] if k not in _ADVERBS]
    return bool(before) and before[-1] in auxiliaries


def _participle(unit: Unit, act: int) -> bool:
    """Return True when the verb at ``act`` may be a past participle (not its base form, -s or -ing)."""
    form = unit.keys[act]
    lemma = unit.reader.lemmas.get((form,), "")
    return not form.endswith(("ing", "s")) and (form != lemma or form.endswith(("ed", "en")))


def _object(unit: Unit, marks: Marks, chunk: Chunk, act: int, stop: int, passive: bool, ensured: bool,
            antecedent: Obligation | None) -> tuple[str, Quote, bool] | None:
    """Return the concept the verb acts on, its words, and whether a pronoun stands for the antecedent's object.

    The object stands before a passive verb and after an active one.
    """
    if passive:
        start = max((p + marks.markers[p][0] for p, (_, label) in marks.markers.items()
                     if label == "ensuring" and chunk.head <= p < act), default=None) if ensured else None
        lo, hi = (start, act) if start is not None else chunk.subject
    else:
        lo, hi = act + marks.actions[act][0], stop
    named = next(((s, e, c) for s, e, c in marks.objects if lo <= s < hi), None)
    pronoun = next((p for p in range(lo, hi) if unit.keys[p] in unit.reader.vocabulary.pronouns), None)
    if not passive and act and unit.keys[act - 1] in ("their", "its") and antecedent is not None:
        return antecedent.object, unit.quote(act - 1, act - 1), True  # "their re-export": a noun acting on them
    if pronoun is not None and (named is None or pronoun < named[0]):
        before = [(s, e, c) for s, e, c in marks.objects if e <= pronoun]
        concept = antecedent.object if antecedent is not None else (before[-1][2] if before else None)
        if concept:
            return concept, unit.quote(pronoun, pronoun), antecedent is not None
    return (named[2], unit.quote(named[0], named[1] - 1), False) if named else None


def _bound(unit: Unit, marks: Marks, chunk: Chunk, act: int, stop: int, agentive: bool) -> Party:
    """Return who is bound: the agent of a passive verb ("by the Government of Japan"), else the subject."""
    if agentive:
        agents = [(s, e, k) for s, e, k in marks.parties if act < s < stop and unit.keys[s - 1] == "by"]
        return Party(agents[0][2], unit.quote(agents[0][0], agents[0][1] - 1)) if agents else Party(UNSTATED)
    start, end = chunk.subject
    named = [(s, e, k) for s, e, k in marks.parties if start <= s < end]
    if named:
        keys = {k for _, _, k in named}
        key = BOTH if {RECIPIENT, JAPAN} <= keys else named[0][2]
        return Party(key, unit.quote(named[0][0], named[-1][1] - 1))
    words = [p for p in range(start, end) if unit.keys[p][0].isalnum()]
    if not words:
        return Party(UNSTATED)
    if any(unit.keys[p] in unit.reader.vocabulary.relatives | unit.reader.vocabulary.pronouns for p in words):
        before = [(s, e, k) for s, e, k in marks.parties if e <= start]
        return Party(before[-1][2], unit.quote(words[0], words[-1])) if before else Party(UNSTATED)
    return Party(OTHER, unit.quote(words[0], words[-1]))


def _scope(unit: Unit, start: int, stop: int) -> tuple[tuple[str, Quote], ...]:
    """Return the scope words of the obligation, by label: part, ownership, possession, manner:X, any-manner."""
    found: dict[str, Quote] = {}
    for position, phrase, label in unit.reader.vocabulary.scope.find(unit.keys[start:stop]):
        name = f"manner:{' '.join(phrase)}" if label == "manners" else label.replace("_", "-")
        found.setdefault(name, unit.quote(start + position, start + position + len(phrase) - 1))
    return tuple(sorted(found.items()))


# -- the Note's own definitions ---------------------------------------------------------------

_DEFINING = (("hereinafter", "referred", "to", "as"), ("hereinafter", "called"), ("hereinafter",),
             ("referred", "to", "as"), ("the", "so", "-", "called"))
_DEFINITION_REACH = 16


def definitions_of(texts: Iterable[str], reader: Reader, recipient_names: Sequence[str] = ()) -> Definitions:
    """Return the terms the Note defines ('... (hereinafter referred to as "the Equipment")') and what each names.

    A term that is a known word names its concept ("the Programme"); another names the
    concept (products, programme, grant ...) or party named in the words just before its
    definition; a term naming nothing known is left out.
    """
    terms: dict[Phrase, str] = {}
    base = Definitions(MappingProxyType({}), tuple(recipient_names))
    for text in texts:
        if "hereinafter" not in text and "referred to as" not in text and '("' not in text:
            continue
        for term, before in _defined_terms(tokenise(text)):
            unit = Unit(text, tuple(before), reader, base)
            own = reader.vocabulary.objects.labels.get(term) or reader.vocabulary.parties.labels.get(term)
            label = own or _label_of(unit)  # "the Programme" names itself; "the Kit" what precedes it
            if label is not None and term:
                terms.setdefault(term, label)
    return Definitions(MappingProxyType(terms), tuple(recipient_names))


def _defined_terms(tokens: Sequence[Token]) -> list[tuple[Phrase, list[Token]]]:
    """Return (term keys without "the", the words before the definition) for each definition in ``tokens``."""
    keys = [t.key for t in tokens]
    found = []
    for position in range(len(keys)):
        quoted = _quoted_term(keys, position)
        if quoted is None:
            continue
        term, opener = quoted
        found.append((term, list(tokens[max(0, opener - _DEFINITION_REACH):opener])))
    return found


def _quoted_term(keys: Sequence[str], position: int) -> tuple[Phrase, int] | None:
    """Return the quoted term defined at ``position`` (a '"' after a defining phrase or '("') and where it opens."""
    if keys[position] != '"':
        return None
    opener = next((position - len(d) for d in _DEFINING if tuple(keys[position - len(d):position]) == d), None)
    if opener is None and not (position and keys[position - 1] == "("):
        return None
    close = next((p for p in range(position + 1, min(len(keys), position + 8)) if keys[p] == '"'), None)
    if close is None:
        return None
    words = [key_of(k) for k in keys[position + 1:close]]
    words = words[1:] if words[:1] == ["the"] else words
    start = opener if opener is not None else position - 1
    while start and keys[start - 1] in ("(", ","):
        start -= 1
    return tuple(words), start


def _label_of(unit: Unit) -> str | None:
    """Return the concept or party the words before a definition name: the last one named."""
    named = [(s, c) for s, _, c in _objects(unit)] + [(s, k) for s, _, k in _parties(unit)]
    return max(named)[1] if named else None
