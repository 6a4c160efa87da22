"""What changed between two versions of the clause library: ``osa library diff OLD NEW``.

Each side is a library folder or a git revision of the repository the command
runs in (``REV`` means its ``clause_library/``; ``REV:PATH`` another folder).
Changes are listed clause by clause, field by field, as word diffs. The same
comparison says what a release still needs: a clause whose wording changed
must carry a new version, and so must the library.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from osa_agreements.errors import LibraryError
from osa_agreements.library.clauses import Clause, ClauseLibrary, read_library

DEFAULT_LIBRARY_PATH = "clause_library"
RELEASE_NAME = re.compile(r"library-(\d+\.\d+\.\d+)")
"""How a release of the clause library is named (a git tag, or found in the history)."""
_CONTEXT_WORDS = 6


@dataclass(frozen=True)
class FieldChange:
    """One field of a clause that changed (``text``, ``items[1]``, ``alternatives.ID.text`` ...), as a word diff."""

    field: str
    words: str


@dataclass(frozen=True)
class ClauseChange:
    """A clause ``added``, ``removed`` or ``changed`` between two libraries; ``reason`` is its newest history entry."""

    clause_id: str
    kind: str
    title: str
    old_version: str | None = None
    new_version: str | None = None
    reason: str | None = None
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class LibraryDiff:
    """The clause-level changes from library ``old`` to ``new``, and what a release of ``new`` still needs."""

    old: str
    new: str
    old_version: str
    new_version: str
    changes: tuple[ClauseChange, ...]
    problems: tuple[str, ...] = ()

    def raise_for_problems(self) -> None:
        """Raise LibraryError listing what the new library needs before release, when anything."""
        if self.problems:
            raise LibraryError(f"{self.new}: not ready for release", self.problems)


@dataclass(frozen=True)
class _Side:
    """One side of the comparison: the library read, how to name it, and its temporary copy if from git."""

    library: ClauseLibrary
    problems: tuple[str, ...]
    label: str
    temporary: Path | None = None


def diff_libraries(old: str, new: str, repository: Path | None = None) -> LibraryDiff:
    """Return the changes from library ``old`` to ``new`` (folders or git revisions in ``repository``)."""
    repository = Path(repository) if repository is not None else Path.cwd()
    with _read_side(old, repository) as before, _read_side(new, repository) as after:
        changes = compare_libraries(before.library, after.library)
        problems = [*after.problems, *release_problems(before.library, after.library, changes, before.label)]
        problems = [_relabelled(problem, after) for problem in problems]
    return LibraryDiff(before.label, after.label, before.library.version, after.library.version,
                       changes, tuple(problems))


def compare_libraries(old: ClauseLibrary, new: ClauseLibrary) -> tuple[ClauseChange, ...]:
    """Return the clauses added, changed and removed from ``old`` to ``new``, by id."""
    changes = []
    for clause_id in sorted(set(old.clauses) | set(new.clauses)):
        before, after = old.clauses.get(clause_id), new.clauses.get(clause_id)
        if before is None:
            changes.append(ClauseChange(clause_id, "added", after.title, None, after.version, _reason(after)))
        elif after is None:
            changes.append(ClauseChange(clause_id, "removed", before.title, before.version))
        else:
            fields = clause_field_changes(before, after)
            if fields or before.version != after.version:
                changes.append(ClauseChange(clause_id, "changed", after.title, before.version, after.version,
                                            _reason(after), fields))
    return tuple(changes)


def _reason(clause: Clause) -> str | None:
    entry = clause.history[-1] if clause.history else None
    return f"{entry['version']} ({entry['date']}): {entry['reason']}" if entry else None


def clause_field_changes(old: Clause, new: Clause) -> tuple[FieldChange, ...]:
    """Return each field of the clause whose content differs, in the order of the clause file."""
    before, after = clause_fields(old), clause_fields(new)
    changes = []
    for name in dict.fromkeys([*before, *after]):
        if before.get(name) != after.get(name):
            changes.append(FieldChange(name, _field_diff(before.get(name), after.get(name))))
    return tuple(changes)


def clause_fields(clause: Clause) -> dict[str, str]:
    """Return the clause's content as ``field path: text`` (versions and history left out)."""
    fields = {"title": clause.title, "mandatory": str(clause.mandatory).lower(), "basis": clause.basis,
              "text": clause.wording.text}
    fields.update({f"items[{i}]": item for i, item in enumerate(clause.wording.items)})
    if clause.essential_terms:
        fields["essential_terms"] = "; ".join(clause.essential_terms)
    for alternative in clause.alternatives:
        fields[f"alternatives.{alternative.variant}.text"] = alternative.text
        fields.update({f"alternatives.{alternative.variant}.items[{i}]": item
                       for i, item in enumerate(alternative.items)})
    return fields


def _field_diff(old: str | None, new: str | None) -> str:
    if old is None:
        return f"(added) {' '.join(new.split())}"
    if new is None:
        return f"(removed) {' '.join(old.split())}"
    return word_diff(old, new)


def word_diff(old: str, new: str) -> str:
    """Return ``new`` against ``old`` word by word: removed words as [-...-], added words as {+...+}."""
    before, after = old.split(), new.split()
    pieces = []
    opcodes = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for position, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            pieces.append(_context(before[i1:i2], first=position == 0, last=position == len(opcodes) - 1))
            continue
        if i2 > i1:
            pieces.append("[-" + " ".join(before[i1:i2]) + "-]")
        if j2 > j1:
            pieces.append("{+" + " ".join(after[j1:j2]) + "+}")
    return " ".join(piece for piece in pieces if piece)


def _context(words: list[str], first: bool, last: bool) -> str:
    """Return unchanged words around a change, long runs shortened to a few words with "..."."""
    keep = _CONTEXT_WORDS
    if len(words) <= 2 * keep + 1:
        return " ".join(words)
    head = [] if first else words[:keep]
    tail = [] if last else words[-keep:]
    return " ".join([*head, "...", *tail])


def release_problems(old: ClauseLibrary, new: ClauseLibrary, changes: tuple[ClauseChange, ...],
                     old_label: str) -> list[str]:
    """Return what ``new`` needs before it can be released: new clause versions, a new library version."""
    problems = []
    for change in changes:
        if change.kind == "changed" and change.fields:
            problems += _version_problem(new[change.clause_id], change, old_label)
    if changes and _key(new.version) <= _key(old.version):
        problems.append(f"{new.path / 'library.yaml'}: version: {len(changes)} clause(s) changed since "
                        f"{old_label} but the library version is still {new.version}; raise it "
                        f"(e.g. to {_next(old.version)}) and add a history entry for it")
    return problems


def _version_problem(clause: Clause, change: ClauseChange, old_label: str) -> list[str]:
    if _key(change.new_version) > _key(change.old_version):
        return []
    fields = ", ".join(f.field for f in change.fields)
    return [(f"{clause.path}: version: {clause.id} changed since {old_label} ({fields}) but its version is "
             f"{change.new_version}; raise it (e.g. to {_next(change.old_version)}) and add a history entry "
             "saying why")]


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _next(version: str) -> str:
    major, minor, _ = _key(version)
    return f"{major}.{minor + 1}.0"


def _relabelled(problem: str, side: _Side) -> str:
    return problem.replace(str(side.temporary), side.label) if side.temporary is not None else problem


@contextmanager
def _read_side(spec: str, repository: Path) -> Iterator[_Side]:
    """Yield the library named by ``spec``: a library folder, or ``REV[:PATH]`` of the git repository."""
    folder = Path(spec)
    if folder.is_dir():
        folder = _library_in(folder)
        library, problems = read_library(folder)
        yield _Side(library, tuple(problems), spec)
        return
    revision, _, inside = spec.partition(":")
    inside = inside.strip("/") or DEFAULT_LIBRARY_PATH
    with tempfile.TemporaryDirectory(prefix="osa-library-") as temporary:
        _export(repository, revision, inside, Path(temporary))
        library, problems = read_library(Path(temporary))
        yield _Side(library, tuple(problems), f"{revision}:{inside}", Path(temporary))


def _library_in(folder: Path) -> Path:
    """Return ``folder``, or its ``clause_library`` when given the top of a checkout."""
    inner = folder / DEFAULT_LIBRARY_PATH
    if not (folder / "library.yaml").is_file() and (inner / "library.yaml").is_file():
        return inner
    return folder


def _export(repository: Path, revision: str, inside: str, target: Path) -> None:
    """Write the library files of ``revision:inside`` into ``target``."""
    outside = (f"{revision}: not a library folder, and {repository} is not in a git repository to read it as "
               "a revision; run the command inside the checkout, or give two library folders")
    root = Path(_git(repository, outside, "rev-parse", "--show-toplevel").decode().strip())
    unknown = (f"{revision}: not a library folder, nor a revision of the git repository in {root}; give a "
               "folder, a release (library-X.Y.Z), or a commit, tag or branch (git log --oneline, git tag)")
    revision = _release_commit(root, revision, inside) or revision
    _git(root, unknown, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    listing = _git(root, unknown, "ls-tree", "-r", "-z", "--name-only", revision, "--", inside).decode()
    names = [name for name in listing.split("\0") if name.endswith(".yaml")]
    if not names:
        raise LibraryError(f"{revision}: has no library in {inside}/; name the folder as {revision}:PATH")
    for name in names:
        destination = target / Path(name).relative_to(inside)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(_git(root, unknown, "show", f"{revision}:{name}"))


def _release_commit(root: Path, revision: str, inside: str) -> str | None:
    """Return the commit of release ``library-X.Y.Z``, when ``revision`` names one and no tag of that name exists.

    A release is the commit that first gave ``inside/library.yaml`` that version (the
    guide raises the version in the release commit), so a clone that did not bring
    the release tags still finds every release in its history.
    """
    release = RELEASE_NAME.fullmatch(revision)
    if release is None or _is_revision(root, revision):
        return None
    failure = f"{revision}: cannot read the history of {inside}/library.yaml in {root}"
    commits = _git(root, failure, "log", "--reverse", "--format=%H", "--", f"{inside}/library.yaml").decode().split()
    for commit in commits:
        if _library_version_at(root, commit, inside) == release.group(1):
            return commit
    raise LibraryError(f"{revision}: no commit of {root} released clause library {release.group(1)} "
                       f"({inside}/library.yaml never had that version); see its history: "
                       f"git log -- {inside}/library.yaml")


def _is_revision(root: Path, revision: str) -> bool:
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], cwd=root,
                          capture_output=True, timeout=60, check=False)
    return done.returncode == 0


def _library_version_at(root: Path, commit: str, inside: str) -> str | None:
    """Return the version ``inside/library.yaml`` states at ``commit``, or None when it cannot be read."""
    import yaml

    text = _git(root, f"{commit}: cannot read {inside}/library.yaml", "show", f"{commit}:{inside}/library.yaml")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return str(data.get("version")) if isinstance(data, dict) else None


def _git(repository: Path, failure: str, *arguments: str) -> bytes:
    """Return the output of ``git arguments`` run in ``repository``; raise LibraryError(``failure``) if it fails."""
    try:
        done = subprocess.run(["git", *arguments], cwd=repository, capture_output=True, timeout=60, check=False)
    except FileNotFoundError as exc:
        raise LibraryError(f"{failure.split(':')[0]}: not a library folder, and git is not installed to read it "
                           "as a revision; give two library folders") from exc
    if done.returncode != 0:
        raise LibraryError(failure)
    return done.stdout
