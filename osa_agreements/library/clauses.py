"""The clause library: Clause records loaded from YAML, validated against schemas/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from osa_agreements.errors import InputFileError, LibraryError
from osa_agreements.files.resources import data_dir
from osa_agreements.files.json_schemas import load_schema, schema_problems
from osa_agreements.files.yaml_files import YamlDocument, load_yaml

MANDATORY_IDS = (
    "information-disclosure",
    "monitoring-evaluation",
    "no-extra-purpose-use",
    "no-third-party-transfer",
    "un-charter-conformity",
)

FACILITIES = "facilities"
"""The ``when`` of a clause that belongs only in the Notes of programmes listing facilities."""
PROVIDED_PLACEHOLDER = "programme.provided"
"""What a mandatory clause writes for what is provided: the Products, and the Facilities where there are any."""
FACILITIES_DEFINED = re.compile(r"referred to as [\"“]the Facilities[\"”]")

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}")
_TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


@dataclass(frozen=True)
class Placeholder:
    """A programme value inside clause wording, e.g. ``recipient.government``."""

    name: str


@dataclass(frozen=True)
class Wording:
    """One way of saying a clause: its paragraph and sub-paragraphs, with placeholders."""

    text: str
    items: tuple[str, ...] = ()
    variant: str | None = None

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Return the clause's paragraph followed by its sub-paragraphs."""
        return (self.text, *self.items)

    def placeholders(self) -> tuple[str, ...]:
        """Return the placeholder names used, in order of first use."""
        names = (m.group(1) for p in self.paragraphs for m in PLACEHOLDER.finditer(p))
        return tuple(dict.fromkeys(names))

    def render(self, values: dict[str, str]) -> tuple[str, ...]:
        """Return the paragraphs with every placeholder replaced by its value."""
        return tuple(PLACEHOLDER.sub(lambda m: values[m.group(1)], p) for p in self.paragraphs)


@dataclass(frozen=True)
class Clause:
    """A provision of the Exchange of Notes, as kept in ``clause_library/clauses/ID.yaml``."""

    id: str
    title: str
    version: str
    mandatory: bool
    basis: str
    wording: Wording
    alternatives: tuple[Wording, ...] = ()
    essential_terms: tuple[str, ...] = ()
    history: tuple[dict, ...] = ()
    obligations: tuple[dict, ...] = ()
    path: Path | None = None
    documents: tuple[str, ...] = ("note", "reply")
    when: str | None = None
    source: YamlDocument | None = field(default=None, compare=False, repr=False)

    def variant(self, name: str | None) -> Wording:
        """Return the approved wording called ``name``, or the standard wording for None."""
        if name is None:
            return self.wording
        for alternative in self.alternatives:
            if alternative.variant == name:
                return alternative
        known = ", ".join(a.variant for a in self.alternatives) or "none"
        raise KeyError(f"clause {self.id} has no approved alternative '{name}' (approved: {known})")

    @property
    def wordings(self) -> tuple[Wording, ...]:
        """Return the standard wording followed by the approved alternatives."""
        return (self.wording, *self.alternatives)

    def at_line(self, *location) -> str:
        """Return `` (line N)`` for the value at ``location`` in the clause file, or "" when unknown."""
        line = self.source.line_of(location) if self.source is not None else None
        return f" (line {line})" if line else ""


@dataclass(frozen=True)
class ClauseLibrary:
    """All clauses of one library version, by id."""

    name: str
    version: str
    clauses: dict[str, Clause]
    path: Path
    history: tuple[dict, ...] = ()

    def __getitem__(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]

    def for_facilities(self) -> tuple[Clause, ...]:
        """Return the clauses that belong only in the Notes of programmes that list facilities."""
        return tuple(c for c in self.clauses.values() if c.when == FACILITIES)

    def mandatory(self) -> tuple[Clause, ...]:
        """Return the mandatory clauses, in the fixed order of MANDATORY_IDS first."""
        order = {cid: i for i, cid in enumerate(MANDATORY_IDS)}
        chosen = [c for c in self.clauses.values() if c.mandatory]
        return tuple(sorted(chosen, key=lambda c: (order.get(c.id, len(order)), c.id)))


def default_library_dir() -> Path:
    """Return the clause library that ships with the toolkit."""
    return data_dir("clause_library")


def load_library(directory: Path | None = None) -> ClauseLibrary:
    """Return the validated library in ``directory``; raise LibraryError listing every problem."""
    directory = Path(directory) if directory is not None else default_library_dir()
    library, problems = read_library(directory)
    if problems:
        raise LibraryError(f"{directory}: the clause library has {len(problems)} problem(s)", tuple(problems))
    return library


def read_library(directory: Path) -> tuple[ClauseLibrary, list[str]]:
    """Return the library in ``directory`` as far as it loads, and one line per problem."""
    if not (directory / "library.yaml").is_file():
        raise LibraryError(f"{directory}: not a clause library (no library.yaml); give the library folder")
    problems: list[str] = []
    meta_document = _load_checked(directory / "library.yaml", "library.schema.json", problems)
    meta = meta_document.data if meta_document is not None else {}
    if meta_document is not None:
        problems += history_problems(meta_document, meta["version"], "raise the library's version")
    clauses = _load_clauses(directory / "clauses", problems)
    problems += library_problems(clauses, directory)
    library = ClauseLibrary(
        name=str(meta.get("name", directory.name)),
        version=str(meta.get("version", "0.0.0")),
        clauses={c.id: c for c in clauses},
        path=directory,
        history=tuple(meta.get("history", ())),
    )
    return library, problems


def _load_checked(path: Path, schema: str, problems: list[str]) -> YamlDocument | None:
    try:
        document = load_yaml(path, "clause file")
    except InputFileError as exc:
        problems.append(exc.message)
        return None
    found = schema_problems(document, schema)
    problems.extend(found)
    return None if found else document


def _load_clauses(directory: Path, problems: list[str]) -> list[Clause]:
    clauses = []
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else ():
        document = _load_checked(path, "clause.schema.json", problems)
        if document is not None:
            clauses.append(_clause_from(document.data, path, document))
    if not clauses and not problems:
        problems.append(f"{directory}: no clause files (*.yaml); the library needs its clauses")
    return clauses


def _clause_from(data: dict, path: Path, source: YamlDocument | None = None) -> Clause:
    alternatives = tuple(
        Wording(a["text"], tuple(a.get("items", ())), a["id"]) for a in data.get("alternatives", ())
    )
    return Clause(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        mandatory=data["mandatory"],
        basis=data["basis"],
        wording=Wording(data["text"], tuple(data.get("items", ()))),
        alternatives=alternatives,
        essential_terms=tuple(data.get("essential_terms", ())),
        history=tuple(data["history"]),
        obligations=tuple(data.get("obligations", ())),
        path=path,
        source=source,
        documents=tuple(data.get("documents", ("note", "reply"))),
        when=data.get("when"),
    )


def library_problems(clauses: list[Clause], directory: Path) -> list[str]:
    """Return the problems a schema cannot see: ids, mandatory set, placeholders, terms, history."""
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for clause in clauses:
        if clause.id in seen:
            problems.append(f"{clause.path}: id: {clause.id}{clause.at_line('id')} is already the id of "
                            f"{seen[clause.id]}; give each clause its own id")
        seen.setdefault(clause.id, clause.path)
        problems += clause_problems(clause)
    for clause_id in MANDATORY_IDS:
        if clause_id not in seen:
            problems.append(f"{directory}: mandatory clause {clause_id} is missing; add clauses/{clause_id}.yaml")
        elif not (clause := next(c for c in clauses if c.id == clause_id)).mandatory:
            problems.append(f"{seen[clause_id]}: mandatory: {clause_id} must be mandatory: true"
                            f"{clause.at_line('mandatory')}; Guidelines 3(3) require it in every agreement")
    return problems + facilities_problems(clauses, directory)


def facilities_problems(clauses: list[Clause], directory: Path) -> list[str]:
    """Return the problems that keep the Notes of a programme with facilities from covering them.

    Some clause with ``when: facilities`` must define “the Facilities”; every mandatory
    clause speaks of what is provided as {{ programme.provided }}, which is the
    Products, or the Products and the Facilities.
    """
    problems = []
    defining = [c for c in clauses if c.when == FACILITIES and all(_defines_facilities(w) for w in c.wordings)]
    if clauses and not defining:
        problems.append(f"{directory}: no clause defines the Facilities; add a clause with when: facilities whose "
                        "text defines them (hereinafter referred to as “the Facilities”)")
    for clause in (c for c in clauses if c.mandatory):
        if clause.when is not None:
            problems.append(f"{clause.path}: when: a mandatory clause belongs in every Note{clause.at_line('when')}; "
                            "remove when")
        for wording in clause.wordings:
            if "the products" in " ".join(" ".join(wording.paragraphs).split()).casefold():
                label, location = _wording_location(clause, wording)
                problems.append(f"{clause.path}: {label}: says “the Products”{clause.at_line(*location)}; a mandatory "
                                f"clause writes {{{{ {PROVIDED_PLACEHOLDER} }}}} instead, so that it covers the "
                                "Facilities of a programme that develops infrastructure")
    return problems


def _defines_facilities(wording: Wording) -> bool:
    return any(FACILITIES_DEFINED.search(paragraph) for paragraph in wording.paragraphs)


def clause_problems(clause: Clause) -> list[str]:
    """Return the problems of one clause that its schema cannot express."""
    where = clause.path
    problems = []
    if where is not None and where.stem != clause.id:
        problems.append(f"{where}: id: {clause.id} differs from the file name{clause.at_line('id')}; "
                        "rename one of them")
    if clause.source is not None:
        problems += history_problems(clause.source, clause.version, "raise the clause's version")
    elif clause.history and clause.history[-1]["version"] != clause.version:
        problems.append(f"{where}: history: the last entry must be for version {clause.version}")
    known = set(load_schema("programme.schema.json")["x-placeholders"])
    for wording in clause.wordings:
        problems += _wording_problems(clause, wording, known)
    return problems


def history_problems(document: YamlDocument, version: str, advice: str) -> list[str]:
    """Return the problems of the ``history`` of ``document``: versions must rise, the last be ``version``."""
    history = document.data.get("history") or []
    numbers = [_version_key(entry["version"]) for entry in history]
    problems = []
    if history and history[-1]["version"] != version:
        line = document.line_of(("history", len(history) - 1, "version"))
        problems.append(f"{document.path}: history: the last entry is for version {history[-1]['version']}, "
                        f"not {version}{f' (line {line})' if line else ''}; when you {advice}, "
                        f"add a history entry (version, date, reason) for it")
    for index, (before, after) in enumerate(pairwise(numbers), start=1):
        if after <= before:
            line = document.line_of(("history", index, "version"))
            problems.append(f"{document.path}: history[{index}].version: {history[index]['version']} does not "
                            f"come after {history[index - 1]['version']}{f' (line {line})' if line else ''}; "
                            "list versions oldest first")
    return problems


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _wording_problems(clause: Clause, wording: Wording, known: set[str]) -> list[str]:
    label, location = _wording_location(clause, wording)
    where = f"{clause.path}: {label}"
    line = clause.at_line(*location)
    problems = [
        f"{where}: placeholder {{{{ {name} }}}} is not a programme value{line}; use one of: {', '.join(sorted(known))}"
        for name in wording.placeholders()
        if name not in known
    ]
    for paragraph in wording.paragraphs:
        if _TEMPLATE_SYNTAX.search(PLACEHOLDER.sub("", paragraph)):
            problems.append(f"{where}: only placeholders like {{{{ recipient.government }}}} are allowed, "
                            f"no other template syntax{line}")
    flat = " ".join(" ".join(wording.paragraphs).split()).casefold()
    kind = "an approved alternative" if wording.variant else "the text"
    problems += [
        f"{where}: essential term '{term}' is missing{line}; {kind} of a {'mandatory ' if clause.mandatory else ''}"
        "clause must keep every one of its essential_terms: put it back"
        for term in clause.essential_terms
        if " ".join(term.split()).casefold() not in flat
    ]
    return problems


def _wording_location(clause: Clause, wording: Wording) -> tuple[str, tuple]:
    """Return the field path of ``wording`` for messages and its location in the clause file."""
    if wording.variant is None:
        return "text", ("text",)
    index = next(i for i, a in enumerate(clause.alternatives) if a is wording)
    return f"alternatives.{wording.variant}", ("alternatives", index)
