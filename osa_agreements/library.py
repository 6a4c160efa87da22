"""The clause library: Clause records loaded from YAML, validated against schemas/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputFileError, LibraryError
from .resources import data_dir
from .schemas import load_schema, schema_problems
from .yamlfile import load_yaml

MANDATORY_IDS = (
    "information-disclosure",
    "monitoring-evaluation",
    "no-extra-purpose-use",
    "no-third-party-transfer",
    "un-charter-conformity",
)

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
    path: Path | None = None

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
    meta = _load_checked(directory / "library.yaml", "library.schema.json", problems) or {}
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


def _load_checked(path: Path, schema: str, problems: list[str]):
    try:
        document = load_yaml(path, "clause file")
    except InputFileError as exc:
        problems.append(exc.message)
        return None
    found = schema_problems(document, schema)
    problems.extend(found)
    return None if found else document.data


def _load_clauses(directory: Path, problems: list[str]) -> list[Clause]:
    clauses = []
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else ():
        data = _load_checked(path, "clause.schema.json", problems)
        if data is not None:
            clauses.append(_clause_from(data, path))
    if not clauses and not problems:
        problems.append(f"{directory}: no clause files (*.yaml); the library needs its clauses")
    return clauses


def _clause_from(data: dict, path: Path) -> Clause:
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
        path=path,
    )


def library_problems(clauses: list[Clause], directory: Path) -> list[str]:
    """Return the problems a schema cannot see: ids, mandatory set, placeholders, terms, history."""
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for clause in clauses:
        if clause.id in seen:
            problems.append(f"{clause.path}: id: {clause.id} is also the id of {seen[clause.id]}")
        seen.setdefault(clause.id, clause.path)
        problems += clause_problems(clause)
    for clause_id in MANDATORY_IDS:
        if clause_id not in seen:
            problems.append(f"{directory}: mandatory clause {clause_id} is missing; add clauses/{clause_id}.yaml")
        elif not next(c for c in clauses if c.id == clause_id).mandatory:
            problems.append(f"{seen[clause_id]}: mandatory: {clause_id} must be mandatory: true")
    return problems


def clause_problems(clause: Clause) -> list[str]:
    """Return the problems of one clause that its schema cannot express."""
    where = clause.path
    problems = []
    if where is not None and where.stem != clause.id:
        problems.append(f"{where}: id: {clause.id} differs from the file name; rename one of them")
    if clause.history and clause.history[-1]["version"] != clause.version:
        problems.append(f"{where}: history: the last entry must be for version {clause.version}")
    known = set(load_schema("programme.schema.json")["x-placeholders"])
    for wording in clause.wordings:
        problems += _wording_problems(clause, wording, known)
    return problems


def _wording_problems(clause: Clause, wording: Wording, known: set[str]) -> list[str]:
    label = f"alternatives.{wording.variant}" if wording.variant else "text"
    where = f"{clause.path}: {label}"
    problems = [
        f"{where}: placeholder {{{{ {name} }}}} is not a programme value; use one of: {', '.join(sorted(known))}"
        for name in wording.placeholders()
        if name not in known
    ]
    for paragraph in wording.paragraphs:
        if _TEMPLATE_SYNTAX.search(PLACEHOLDER.sub("", paragraph)):
            problems.append(f"{where}: only placeholders like {{{{ recipient.government }}}} are allowed, no other template syntax")
    flat = " ".join(" ".join(wording.paragraphs).split()).casefold()
    problems += [
        f"{where}: essential term '{term}' is missing; a {'mandatory ' if clause.mandatory else ''}clause's wordings must keep it"
        for term in clause.essential_terms
        if " ".join(term.split()).casefold() not in flat
    ]
    return problems
