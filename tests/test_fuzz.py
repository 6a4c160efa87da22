"""Fuzzing the reader: whatever bytes arrive, a result or the project's own error, nothing else."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osa_agreements.checking.batch import check_draft
from osa_agreements.errors import DocumentError
from osa_agreements.ooxml.reader import read_document

from .conftest import REPO

EXAMPLE = REPO / "examples" / "fiji-2023-patrol-boats.yaml"
BUDGET = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
XML_NOISE = ["<w:p>", "</w:p>", "<w:r><w:t>", "</w:t></w:r>", "&amp;", "&", "<", "<!DOCTYPE x [<!ENTITY a 'b'>]>",
             "<w:del w:author='x'>", "</w:del>", "<w:ins>", "<w:sdt><w:sdtContent>", "\x00", "]]>", "\u00e9"]


@pytest.fixture(scope="module")
def draft_bytes(tmp_path_factory) -> bytes:
    from osa_agreements.drafting.notes import draft

    folder = tmp_path_factory.mktemp("fuzz")
    return draft(EXAMPLE, ("japan-note",), out_dir=folder)[0].path.read_bytes()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _read_or_refuse(path: Path) -> None:
    try:
        document = read_document(path)
    except DocumentError as error:
        assert str(path) in error.message or path.name in error.message
        return
    assert all(isinstance(b.accepted, str) for b in document.blocks)


@BUDGET
@given(data=st.data())
def test_mutated_docx_bytes_give_a_result_or_a_document_error(draft_bytes, tmp_path, data):
    raw = bytearray(draft_bytes)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.one_of(st.none(), st.integers(0, len(raw))))
    path = tmp_path / "mutated.docx"
    path.write_bytes(bytes(raw[:cut] if cut is not None else raw))
    _read_or_refuse(path)


@BUDGET
@given(data=st.data())
def test_mutated_document_xml_gives_a_result_or_a_document_error(draft_bytes, tmp_path, data):
    members = _members(draft_bytes)
    xml = members["word/document.xml"].decode("utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(xml)))
        end = data.draw(st.integers(start, min(len(xml), start + 400)))
        replacement = data.draw(st.one_of(st.sampled_from(XML_NOISE), st.just(""), st.just(xml[start:end] * 2)))
        xml = xml[:start] + replacement + xml[end:]
    members["word/document.xml"] = xml.encode("utf-8")
    path = tmp_path / "mutated-xml.docx"
    path.write_bytes(_zip(members))
    _read_or_refuse(path)
    report = check_draft(path, _library())
    assert report.verdict in ("pass", "fail", "error")


def _library():
    from osa_agreements.library.clauses import load_library

    return load_library()
