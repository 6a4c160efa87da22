"""`osa check` end to end: exit statuses, reports, annotation, folders, parallel runs."""

from __future__ import annotations

import hashlib
import json
import shutil

import docx
import jsonschema
import pytest

from osa_agreements.cli import main
from osa_agreements.drafting.notes import draft

from .conftest import REPO
from .docx_edits import apply_edits

EXAMPLE = REPO / "examples" / "philippines-2023-coastal-radar.yaml"
SCHEMA = json.loads((REPO / "schemas" / "check-report.schema.json").read_text())
WEAKENED = [{"edit": "replace", "clause": "no-third-party-transfer", "old": "shall not transfer", "new": "should not transfer"},
            {"edit": "delete_clause", "clause": "un-charter-conformity"}]


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    """A folder with both Notes of one programme, and an edited copy of Japan's Note in a subfolder."""
    folder = tmp_path_factory.mktemp("drafts")
    notes = draft(EXAMPLE, out_dir=folder)
    (folder / "received").mkdir()
    edited = apply_edits(notes[0].path, folder / "received" / "edited.docx", WEAKENED)
    return folder, notes[0].path, edited


def run(capsys, *args):
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_clean_draft_passes_with_exit_0(drafts, capsys):
    _, note, _ = drafts
    status, out, _ = run(capsys, "check", note)
    assert status == 0
    assert f"{note}: PASS" in out


def test_weakened_draft_fails_with_exit_1_and_says_what_changed(drafts, capsys):
    _, _, edited = drafts
    status, out, _ = run(capsys, "check", edited)
    assert status == 1
    assert f"{edited}: FAIL" in out
    assert "'shall' weakened to 'should'" in out
    assert "un-charter-conformity" in out and "missing (material)" in out


def test_json_report_validates_against_the_schema(drafts, capsys, library):
    folder, note, edited = drafts
    status, out, _ = run(capsys, "check", folder, "--format", "json", "--programme", EXAMPLE)
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert status == report["exit_status"] == 1
    documents = {d["path"]: d for d in report["documents"]}
    assert documents[str(edited)]["verdict"] == "fail"
    assert documents[str(note)]["verdict"] == "pass"
    assert documents[str(note)]["sha256"] == hashlib.sha256(note.read_bytes()).hexdigest()
    clauses = {c["id"]: c for c in documents[str(edited)]["clauses"]}
    assert clauses["no-third-party-transfer"]["status"] == "modified"
    assert clauses["no-third-party-transfer"]["material"] is True
    assert clauses["no-third-party-transfer"]["location"]["part"] == "document"
    assert clauses["un-charter-conformity"]["location"] is None
    assert {"op": "delete", "text": "shall"} in clauses["no-third-party-transfer"]["diff"]


def test_same_input_gives_the_same_report(drafts, capsys):
    folder, _, _ = drafts
    first = run(capsys, "check", folder, "-f", "json")[1]
    second = run(capsys, "check", folder, "-f", "json", "--jobs", "2")[1]
    assert first == second


def test_folders_are_searched_recursively_and_word_lock_files_skipped(drafts, capsys):
    folder, _, edited = drafts
    (folder / "received" / "~$edited.docx").write_bytes(b"owner file")
    report = json.loads(run(capsys, "check", folder, "-f", "json")[1])
    assert sorted(d["path"] for d in report["documents"]) == sorted(str(p) for p in folder.rglob("*.docx") if not p.name.startswith("~$"))


def test_an_unreadable_file_is_reported_and_the_others_still_checked(drafts, capsys, tmp_path):
    _, note, _ = drafts
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"%PDF-1.7 not a word file")
    status, out, err = run(capsys, "check", note, broken, "-f", "json")
    report = json.loads(out)
    assert status == 2
    verdicts = {d["path"]: d["verdict"] for d in report["documents"]}
    assert verdicts == {str(note): "pass", str(broken): "error"}
    assert "Traceback" not in err


def test_report_written_to_a_file_is_not_overwritten_without_force(drafts, capsys, tmp_path):
    _, note, _ = drafts
    report = tmp_path / "report.txt"
    report.write_text("my notes")
    status, _, err = run(capsys, "check", note, "-o", report)
    assert status == 2 and "already exists" in err and report.read_text() == "my notes"
    assert run(capsys, "check", note, "-o", report, "--force")[0] == 0
    assert "PASS" in report.read_text()


def test_annotate_writes_a_commented_copy_and_leaves_the_draft_untouched(drafts, capsys, tmp_path):
    _, _, edited = drafts
    received = tmp_path / "received.docx"
    shutil.copy(edited, received)
    before = received.read_bytes()
    status, _, err = run(capsys, "check", received, "--annotate", tmp_path / "annotated.docx", "--author", "Legal")
    assert status == 1
    assert received.read_bytes() == before
    comments = [c.text for c in docx.Document(str(tmp_path / "annotated.docx")).comments]
    assert any(c.startswith("Paragraph 9 (No transfer to third parties): 'shall' has been replaced by 'should'")
               for c in comments)
    assert any(c.startswith("The provision 'Conformity with the Charter of the United Nations' does not appear")
               for c in comments)
    assert "annotated copy of" in err and "2 comment(s)" in err  # one finding on the weakened clause, one missing


def test_annotate_with_several_drafts_names_a_folder(drafts, capsys, tmp_path):
    folder, _, _ = drafts
    status, _, err = run(capsys, "check", folder, "--annotate", tmp_path / "a.docx", "--author", "Legal")
    assert status == 2 and "with several drafts --annotate names a folder" in err


def test_a_folder_without_drafts_is_a_clear_error(capsys, tmp_path):
    status, _, err = run(capsys, "check", tmp_path)
    assert status == 2 and "no .docx drafts found" in err


def test_programme_values_must_match_when_a_programme_is_given(drafts, capsys):
    _, note, _ = drafts
    other = REPO / "examples" / "fiji-2023-patrol-boats.yaml"
    status, out, _ = run(capsys, "check", note, "--programme", other, "-f", "json")
    report = json.loads(out)
    assert status == 1
    assert report["documents"][0]["verdict"] == "fail"
