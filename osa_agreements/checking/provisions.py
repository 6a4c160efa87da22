"""The obligations a mandatory clause describes (its ``obligations:`` key), and the reader made for them.

A ``Described`` obligation says what the provision must carry: who may be bound, a
prohibition or a duty, the action verbs (groups that must all be stated, and verbs
that state the action only in part), the objects, whether Japan's prior consent is
the way out, and further elements (to whom, for what purpose, by which standard),
each with the ways it may be expressed and the ways that narrow it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from osa_agreements.library.clauses import Clause, ClauseLibrary, default_library_dir
from osa_agreements.checking.lexicon import Phrase, Phrases, phrases_of
from osa_agreements.checking.obligations import Obligation, Reader, reader_for
from osa_agreements.checking.vocabulary import Vocabulary, load_vocabulary, phrase_of, vocabulary_path


@dataclass(frozen=True)
class Element:
    """A further element of an obligation: its name, how the library says it, how a draft may say it.

    ``when`` limits it to the prohibition (negative) or the duty (positive) form;
    ``together`` are words that, once one is used, must all be used ("purposes and principles");
    a ``defining`` element must be there (at least narrowed) for a sentence to state the obligation at all.
    """

    name: str
    says: str
    expressions: Phrases
    narrower: Phrases
    together: tuple[Phrase, ...]
    when: str | None
    required: bool
    defining: bool = False

    def applies(self, obligation: Obligation) -> bool:
        """Return True when the element belongs to the obligation's form (its prohibition or its duty)."""
        return self.when is None or self.when == obligation.force.polarity

    def stated(self, keys) -> bool:
        """Return True when ``keys`` state the element, in full or narrowed."""
        return bool(self.expressions.find(keys) or self.narrower.find(keys))


@dataclass(frozen=True)
class Described:
    """One obligation of a provision, as its clause file describes it."""

    name: str
    bound: frozenset[str]
    polarity: str
    action_groups: tuple[frozenset[str], ...]
    narrower_actions: frozenset[str]
    objects: frozenset[str]
    exception: str
    context: Phrases | None
    stated_by: Phrases | None
    elements: tuple[Element, ...]

    @property
    def actions(self) -> frozenset[str]:
        """Return every verb that states the action, in whole or in part."""
        return frozenset().union(*self.action_groups) | self.narrower_actions

    def concerns(self, obligation: Obligation) -> bool:
        """Return True when ``obligation`` states this one's action on its object (in any force)."""
        if obligation.actions[0] not in self.actions:
            return False
        if "any" not in self.objects and obligation.object not in self.objects:
            return False
        keys = obligation.frame_keys
        if any(e.defining and e.applies(obligation) and not e.stated(keys) for e in self.elements):
            return False
        return self.context is None or bool(self.context.find(keys))


@dataclass(frozen=True)
class Provision:
    """The described obligations of one clause, the first the core."""

    clause_id: str
    obligations: tuple[Described, ...]


def _phrases(texts: Iterable[str] | None) -> Phrases:
    return phrases_of(phrase_of(t) for t in texts or ())


def element_of(data: dict) -> Element:
    """Return the element described by ``data`` (valid against the clause schema)."""
    return Element(data["name"], data["says"], _phrases(data.get("expressions")), _phrases(data.get("narrower")),
                   tuple(phrase_of(t) for t in data.get("together", ())), data.get("when"),
                   data.get("required", True), data.get("defining", False))


def described_of(data: dict) -> Described:
    """Return the obligation described by ``data`` (valid against the clause schema)."""
    return Described(
        name=data["name"],
        bound=frozenset(data["bound"]),
        polarity=data["polarity"],
        action_groups=tuple(frozenset(group) for group in data["actions"]),
        narrower_actions=frozenset(data.get("narrower_actions", ())),
        objects=frozenset(data["objects"]),
        exception=data["exception"],
        context=_phrases(data["context"]) if "context" in data else None,
        stated_by=_phrases(data["stated_by"]) if "stated_by" in data else None,
        elements=tuple(element_of(e) for e in data.get("elements", ())),
    )


def provision_of(clause: Clause) -> Provision | None:
    """Return the clause's provision, None when its file describes no obligation."""
    if not clause.obligations:
        return None
    return Provision(clause.id, tuple(described_of(d) for d in clause.obligations))


def provisions_of(library: ClauseLibrary) -> tuple[Provision, ...]:
    """Return the provisions of the library's clauses that describe their obligations, in library order."""
    return tuple(p for c in library.mandatory() if (p := provision_of(c)) is not None)


def library_vocabulary(library: ClauseLibrary) -> Vocabulary:
    """Return the library's obligations.yaml, or the shipped one when the library has none."""
    own = vocabulary_path(library.path)
    return load_vocabulary(own if own.is_file() else vocabulary_path(default_library_dir()))


def provisions_reader(library: ClauseLibrary, vocabulary: Vocabulary | None = None) -> Reader:
    """Return the reader of every action verb the library's provisions describe."""
    vocabulary = vocabulary if vocabulary is not None else library_vocabulary(library)
    verbs = {verb for p in provisions_of(library) for d in p.obligations for verb in d.actions}
    return reader_for(vocabulary, sorted(verbs))


def vocabulary_file(library: ClauseLibrary) -> Path:
    """Return the obligations.yaml the library's reader uses."""
    own = vocabulary_path(library.path)
    return own if own.is_file() else vocabulary_path(default_library_dir())
