"""The words the obligation reader knows (clause_library/obligations.yaml), as token phrases by category."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from osa_agreements.errors import InputFileError, LibraryError
from osa_agreements.files.json_schemas import schema_problems
from osa_agreements.files.yaml_files import load_yaml
from osa_agreements.checking.lexicon import Phrase, Phrases, phrases_of
from osa_agreements.checking.text import tokenise

VOCABULARY_FILE = "obligations.yaml"
SCHEMA = "obligation-lexicon.schema.json"


def key_of(key: str) -> str:
    """Return a token key without a possessive "'s" ("japan's" -> "japan")."""
    return key[:-2] if key.endswith("'s") and len(key) > 2 else key


def phrase_of(text: str) -> Phrase:
    """Return the token keys of ``text`` as the reader matches them."""
    return tuple(key_of(t.key) for t in tokenise(text, labels=False))


@dataclass(frozen=True)
class Labelled:
    """Phrases that each carry a label (a category, a concept, a party), matched longest first."""

    phrases: Phrases
    labels: Mapping[Phrase, str]

    def find(self, keys) -> list[tuple[int, Phrase, str]]:
        """Return (position, phrase, label) for each phrase in ``keys``, longest first, never overlapping."""
        return [(p, phrase, self.labels[phrase]) for p, phrase in self.phrases.find(keys)]


def labelled(groups: Mapping[str, Iterable[str]]) -> Labelled:
    """Return the phrases of ``groups`` ({label: [phrase text]}); a phrase in two groups keeps the first label."""
    labels: dict[Phrase, str] = {}
    for label, texts in groups.items():
        for text in texts:
            labels.setdefault(phrase_of(text), label)
    return Labelled(phrases_of(labels), MappingProxyType(labels))


@dataclass(frozen=True)
class Vocabulary:
    """Everything the reader matches, by category.

    ``markers``: force words labelled binding, ensuring, weak, effort, prohibiting or
    negation; ``limits``: qualifiers (labelled by their category), conditions and time
    limits (labelled ``condition`` and ``time``); ``exception_words``: what an exception
    rests on (consent, consultation, notification, otherwise).
    """

    markers: Labelled
    passive: frozenset[str]
    limits: Labelled
    introducers: Phrases
    exception_words: Labelled
    relatives: frozenset[str]
    pronouns: frozenset[str]
    parties: Labelled
    government_of: Phrases
    objects: Labelled
    scope: Labelled
    irregular: Mapping[str, tuple[str, ...]]


def vocabulary_path(library_dir: Path) -> Path:
    """Return the library's obligations.yaml."""
    return Path(library_dir) / VOCABULARY_FILE


def load_vocabulary(path: Path) -> Vocabulary:
    """Return the vocabulary in ``path``; raise LibraryError naming the file, field and line of a mistake."""
    try:
        document = load_yaml(path, "obligation lexicon")
    except InputFileError as exc:
        raise LibraryError(exc.message) from exc
    problems = schema_problems(document, SCHEMA)
    if problems:
        raise LibraryError(f"{path}: the obligation lexicon has {len(problems)} problem(s)", tuple(problems))
    return vocabulary_of(document.data)


def vocabulary_of(data: dict) -> Vocabulary:
    """Return the vocabulary of the (valid) data of an obligations.yaml."""
    force, exceptions = data["force"], data["exceptions"]
    markers = labelled({**{k: force[k] for k in ("prohibiting", "effort", "binding", "ensuring", "weak")},
                        "negation": data["negations"]})
    limits = labelled({**data["qualifiers"], "condition": data["conditions"], "time": data["time_limits"]})
    return Vocabulary(
        markers=markers,
        passive=frozenset(data["passive_auxiliaries"]),
        limits=limits,
        introducers=phrases_of(phrase_of(t) for t in exceptions["introducers"]),
        exception_words=labelled({k: exceptions[k] for k in ("consent", "consultation", "notification",
                                                              "otherwise")}),
        relatives=frozenset(data["relative_pronouns"]),
        pronouns=frozenset(data["pronouns"]),
        parties=labelled({k: data["parties"][k] for k in ("japan", "both", "recipient")}),
        government_of=phrases_of(phrase_of(t) for t in data["parties"]["government_of"]),
        objects=labelled(data["objects"]),
        scope=labelled(data["scope"]),
        irregular=MappingProxyType({k: tuple(v) for k, v in data.get("irregular_verbs", {}).items()}),
    )
