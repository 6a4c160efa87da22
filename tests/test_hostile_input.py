"""Hostile, broken and huge drafts through `osa check` itself: one clear line, exit 2, nothing touched.

The reader's refusals are tested one by one in tests/ooxml/test_package_safety.py;
here every kind of file goes through the command a reviewer runs, as a real file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from osa_agreements.cli import main
from osa_agreements.ooxml.package import MB
from tests.template_edits import edit_part, workspace
from tests.ooxml.docx_builders import (BILLION_LAUGHS, EXTERNAL_ENTITY, build_docx, paragraph, read_members,
                                      rewritten, zip_members)

REPO = Path(__file__).resolve().parent.parent
OLE = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(500)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_CT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MEMORY_BOUND_MB = 300
"""The peak memory docs/security.md states for checking a 50 MB draft."""


def _valid(folder: Path) -> Path:
    return build_docx(folder / "valid.docx", paragraph("The Government of Japan"))


def _replaced(folder: Path, name: str, changes: dict[str, bytes | None]) -> Path:
    return rewritten(_valid(folder), folder, changes, name)


def _bytes(name: str, data: bytes):
    def build(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name
    return build


def _truncated(folder: Path) -> Path:
    data = _valid(folder).read_bytes()
    (folder / "cut.docx").write_bytes(data[: len(data) // 2])
    return folder / "cut.docx"


def _zip_bomb(folder: Path) -> Path:
    """Return a 300 KB draft whose styles part inflates to 300 MB of zeros."""
    path = folder / "bomb.docx"
    members = read_members(_valid(folder))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name != "word/styles.xml":
                archive.writestr(name, data)
        entry = zipfile.ZipInfo("word/styles.xml")
        entry.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(entry, "w", force_zip64=True) as stream:
            for _ in range(300):
                stream.write(bytes(MB))
    return path


def _deep(folder: Path) -> Path:
    nested = b"<w:sdt><w:sdtContent>" * 300 + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * 300
    document = b'<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (W_NS.encode(), nested)
    return _replaced(folder, "deep.docx", {"word/document.xml": document})


def _wrong_content_type(folder: Path) -> Path:
    members = read_members(_valid(folder))
    types = members["[Content_Types].xml"].replace(DOCUMENT_CT, b"application/xml")
    return _replaced(folder, "types.docx", {"[Content_Types].xml": types})


UNREADABLE = {
    # not a .docx
    "pdf": (_bytes("draft.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "is a PDF"),
    "legacy-doc": (_bytes("draft.doc", OLE + "WordDocument".encode("utf-16-le")), "soffice --headless --convert-to docx"),
    "odt": (_bytes("draft.odt", zip_members({"mimetype": b"application/vnd.oasis.opendocument.text",
                                             "content.xml": b"<office/>"})), "OpenDocument"),
    "text-renamed": (_bytes("notes.docx", b"Dear colleagues,\nplease find attached"), "plain text"),
    "empty": (_bytes("empty.docx", b""), "is empty"),
    # damaged
    "truncated-zip": (_truncated, "cut.docx"),
    "no-main-document": (lambda f: _replaced(f, "hollow.docx", {"word/document.xml": None}), "word/document.xml"),
    "malformed-xml": (lambda f: _replaced(f, "broken.docx", {"word/document.xml": b"<w:document><w:body>"}),
                      "word/document.xml"),
    "wrong-content-type": (_wrong_content_type, "types.docx"),
    "encrypted": (_bytes("locked.docx", OLE + "EncryptionInfo".encode("utf-16-le")), "password-protected"),
    # hostile
    "billion-laughs": (lambda f: _replaced(f, "lol.docx", {"word/document.xml": BILLION_LAUGHS}), "DOCTYPE"),
    "external-entity": (lambda f: _replaced(f, "xxe.docx", {"word/document.xml": EXTERNAL_ENTITY}), "DOCTYPE"),
    "zip-bomb": (_zip_bomb, "max_part_bytes"),
    "deep-nesting": (_deep, "depth limit"),
}


@pytest.mark.parametrize("case", UNREADABLE, ids=list(UNREADABLE))
def test_an_unreadable_draft_gets_one_clear_line_and_exit_2(tmp_path, capsys, case):
    build, expected = UNREADABLE[case]
    path = build(tmp_path)
    before = path.read_bytes()
    started = time.perf_counter()
    status = main(["check", str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert f"{path}: " in out and expected in out
    assert "Traceback" not in out + err
    assert path.read_bytes() == before
    assert time.perf_counter() - started < 10


def test_a_missing_path_and_a_folder_without_drafts_are_named(tmp_path, capsys):
    missing = tmp_path / "nowhere.docx"
    assert main(["check", str(missing)]) == 2
    assert f"{missing}: does not exist" in capsys.readouterr().out
    folder = tmp_path / "empty-folder"
    folder.mkdir()
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert str(folder) in err and "no .docx drafts" in err


def test_an_external_entity_is_never_resolved_nor_fetched(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xml = EXTERNAL_ENTITY.replace(b"file:///etc/passwd", secret.as_uri().encode())
    remote = EXTERNAL_ENTITY.replace(b"file:///etc/passwd", b"http://127.0.0.1:9/osa-never-fetched")
    for name, data in (("local.docx", xml), ("remote.docx", remote)):
        path = _replaced(tmp_path, name, {"word/document.xml": data})
        started = time.perf_counter()
        assert main(["check", str(path), "--format", "json"]) == 2
        out = capsys.readouterr().out
        assert "TOP-SECRET-CONTENT" not in out and "DOCTYPE" in out
        assert time.perf_counter() - started < 5


def test_a_macro_enabled_draft_is_read_and_warned_about(tmp_path, capsys):
    members = read_members(build_docx(tmp_path / "base.docx", paragraph("The Government of Japan")))
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        DOCUMENT_CT, b"application/vnd.ms-word.document.macroEnabled.main+xml")
    members["word/vbaProject.bin"] = OLE
    path = tmp_path / "macros.docm"
    path.write_bytes(zip_members(members))
    status = main(["check", str(path)])
    out = capsys.readouterr().out
    assert status == 1  # read and checked: the five clauses are not in this one-line document
    assert "macro" in out.lower() and "warning" in out.lower()


def test_one_bad_file_does_not_stop_the_others(tmp_path, capsys):
    good = _valid(tmp_path)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"%PDF-1.4")
    assert main(["check", str(tmp_path), "--format", "json"]) == 2
    out = capsys.readouterr().out
    assert f'"path": "{good}"' in out and f'"path": "{bad}"' in out and '"verdict": "fail"' in out


def test_a_million_tiny_runs_are_read_in_bounded_time(tmp_path, capsys):
    runs = "<w:r><w:t>x</w:t></w:r>" * 1_000_000
    split = "".join(f"<w:r><w:t>{c}</w:t></w:r>" for c in "The Government of Japan shall not")
    path = build_docx(tmp_path / "runs.docx", f"<w:p>{split}</w:p><w:p>{runs}</w:p>")
    started = time.perf_counter()
    assert main(["check", str(path), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)["documents"][0]
    assert report["verdict"] == "fail" and report["error"] is None
    assert {c["status"] for c in report["clauses"] if c["mandatory"]} == {"missing"}
    assert time.perf_counter() - started < 60


def test_limits_can_be_set_on_the_command_line(tmp_path, capsys):
    path = build_docx(tmp_path / "long.docx", paragraph("clause") * 2000)
    assert main(["check", str(path), "--limit", "elements=1000"]) == 2
    out = " ".join(capsys.readouterr().out.split())
    assert "max_xml_elements = 1,000" in out and "--limit elements=VALUE" in out
    assert main(["check", str(path), "--limit", "elements=100000", "--limit", "file-mb=1"]) == 1


@pytest.mark.parametrize("setting", ["elements", "bogus=3", "parts=-1", "file-mb=lots"])
def test_a_bad_limit_is_a_usage_error(tmp_path, capsys, setting):
    path = _valid(tmp_path)
    assert main(["check", str(path), "--limit", setting]) == 2
    err = capsys.readouterr().err
    assert "--limit" in err and "Traceback" not in err


def test_a_50_mb_draft_is_checked_within_the_stated_memory_bound(tmp_path):
    base = build_docx(tmp_path / "base.docx", paragraph("The Government of Japan shall") * 20_000)
    path = tmp_path / "large.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in read_members(base).items():
            archive.writestr(name, data)
        archive.writestr("word/media/image1.png", os.urandom(48 * MB), zipfile.ZIP_STORED)
    assert path.stat().st_size > 48 * MB
    # A small fresh process starts the check and reads its peak memory, so that none of
    # this test process's memory is counted in the child before it starts osa.
    measure = ("import os, subprocess, sys; p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL); "
               "_, status, usage = os.wait4(p.pid, 0); print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", measure, sys.executable, "-m", "osa_agreements.cli", "check",
                           str(path), "--format", "json"], cwd=REPO, env=env, capture_output=True, text=True,
                          check=True)
    status, peak_kb = map(int, done.stdout.split())
    assert status == 1 and "Traceback" not in done.stderr
    assert peak_kb / 1024 < MEMORY_BOUND_MB, f"peak RSS {peak_kb / 1024:.0f} MB"


# -- interrupted runs ---------------------------------------------------------------------------


def _started_check(folder: Path, report: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "osa_agreements.cli", "check", str(folder), "-o", str(report),
                             "--force"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def many_drafts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("many")
    note = build_docx(folder / "note-000.docx", paragraph("The Government of Japan shall") * 2000)
    for index in range(1, 60):
        (folder / f"note-{index:03}.docx").write_bytes(note.read_bytes())
    return folder


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "term", "kill"])
def test_an_interrupted_check_leaves_the_old_report_and_no_partial_file(tmp_path, many_drafts, signum):
    report = tmp_path / "report.txt"
    report.write_text("the reviewer's earlier report\n")
    process = _started_check(many_drafts, report)
    time.sleep(1.0)
    assert process.poll() is None, "the check ended before it could be interrupted"
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert report.read_text() == "the reviewer's earlier report\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p != report]
    if signum != signal.SIGKILL:
        assert b"Traceback" not in err and b"no partial file was left behind" in err
        assert leftovers == []
    else:
        assert all(name.startswith(".report.txt.") and name.endswith(".part") for name in leftovers)


# -- hostile templates --------------------------------------------------------------------------


@pytest.mark.parametrize("expression", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch owned') }}",
    "{{ programme._sa_instance_state }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
], ids=["mro", "globals", "private-attribute", "lipsum"])
def test_a_template_reaching_for_python_internals_is_refused(tmp_path, capsys, monkeypatch, expression):
    folder = workspace(tmp_path)
    template = folder / "templates" / "japan-note.docx"

    def add_expression(root):
        body = root.find(f"{{{W_NS}}}body")
        body.insert(0, etree.fromstring(f'<w:p xmlns:w="{W_NS}"><w:r><w:t>{expression}</w:t></w:r></w:p>'))

    edit_part(template, add_expression)
    before = template.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(tmp_path)
    status = main(["draft", str(folder / "examples" / "fiji-2023-patrol-boats.yaml"), "--templates",
                   str(folder / "templates"), "-t", "japan-note", "-d", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and "japan-note" in err and "Traceback" not in err
    assert list(out.iterdir()) == [] and not (tmp_path / "owned").exists()
    assert template.read_bytes() == before
