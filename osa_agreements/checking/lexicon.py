"""The words that change an obligation (clause_library/lexicon.yaml), as token phrases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from osa_agreements.errors import InputFileError, LibraryError
from osa_agreements.library.clauses import ClauseLibrary, default_library_dir
from osa_agreements.files.yaml_files import load_yaml
from osa_agreements.checking.text import tokenise

LEXICON_FILE = "lexicon.yaml"

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Phrases:
    """A list of phrases (token keys), indexed by first word for matching."""

    phrases: tuple[Phrase, ...]
    by_first: Mapping[str, tuple[Phrase, ...]]

    def find(self, keys: Sequence[str]) -> list[tuple[int, Phrase]]:
        """Return (position, phrase) for each phrase in ``keys``, longest first, never overlapping."""
        found, position, by_first = [], 0, self.by_first
        while position < len(keys):
            phrase = next((p for p in by_first.get(keys[position], ())
                           if tuple(keys[position:position + len(p)]) == p), None)
            if phrase is not None:
                found.append((position, phrase))
            position += len(phrase) if phrase else 1
        return found

    def __add__(self, other: Phrases) -> Phrases:
        return phrases_of(self.phrases + other.phrases)


def phrases_of(phrases: Iterable[Phrase]) -> Phrases:
    """Return ``phrases`` sorted longest first and indexed by their first word."""
    ordered = tuple(sorted(set(phrases), key=lambda p: (-len(p), p)))
    index: dict[str, list[Phrase]] = {}
    for phrase in ordered:
        index.setdefault(phrase[0], []).append(phrase)
    return Phrases(ordered, MappingProxyType({k: tuple(v) for k, v in index.items()}))


@dataclass(frozen=True)
class Lexicon:
    """Modal verbs, weakeners, negations and limiting qualifiers, as token keys.

    ``modal_words`` are the modal verbs that are single words (shall, should, may ...);
    ``slot_stoppers`` the words a placeholder value may never hold (they carry the obligation);
    ``limiters`` the qualifiers and weakeners together.
    """

    strong_modals: frozenset[str]
    weak_modals: Phrases
    weakeners: Phrases
    negations: frozenset[str]
    qualifiers: Phrases
    modal_words: frozenset[str]
    slot_stoppers: frozenset[str]
    limiters: Phrases


def lexicon_of(strong: Iterable[str], weak: Iterable[Phrase], weakeners: Iterable[Phrase],
               negations: Iterable[str], qualifiers: Iterable[Phrase]) -> Lexicon:
    """Return a lexicon from its word lists (keys as ``tokenise`` makes them)."""
    strong, negations = frozenset(strong), frozenset(negations)
    weak, weakeners, qualifiers = phrases_of(weak), phrases_of(weakeners), phrases_of(qualifiers)
    modal_words = strong | {p[0] for p in weak.phrases if len(p) == 1}
    return Lexicon(strong, weak, weakeners, negations, qualifiers, modal_words, modal_words | negations,
                   weakeners + qualifiers)


def lexicon_path(library: ClauseLibrary) -> Path:
    """Return the library's lexicon.yaml, or the shipped one when the library has none."""
    own = Path(library.path) / LEXICON_FILE
    return own if own.is_file() else default_library_dir() / LEXICON_FILE


def load_lexicon(path: Path) -> Lexicon:
    """Return the lexicon in ``path``; raise LibraryError when it is not the expected shape."""
    try:
        data = load_yaml(path, "lexicon").data
    except InputFileError as exc:
        raise LibraryError(exc.message) from exc
    modals = _mapping(data, "modals", path)
    return lexicon_of(
        strong=(p[0] for p in _phrases(modals, "strong", path, single=True)),
        weak=_phrases(modals, "weak", path),
        weakeners=_phrases(data, "weakeners", path),
        negations=(p[0] for p in _phrases(data, "negations", path, single=True)),
        qualifiers=_phrases(data, "qualifiers", path),
    )


def _mapping(data, key: str, path: Path) -> dict:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, dict):
        raise LibraryError(f"{path}: {key}: expected a mapping (see the shipped clause_library/{LEXICON_FILE})")
    return value


def _phrases(data: dict, key: str, path: Path, single: bool = False) -> list[Phrase]:
    """Return the list ``data[key]`` as token-key phrases."""
    values = data.get(key) if isinstance(data, dict) else None
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise LibraryError(f"{path}: {key}: expected a list of words or phrases")
    phrases = [tuple(t.key for t in tokenise(v, labels=False)) for v in values]
    if single and any(len(p) != 1 for p in phrases):
        raise LibraryError(f"{path}: {key}: expected single words, one per entry")
    return phrases
