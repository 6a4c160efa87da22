"""The copies a reviewer sends back: every word and comment shows, the agreed wording is restored as tracked changes."""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import zipfile

import pytest
import yaml
from lxml import etree

from osa_agreements import check
from osa_agreements.checking.batch import check_draft
from osa_agreements.cli import main
from osa_agreements.drafting.notes import draft
from osa_agreements.ooxml.reader import read_document

from .conftest import REPO, flat, soffice_convert
from .docx_edits import apply_edits
from tests.ooxml.docx_builders import read_members, rewritten
from .review_edits import reject_changes_of, without_comments

RECEIVED = REPO / "examples" / "received" / "philippines-2023-japan-note-returned.docx"
EXAMPLE = REPO / "examples" / "philippines-2023-coastal-radar.yaml"
CASES = yaml.safe_load((REPO / "tests" / "corpus" / "edits.yaml").read_text(encoding="utf-8"))
FAILING = [c for c in CASES if "expect" in c and any(e["status"] != "present" for e in c["expect"].values())]
WEAKENED = {"edit": "replace", "clause": "no-third-party-transfer", "old": "shall not transfer",
            "new": "should not transfer"}
ELSEWHERE = [  # a weakened clause where it was moved: the restored words go where the clause stands
    {"id": f"weakened-and-{edit['edit']}", "edits": [WEAKENED, edit]} for edit in (
        {"edit": "into_table", "clause": "no-third-party-transfer"},
        {"edit": "into_textbox", "clause": "no-third-party-transfer"},
        {"edit": "merge_with_next", "clause": "no-third-party-transfer"},
        {"edit": "split_paragraph", "clause": "no-third-party-transfer", "at": "whether by sale"},
        {"edit": "move_to_end", "clause": "no-third-party-transfer"})
] + [{"id": "two-weakened-one-deleted", "edits": [
    WEAKENED, {"edit": "replace", "clause": "un-charter-conformity", "old": "shall use", "new": "may use"},
    {"edit": "delete_clause", "clause": "information-disclosure"}]}]
AUTHOR = "Treaty Division, MOFA"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
       "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="module")
def returned_copies(tmp_path_factory):
    """Return the annotated and restored copies of the returned example, written by ``osa check``."""
    out = tmp_path_factory.mktemp("copies")
    status = main(["check", str(RECEIVED), "--annotate", str(out / "annotated.docx"),
                   "--restore", str(out / "restored.docx"), "--author", AUTHOR])
    assert status == 1
    return out / "annotated.docx", out / "restored.docx"


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    return draft(EXAMPLE, ("japan-note",), out_dir=tmp_path_factory.mktemp("original"))[0].path


def _pdf_words(pdf) -> collections.Counter:
    """Return the words on the pages of ``pdf``, as pdftotext reads them."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return collections.Counter(re.findall(r"\w+", done.stdout))


def _odt_paragraphs_and_annotations(odt):
    """Return the text of each ODT paragraph (without its annotations) and (creator, text) of each annotation."""
    with zipfile.ZipFile(odt) as archive:
        root = etree.fromstring(archive.read("content.xml"))
    text = root.find(".//office:text", ODF)
    annotations = [(a.findtext("dc:creator", namespaces=ODF), flat(" ".join(
        "".join(p.itertext()) for p in a.findall("text:p", ODF)))) for a in text.iter(f"{{{ODF['office']}}}annotation")]
    for annotation in list(text.iter(f"{{{ODF['office']}}}annotation")):
        _remove_keeping_tail(annotation)
    tracked = text.find("text:tracked-changes", ODF)
    if tracked is not None:
        _remove_keeping_tail(tracked)
    paragraphs = [flat("".join(p.itertext())) for p in text.iter(f"{{{ODF['text']}}}p")]
    return paragraphs, annotations


def _remove_keeping_tail(element) -> None:
    previous, parent = element.getprevious(), element.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "") + (element.tail or "")
    else:
        parent.text = (parent.text or "") + (element.tail or "")
    parent.remove(element)


def _assert_renders_every_word_and_comment(copy, folder):
    """Convert ``copy`` with LibreOffice to PDF and ODT: its words are on the pages and its comments annotations."""
    document = read_document(copy)
    pdf = soffice_convert([copy], "pdf", folder)[0]
    odt = soffice_convert([copy], "odt", folder)[0]
    missing = collections.Counter(w for b in document.blocks for w in re.findall(r"\w+", b.accepted)) - _pdf_words(pdf)
    assert not missing, f"words not on the page: {sorted(missing)[:20]}"
    paragraphs, annotations = _odt_paragraphs_and_annotations(odt)
    shown = " ".join(paragraphs)
    for block in (b for b in document.blocks if b.part == "document" and b.accepted.strip()):
        assert flat(block.accepted) in shown, block.accepted
    assert sorted(annotations) == sorted((c.author, flat(c.text)) for c in document.comments)
    return document


def test_annotated_copy_shows_every_word_and_comment_in_libreoffice(returned_copies, tmp_path):
    document = _assert_renders_every_word_and_comment(returned_copies[0], tmp_path)
    ours = [c.text for c in document.comments if c.author == AUTHOR]
    assert any(t.startswith("Paragraph 7 (Monitoring and evaluation): The qualification") for t in ours)
    assert any(t.startswith("Paragraph 9 (No transfer to third parties): The word 'endeavour'") for t in ours)
    assert any(c.author == "Counterpart Reviewer" for c in document.comments)


def test_restored_copy_shows_every_word_and_comment_in_libreoffice(returned_copies, tmp_path):
    document = _assert_renders_every_word_and_comment(returned_copies[1], tmp_path)
    ours = [c.text for c in document.comments if c.author == AUTHOR]
    for paragraph in ("Paragraph 7 (Monitoring and evaluation)", "Paragraph 9 (No transfer to third parties)"):
        assert f"{paragraph}: we have restored the agreed wording" in " ".join(ours)


def test_comments_speak_to_the_counterpart_with_the_basis_and_the_agreed_wording(returned_copies, library,
                                                                                philippines):
    comments = [c for c in read_document(returned_copies[0]).comments if c.author == AUTHOR]
    agreed = " ".join(library["no-third-party-transfer"].wording.render(philippines.values())[0].split())
    on_transfer = [c.text for c in comments if c.text.startswith("Paragraph 9 (No transfer to third parties): ")]
    assert on_transfer and all(f"We propose to keep the agreed wording: '{agreed}'" in t for t in on_transfer)
    assert all("Implementation Guidelines for OSA, 3(3)(c)" in t for t in on_transfer)
    assert any("The word 'endeavour' has been added, which weakens the obligation" in t for t in on_transfer)
    assert not any("osa check" in c.text or "MATERIAL" in c.text for c in comments)


def _covered_text(copy, comment_text):
    """Return the text between the range start and end of the comment saying ``comment_text``."""
    members = read_members(copy)
    comments = etree.fromstring(members["word/comments.xml"])
    [comment_id] = [c.get(f"{W}id") for c in comments.iter(f"{W}comment") if comment_text in "".join(c.itertext())]
    body = etree.fromstring(members["word/document.xml"])
    inside, words = False, []
    for element in body.iter():
        if element.tag in (f"{W}commentRangeStart", f"{W}commentRangeEnd") and element.get(f"{W}id") == comment_id:
            inside = element.tag.endswith("Start")
        elif inside and element.tag == f"{W}t":
            words.append(element.text or "")
    return "".join(words)


def test_a_comment_is_anchored_on_the_words_it_is_about(returned_copies):
    assert _covered_text(returned_copies[0], "qualification 'to the extent possible'") == ", to the extent possible,"
    assert _covered_text(returned_copies[0], "The word 'endeavour'") == "shall endeavour not to transfer"


def test_comments_are_declared_as_word_requires(returned_copies):
    members = read_members(returned_copies[0])
    types = members["[Content_Types].xml"].decode()
    assert 'PartName="/word/comments.xml"' in types and "wordprocessingml.comments+xml" in types
    assert b"relationships/comments" in members["word/_rels/document.xml.rels"]
    body = etree.fromstring(members["word/document.xml"])
    starts = [e.get(f"{W}id") for e in body.iter(f"{W}commentRangeStart")]
    ends = [e.get(f"{W}id") for e in body.iter(f"{W}commentRangeEnd")]
    references = [e.get(f"{W}id") for e in body.iter(f"{W}commentReference")]
    comments = [e.get(f"{W}id") for e in etree.fromstring(members["word/comments.xml"]).iter(f"{W}comment")]
    assert sorted(starts) == sorted(ends) == sorted(references) == sorted(comments)
    for reference in body.iter(f"{W}commentReference"):
        assert reference.getparent().tag == f"{W}r"


def _changes(path):
    """Return (kind, id, author, date, text) of every tracked insertion and deletion of the main document."""
    body = etree.fromstring(read_members(path)["word/document.xml"])
    return {(e.tag, e.get(f"{W}id"), e.get(f"{W}author"), e.get(f"{W}date"), "".join(e.itertext()))
            for e in body.iter(f"{W}ins", f"{W}del")}


def test_the_received_comments_and_tracked_changes_stay_with_their_authors(returned_copies):
    theirs = _changes(RECEIVED)
    assert theirs
    for copy in returned_copies:
        assert {c[:4] for c in theirs} <= {c[:4] for c in _changes(copy)}
        assert ("Counterpart Reviewer", "Our Ministry of Defence asks for more flexibility on transfers.") in [
            (c.author, c.text) for c in read_document(copy).comments]


@pytest.mark.parametrize("case", FAILING + ELSEWHERE, ids=[c["id"] for c in FAILING + ELSEWHERE])
def test_restored_copy_passes_when_accepted_and_is_the_received_text_when_our_changes_are_rejected(
        case, original, tmp_path):
    received = apply_edits(original, tmp_path / "received.docx", case["edits"])
    restored = tmp_path / "restored.docx"
    run = check([received], restore=restored, author=AUTHOR)
    assert run.reports[0].verdict == "fail" and restored.exists()
    assert check([restored]).reports[0].verdict == "pass"  # the check judges the text with every change accepted
    rejected = reject_changes_of(restored, tmp_path / "rejected.docx", AUTHOR)
    assert read_document(rejected).blocks == read_document(received).blocks


def test_missing_clauses_side_by_side_come_back_in_the_template_order(original, tmp_path):
    received = apply_edits(original, tmp_path / "received.docx",
                           [{"edit": "delete_clause", "clause": "no-extra-purpose-use"},
                            {"edit": "delete_clause", "clause": "no-third-party-transfer"}])
    restored = tmp_path / "restored.docx"
    check([received], restore=restored, author=AUTHOR)
    report = check([restored]).reports[0]
    numbers = {r.id: r.location.number for r in report.clauses}
    assert report.verdict == "pass"
    assert [numbers[c] for c in ("monitoring-evaluation", "no-extra-purpose-use", "no-third-party-transfer",
                                 "un-charter-conformity")] == ["7.", "8.", "9.", "10."]


def test_a_missing_clause_is_inserted_numbered_at_its_place_in_the_template(original, tmp_path):
    received = apply_edits(original, tmp_path / "received.docx",
                           [{"edit": "delete_clause", "clause": "no-third-party-transfer"}])
    restored = tmp_path / "restored.docx"
    check([received], restore=restored, author=AUTHOR)
    places = {r.id: r.location for r in check([restored]).reports[0].clauses}
    assert places["no-third-party-transfer"].number == "9."
    assert (places["no-extra-purpose-use"].number, places["un-charter-conformity"].number) == ("8.", "10.")
    [inserted] = [r for b in read_document(restored).blocks for r in b.revisions if r.kind == "insert"]
    assert inserted.author == AUTHOR


def _python_with_uno():
    for python in ("/usr/bin/python3", shutil.which("python3")):
        if python and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0:
            return python
    return None


def test_accepting_every_change_in_libreoffice_gives_a_draft_that_passes(returned_copies, tmp_path):
    python = _python_with_uno()
    if shutil.which("soffice") is None or python is None:
        pytest.skip("LibreOffice with its Python bridge (python3-uno) is not installed")
    # libreoffice-writer-nogui has no comment window and stops on a view with comments: hide the comments.
    given = without_comments(returned_copies[1], tmp_path / "restored.docx")
    accepted = tmp_path / "accepted.docx"
    subprocess.run([python, str(REPO / "tests" / "libreoffice_accept.py"), "accept", str(given), str(accepted),
                    str(tmp_path / "profile")], check=True, capture_output=True, timeout=300)
    report = check_draft(accepted, _library())
    assert report.verdict == "pass", [(c.id, c.status) for c in report.clauses if c.status != "present"]
    assert [c.location.number for c in report.clauses if c.mandatory] == ["6.", "7.", "8.", "9.", "10."]
    assert not [r for b in read_document(accepted).blocks for r in b.revisions]


def _library():
    from osa_agreements.library.clauses import load_library

    return load_library()


# -- the command: one draft or several, outputs checked first -------------------------------


def test_several_drafts_get_a_folder_with_a_copy_of_each_that_does_not_pass(original, tmp_path, capsys):
    shutil.copy(RECEIVED, tmp_path / "returned.docx")
    shutil.copy(original, tmp_path / "clean.docx")
    status = main(["check", str(tmp_path / "returned.docx"), str(tmp_path / "clean.docx"),
                   "--annotate", str(tmp_path / "review" / "annotated"), "--restore", str(tmp_path / "review"),
                   "--author", AUTHOR, "--jobs", "2"])
    assert status == 1
    assert sorted(p.name for p in (tmp_path / "review").rglob("*.docx")) == [
        "returned-annotated.docx", "returned-restored.docx"]
    assert (tmp_path / "review" / "annotated" / "returned-annotated.docx").exists()
    assert "returned-restored.docx: restored copy of" in capsys.readouterr().err


def test_a_draft_that_passes_gets_no_copy_and_says_so(original, tmp_path, capsys):
    assert main(["check", str(original), "--restore", str(tmp_path / "r.docx"), "--author", AUTHOR]) == 0
    assert not (tmp_path / "r.docx").exists()
    assert f"{original}: passes; no copy to send back" in capsys.readouterr().err


def test_one_draft_gets_a_file_in_a_folder_made_for_it(tmp_path, capsys):
    target = tmp_path / "new" / "deeper" / "copy.docx"
    assert main(["check", str(RECEIVED), "--annotate", str(target), "--author", AUTHOR]) == 1
    assert target.exists()


def test_outputs_are_refused_before_any_draft_is_checked(tmp_path, capsys):
    existing = tmp_path / "copy.docx"
    existing.write_bytes(b"keep")
    assert main(["check", str(RECEIVED), "--restore", str(existing), "--author", AUTHOR]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == f"{existing}: already exists; use --force to overwrite it"
    assert existing.read_bytes() == b"keep"
    assert main(["check", str(RECEIVED), "--annotate", str(tmp_path / "copy.doc"), "--author", AUTHOR]) == 2
    assert "give a name ending in .docx" in capsys.readouterr().err


def test_a_copy_never_replaces_a_draft(tmp_path, capsys):
    shutil.copy(RECEIVED, tmp_path / "returned.docx")
    draft_path = tmp_path / "returned.docx"
    assert main(["check", str(draft_path), "--annotate", str(draft_path), "--author", AUTHOR, "--force"]) == 2
    assert "is a draft being checked" in capsys.readouterr().err
    assert draft_path.read_bytes() == RECEIVED.read_bytes()


def test_the_author_comes_from_the_option_or_the_environment_never_the_tool(returned_copies, tmp_path, capsys,
                                                                          monkeypatch):
    monkeypatch.delenv("OSA_AUTHOR", raising=False)
    monkeypatch.delenv("OSA_INITIALS", raising=False)
    assert main(["check", str(RECEIVED), "--annotate", str(tmp_path / "a.docx")]) == 2
    assert "give --author NAME or set OSA_AUTHOR" in capsys.readouterr().err
    monkeypatch.setenv("OSA_AUTHOR", "Legal Affairs Division")
    monkeypatch.setenv("OSA_INITIALS", "LAD")
    assert main(["check", str(RECEIVED), "--annotate", str(tmp_path / "a.docx")]) == 1
    comments = read_members(tmp_path / "a.docx")["word/comments.xml"].decode()
    ours = [c for c in read_document(returned_copies[0]).comments if c.author == AUTHOR]
    assert comments.count('w:author="Legal Affairs Division"') == len(ours) and 'w:initials="LAD"' in comments
    assert "osa check" not in comments


def test_copies_are_made_from_the_draft_opened_under_the_given_limits(returned_copies, tmp_path, capsys):
    padding = {f"customXml/padding{n}.xml": b"<a/>" for n in range(2100)}
    crowded = rewritten(RECEIVED, tmp_path, padding, name="crowded.docx")
    assert main(["check", str(crowded), "--annotate", str(tmp_path / "a.docx"), "--author", AUTHOR]) == 2
    assert not (tmp_path / "a.docx").exists()
    assert main(["check", str(crowded), "--limit", "members=3000", "--annotate", str(tmp_path / "a.docx"),
                 "--author", AUTHOR]) == 1
    written = read_document(tmp_path / "a.docx", _limits(3000)).comments
    assert [c.text for c in written] == [c.text for c in read_document(returned_copies[0]).comments]


def _limits(members):
    from osa_agreements.ooxml.package import Limits

    return Limits(max_members=members)


def test_writing_the_copies_does_not_count_the_draft_twice_against_the_limits(tmp_path, capsys):
    document = read_members(RECEIVED)["word/document.xml"].decode()
    padding = "<w:p><w:r><w:t>" + "Annex note. " * 12500 + "</w:t></w:r></w:p>"
    large = document.replace("<w:sectPr", padding + "<w:sectPr", 1).encode()
    draft_path = rewritten(RECEIVED, tmp_path, {"word/document.xml": large}, name="large.docx")
    assert main(["check", str(draft_path), "--limit", "total-mb=1", "--restore", str(tmp_path / "r.docx"),
                 "--author", AUTHOR]) == 1
    assert (tmp_path / "r.docx").exists()


def test_a_weakened_clause_left_in_the_page_header_is_still_reported_after_restoring(original, tmp_path):
    # The header is page furniture: the clause is put back in the body, and the weakened words the
    # header still shows on every page are reported as what they are, a weaker statement of the clause.
    edits = [WEAKENED, {"edit": "into_header", "clause": "no-third-party-transfer"}]
    received = apply_edits(original, tmp_path / "received.docx", edits)
    restored = tmp_path / "restored.docx"
    check([received], restore=restored, author=AUTHOR)
    report = check([restored]).reports[0]
    transfer = next(r for r in report.clauses if r.id == "no-third-party-transfer")
    assert [o.location.part for o in report.overrides] == ["header1"]
    assert any(f.kind == "weakened-elsewhere" and "header1" in f.message for f in transfer.findings)
