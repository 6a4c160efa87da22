"""osa library list | show | validate | new | diff: what a maintainer sees, and every mistake caught."""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
import subprocess

import click
import pytest
import yaml

from osa_agreements.cli import main
from osa_agreements.cli.commands import cli
from osa_agreements.errors import LibraryError
from osa_agreements.library.diff import diff_libraries, word_diff
from osa_agreements.library.upkeep import new_clause, validate_library
from osa_agreements.files.json_schemas import load_schema

from .conftest import REPO

MISTAKES = yaml.safe_load((REPO / "tests" / "data" / "library_mistakes.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def library_copy(tmp_path):
    """Return a copy of the shipped clause library that a test may break."""
    target = tmp_path / "clause_library"
    shutil.copytree(REPO / "clause_library", target)
    return target


def osa(capsys, *argv) -> tuple[int, str, str]:
    """Run ``osa argv``; return the exit status, standard output and standard error."""
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def make_mistake(library, case: dict) -> None:
    path = library / case["file"]
    if case.get("delete"):
        path.unlink()
    elif "copy_to" in case:
        shutil.copy(path, library / case["copy_to"])
    elif "append" in case:
        path.write_text(path.read_text(encoding="utf-8") + case["append"], encoding="utf-8")
    else:
        old, new = case["replace"]
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{case['id']}: {old!r} not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_library_validates(capsys, library):
    status, out, err = osa(capsys, "library", "validate")
    assert status == 0 and err == ""
    assert out == f"{library.path}: {len(library.clauses)} clauses, library version {library.version}: no problems\n"


@pytest.mark.parametrize("case", MISTAKES, ids=[c["id"] for c in MISTAKES])
def test_each_library_mistake_gives_one_line_saying_what_to_fix_and_exit_2(library_copy, capsys, case):
    make_mistake(library_copy, case)
    status, out, err = osa(capsys, "library", "validate", library_copy)
    where = library_copy if case.get("where") == "." else library_copy / case.get("where", case["file"])
    assert status == 2 and out == ""
    assert any(f"{where}: {case['expect']}" in line for line in err.splitlines()), err
    assert "Traceback" not in err


def test_every_problem_is_reported_at_once_one_per_line(library_copy, capsys):
    for case in MISTAKES:
        if case["id"] in {"mandatory-clause-missing", "wrong-type", "unknown-field-names-the-allowed-ones"}:
            make_mistake(library_copy, case)
    status, _, err = osa(capsys, "library", "validate", library_copy)
    lines = err.splitlines()
    assert status == 2
    for expected in ("titel: unknown field", "title: is required", "mandatory: must be of type boolean",
                     "mandatory clause un-charter-conformity is missing"):
        assert sum(expected in line for line in lines) == 1, expected
    assert len(lines) == 4 and all(line.startswith(str(library_copy)) for line in lines)


def test_validate_names_a_folder_that_is_not_a_library(tmp_path, capsys):
    status, _, err = osa(capsys, "library", "validate", tmp_path)
    assert status == 2
    assert err == f"{tmp_path}: not a clause library (no library.yaml); give the library folder\n"


def test_basis_message_lists_exactly_the_sections_the_schema_allows():
    basis = load_schema("clause.schema.json")["properties"]["basis"]
    assert basis["x-message"].endswith("one of: " + ", ".join(basis["enum"]))


def test_list_shows_every_clause_in_aligned_columns_mandatory_first(capsys, library):
    status, out, _ = osa(capsys, "library", "list")
    lines = out.splitlines()
    assert status == 0
    assert lines[0] == f"{library.name} {library.version} ({library.path}): {len(library.clauses)} clauses"
    assert len(lines) == 2 + len(library.clauses)
    assert lines[1].split() == ["ID", "VERSION", "MANDATORY", "BASIS", "TITLE"]
    assert lines[2].split()[:4] == ["information-disclosure", "1.0.0", "yes", "3(3)(a)"]
    assert [line.split()[0] for line in lines[2:7]] == [
        "information-disclosure", "monitoring-evaluation", "no-extra-purpose-use",
        "no-third-party-transfer", "un-charter-conformity"]
    assert len({line.index(line.split()[1]) for line in lines[2:]}) == 1
    assert "no-third-party-transfer  1.1.0    yes        3(3)(c)  No transfer to third parties" in lines


def test_show_gives_text_placeholders_alternatives_and_history(capsys):
    status, out, _ = osa(capsys, "library", "show", "entry-into-force")
    assert status == 0
    assert out.startswith("entry-into-force 1.1.0: Closing proposal and entry into force\nmandatory: no    basis: "
                          "Guidelines 3(3)")
    assert "\nText:\n  I have further the honour to propose" in out
    assert "\nPlaceholders: recipient.government\n" in out
    assert "\nApproved alternative wordings:\n  on-notification\n    I have further the honour" in out
    assert "History:\n  1.0.0  2026-11-22  First version.\n  1.1.0  2026-12-02  The formulas" in out


def test_show_says_a_clause_is_only_for_programmes_with_facilities(capsys):
    _, out, _ = osa(capsys, "library", "show", "use-of-facilities")
    assert out.splitlines()[2] == "only in the Notes of programmes that list facilities"
    _, out, _ = osa(capsys, "library", "show", "use-of-grant")
    assert "only in the Notes" not in out


def test_show_lists_sub_paragraphs_as_items(capsys):
    _, out, _ = osa(capsys, "library", "show", "undertakings")
    assert "\n  (a) exempt Japanese nationals" in out and "\n  (d) bear all the expenses" in out


def test_show_of_an_unknown_clause_suggests_the_closest_ids(capsys):
    status, _, err = osa(capsys, "library", "show", "no-third-party")
    assert status == 2
    assert "no clause no-third-party; did you mean no-third-party-transfer? (osa library list" in err


def test_new_clause_skeleton_validates_and_is_listed(library_copy, capsys):
    status, out, _ = osa(capsys, "library", "new", "records-of-products", "--basis", "3(3)(c)",
                         "--title", "Records of the Products", "--library", library_copy)
    path = library_copy / "clauses" / "records-of-products.yaml"
    assert status == 0
    assert out == f"{path}: new clause records-of-products; write its wording, then run osa library validate\n"
    assert validate_library(library_copy).problems == ()
    text = path.read_text(encoding="utf-8")
    assert 'title: "Records of the Products"' in text and 'basis: "3(3)(c)"' in text
    assert f"date: {dt.date.today().isoformat()}" in text
    _, listing, _ = osa(capsys, "library", "list", "--library", library_copy)
    assert "records-of-products" in listing and "18 clauses" in listing


def test_new_clause_title_defaults_from_the_id(library_copy):
    path = new_clause("export-controls", "3(1)", directory=library_copy, today=dt.date(2026, 12, 1))
    assert 'title: "Export controls"' in path.read_text(encoding="utf-8")
    assert validate_library(library_copy).problems == ()


@pytest.mark.parametrize("clause_id,basis,expected", [
    ("consultation", "3(3)", "clause consultation exists already; edit it (raise its version"),
    ("Export_Controls", "3(3)", "Export_Controls: not a clause id; write lower-case words joined by hyphens"),
    ("export-controls", "3(5)", "3(5): not a section of the Implementation Guidelines for OSA; use one of: 1, 2,"),
])
def test_new_refuses_an_existing_id_a_bad_id_and_a_bad_basis(library_copy, capsys, clause_id, basis, expected):
    before = sorted(p.name for p in (library_copy / "clauses").iterdir())
    status, _, err = osa(capsys, "library", "new", clause_id, "--basis", basis, "--library", library_copy)
    assert status == 2 and expected in err
    assert sorted(p.name for p in (library_copy / "clauses").iterdir()) == before


def test_new_refuses_to_overwrite_a_file_of_another_id(library_copy):
    stray = library_copy / "clauses" / "export-controls.yaml"
    stray.write_text("id: something-else\n", encoding="utf-8")
    with pytest.raises(Exception, match="already exists; use --force"):
        new_clause("export-controls", "3(1)", directory=library_copy)
    assert stray.read_text(encoding="utf-8") == "id: something-else\n"


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("shall not transfer the Products", "shall not sell the Products") == (
        "shall not [-transfer-] {+sell+} the Products")
    assert word_diff("a b", "a b c") == "a b {+c+}"


def test_word_diff_shortens_long_unchanged_stretches():
    old = " ".join(f"w{i}" for i in range(40))
    diff = word_diff(old, old.replace("w20", "changed"))
    assert diff == "... w14 w15 w16 w17 w18 w19 [-w20-] {+changed+} w21 w22 w23 w24 w25 w26 ..."


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_diff_of_two_folders_lists_clause_changes_with_a_word_diff(library_copy, capsys):
    edit(library_copy / "clauses" / "consultation.yaml", "shall consult with each other", "shall promptly consult")
    (library_copy / "clauses" / "opening.yaml").unlink()
    new_clause("export-controls", "3(1)", directory=library_copy, today=dt.date(2026, 12, 1))
    status, out, err = osa(capsys, "library", "diff", REPO / "clause_library", library_copy)
    assert status == 0
    assert out.splitlines()[0] == (f"clause library 1.1.0 ({REPO / 'clause_library'}) -> 1.1.0 ({library_copy}): "
                                   "1 added, 1 changed, 1 removed")
    assert "~ consultation 1.1.0 -> 1.1.0  Consultation" in out
    assert "    text: The two Governments shall {+promptly+} consult [-with each other-] in respect of any" in out
    assert "+ export-controls 1.0.0  Export controls" in out
    assert "- opening 1.1.0  Opening of Japan's Note" in out
    assert "consultation changed since" in err and "but its version is 1.1.0; raise it (e.g. to 1.2.0)" in err


def test_diff_check_refuses_a_release_until_versions_are_raised(library_copy, capsys):
    clause = library_copy / "clauses" / "consultation.yaml"
    edit(clause, "shall consult with each other", "shall promptly consult")
    status, _, err = osa(capsys, "library", "diff", REPO / "clause_library", library_copy, "--check")
    assert status == 2
    assert f"{clause}: version: consultation changed since {REPO / 'clause_library'} (text) but its version" in err
    assert f"{library_copy / 'library.yaml'}: version: 1 clause(s) changed since" in err
    edit(clause, "version: 1.1.0", "version: 1.2.0")
    clause.write_text(clause.read_text() + "  - version: 1.2.0\n    date: 2026-12-03\n    reason: Prompt.\n")
    meta = library_copy / "library.yaml"
    edit(meta, "version: 1.1.0\nhistory", "version: 1.2.0\nhistory")
    meta.write_text(meta.read_text() + "  - version: 1.2.0\n    date: 2026-12-03\n    reason: Prompt consultation.\n")
    status, out, err = osa(capsys, "library", "diff", REPO / "clause_library", library_copy, "--check")
    assert (status, err) == (0, ""), err
    assert "    history: 1.2.0 (2026-12-03): Prompt." in out


def test_diff_check_reports_problems_of_the_new_library(library_copy, capsys):
    make_mistake(library_copy, next(c for c in MISTAKES if c["id"] == "variant-drops-an-essential-term"))
    status, _, err = osa(capsys, "library", "diff", REPO / "clause_library", library_copy, "--check")
    assert status == 2 and "essential term 'prior consent of the Government of Japan' is missing" in err


def git(folder, command: str) -> str:
    done = subprocess.run(["git", *shlex.split(command)], cwd=folder, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture
def repository(tmp_path, monkeypatch):
    """Return a git repository whose first commit holds the shipped library; the test runs inside it."""
    for name in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(name, "Maintainer")
    for name in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(name, "maintainer@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    shutil.copytree(REPO / "clause_library", root / "clause_library")
    git(root, "init --quiet")
    git(root, "add .")
    git(root, "commit --quiet -m First")
    monkeypatch.chdir(root)
    return root


def test_diff_between_git_revisions(repository, capsys):
    edit(repository / "clause_library" / "clauses" / "consultation.yaml", "any matter", "every matter")
    git(repository, "commit --quiet -am Second")
    status, out, _ = osa(capsys, "library", "diff", "HEAD~1", "HEAD")
    assert status == 0
    assert out.splitlines()[0] == ("clause library 1.1.0 (HEAD~1:clause_library) -> 1.1.0 (HEAD:clause_library): "
                                   "0 added, 1 changed, 0 removed")
    assert "[-any-] {+every+}" in out


def test_diff_of_a_revision_against_the_working_folder_names_files_in_the_folder(repository, capsys):
    edit(repository / "clause_library" / "clauses" / "consultation.yaml", "any matter", "every matter")
    status, _, err = osa(capsys, "library", "diff", "HEAD", "clause_library", "--check")
    assert status == 2
    assert "clause_library/clauses/consultation.yaml: version: consultation changed since HEAD:clause_library" in err


def test_diff_names_a_library_elsewhere_in_a_revision_with_rev_colon_path(repository, capsys):
    status, out, _ = osa(capsys, "library", "diff", "HEAD:clause_library", "clause_library")
    assert status == 0 and "0 added, 0 changed, 0 removed" in out
    status, _, err = osa(capsys, "library", "diff", "HEAD:elsewhere", "clause_library")
    assert status == 2 and "HEAD: has no library in elsewhere/; name the folder as HEAD:PATH" in err


def test_diff_of_an_unknown_revision_says_what_to_give(repository, capsys):
    status, _, err = osa(capsys, "library", "diff", "no-such-branch", "clause_library")
    assert status == 2
    assert err.startswith("no-such-branch: not a library folder, nor a revision of the git repository in ")
    assert "give a folder, a release (library-X.Y.Z), or a commit, tag or branch" in err


def test_diff_of_a_release_never_made_names_the_history_to_read(repository, capsys):
    status, _, err = osa(capsys, "library", "diff", "library-9.9.9", "clause_library")
    assert status == 2
    assert err.startswith("library-9.9.9: no commit of ")
    assert err.endswith("released clause library 9.9.9 (clause_library/library.yaml never had that version); "
                        "see its history: git log -- clause_library/library.yaml\n")


def test_a_release_without_its_tag_is_found_in_the_history(repository, capsys):
    """A clone without tags: library-X.Y.Z is the commit that first gave library.yaml that version."""
    edit(repository / "clause_library" / "clauses" / "consultation.yaml", "any matter", "every matter")
    git(repository, "commit --quiet -am Unreleased")
    edit(repository / "clause_library" / "library.yaml", "version: 1.1.0\nhistory", "version: 1.2.0\nhistory")
    git(repository, "commit --quiet -am Release")
    edit(repository / "clause_library" / "clauses" / "consultation.yaml", "every matter", "each matter")
    status, out, _ = osa(capsys, "library", "diff", "library-1.1.0", "library-1.2.0")
    assert status == 0
    assert out.splitlines()[0] == ("clause library 1.1.0 (library-1.1.0:clause_library) -> 1.2.0 "
                                   "(library-1.2.0:clause_library): 0 added, 1 changed, 0 removed")
    assert "[-any-] {+every+} matter" in out and "{+each+}" not in out


def test_diff_outside_a_git_repository_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    status, _, err = osa(capsys, "library", "diff", "HEAD", REPO / "clause_library")
    assert status == 2
    assert err == (f"HEAD: not a library folder, and {tmp_path} is not in a git repository to read it as a "
                   "revision; run the command inside the checkout, or give two library folders\n")


def test_diff_without_changes_says_so(capsys):
    status, out, err = osa(capsys, "library", "diff", REPO / "clause_library", REPO / "clause_library", "--check")
    assert (status, err) == (0, "")
    assert out.endswith(": 0 added, 0 changed, 0 removed\n")


def test_diff_raises_library_error_for_callers_of_the_library(library_copy):
    edit(library_copy / "clauses" / "consultation.yaml", "any matter", "every matter")
    found = diff_libraries(str(REPO / "clause_library"), str(library_copy))
    assert [c.clause_id for c in found.changes] == ["consultation"]
    with pytest.raises(LibraryError):
        found.raise_for_problems()


def test_every_maintenance_command_has_help():
    group = cli.commands["library"]
    commands = [*group.commands.values(), cli.commands["templates"].commands["validate"],
                cli.commands["templates"].commands["preview"]]
    assert {c.name for c in group.commands.values()} == {"list", "show", "validate", "new", "diff"}
    for command in commands:
        assert command.help and len(command.help.split()) > 5, command.name
        for parameter in command.params:
            assert not isinstance(parameter, click.Option) or parameter.help, (command.name, parameter.name)
