"""Untrusted files: every bad input is a DocumentError naming the file and saying what to do."""

from __future__ import annotations

import random
import struct
import time
import zipfile

import pytest

from docx_builders import (BILLION_LAUGHS, EXTERNAL_ENTITY, W, Part, build_docx, paragraph, read_members,
                           rewritten, zip_members)
from osa_agreements.errors import DocumentError
from osa_agreements.ooxml.package import MB, Limits, open_package
from osa_agreements.ooxml.reader import read_document

DOCUMENT_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.fixture
def valid(tmp_path):
    return build_docx(tmp_path / "valid.docx", paragraph("The Government of Japan"))


def refusal(path, limits=Limits()):
    """Return the message of the DocumentError that reading ``path`` raises."""
    with pytest.raises(DocumentError) as raised:
        read_document(path, limits)
    message = raised.value.message
    assert path.name in message
    assert "\n" not in message
    return message


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_missing_path(tmp_path):
    assert "does not exist" in refusal(tmp_path / "nowhere.docx")


def test_directory(tmp_path):
    (tmp_path / "folder.docx").mkdir()
    assert "is a directory" in refusal(tmp_path / "folder.docx")


def test_empty_file(tmp_path):
    assert "is empty" in refusal(write(tmp_path, "empty.docx", b""))


def test_pdf_is_named_as_such(tmp_path):
    message = refusal(write(tmp_path, "draft.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"))
    assert message.endswith("draft.pdf: is a PDF, not a Word .docx; ask for the .docx")


def test_legacy_doc_says_how_to_convert(tmp_path):
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(500) + "WordDocument".encode("utf-16-le")
    message = refusal(write(tmp_path, "x.doc", ole))
    assert "legacy Word 97-2003 .doc" in message
    assert "soffice --headless --convert-to docx" in message and message.endswith("x.doc")


def test_password_protected_docx_is_named_as_such(tmp_path):
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(500) + "EncryptionInfo".encode("utf-16-le")
    assert "password-protected" in refusal(write(tmp_path, "locked.docx", ole))


def test_opendocument_text_says_how_to_convert(tmp_path):
    odt = zip_members({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
    message = refusal(write(tmp_path, "draft.odt", odt))
    assert "OpenDocument" in message and "soffice --headless --convert-to docx" in message


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"Dear colleagues,\nplease find attached", "plain text"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "HTML"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b'<?xml version="1.0"?><pkg:package xmlns:pkg="p"/>', "Flat OPC"),
        (bytes(range(256)), "unknown binary"),
    ],
    ids=["text", "html", "rtf", "flat-opc", "binary"],
)
def test_files_that_are_not_zips_are_named(tmp_path, content, kind):
    assert kind in refusal(write(tmp_path, "renamed.docx", content))


def test_truncated_zip(valid, tmp_path):
    data = valid.read_bytes()
    assert "damaged or truncated" in refusal(write(tmp_path, "cut.docx", data[: len(data) // 2]))


def test_corrupt_member_names_the_part(tmp_path):
    path = build_docx(tmp_path / "source.docx", paragraph("x" * 5000))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 40
    data[start : start + 20] = bytes(20)
    message = refusal(write(tmp_path, "corrupt.docx", bytes(data)))
    assert "word/document.xml" in message


def test_missing_main_document(valid, tmp_path):
    assert "has no word/document.xml" in refusal(rewritten(valid, tmp_path, {"word/document.xml": None}))


def test_missing_content_types(valid, tmp_path):
    assert "[Content_Types].xml" in refusal(rewritten(valid, tmp_path, {"[Content_Types].xml": None}))


def test_wrong_content_type_of_main_document(valid, tmp_path):
    types = read_members(valid)["[Content_Types].xml"].replace(DOCUMENT_CT.encode(), b"application/xml")
    assert "not a Word document" in refusal(rewritten(valid, tmp_path, {"[Content_Types].xml": types}))


def test_malformed_xml_names_the_part(valid, tmp_path):
    message = refusal(rewritten(valid, tmp_path, {"word/document.xml": b"<w:document><w:body>"}))
    assert "word/document.xml is not well-formed XML" in message


def test_strict_open_xml_is_refused_with_advice(valid, tmp_path):
    strict = b'<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body/></w:document>'
    assert "Strict Open XML" in refusal(rewritten(valid, tmp_path, {"word/document.xml": strict}))


def test_excel_workbook_is_named(tmp_path):
    xlsx = zip_members({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert "Excel" in refusal(write(tmp_path, "budget.docx", xlsx))


def test_zip_encrypted_member_is_refused(valid, tmp_path):
    data = bytearray(valid.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1
    assert "encrypted" in refusal(write(tmp_path, "zipcrypto.docx", bytes(data)))


def test_duplicate_part_is_refused(valid, tmp_path):
    members = read_members(valid)
    path = tmp_path / "twice.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("word/document.xml", b"<other/>")
    assert "same part twice" in refusal(path)


@pytest.mark.parametrize(
    "xml",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_ENTITY.decode().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16")],
    ids=["billion-laughs", "external-entity", "external-entity-utf16"],
)
def test_entity_declarations_are_refused_unexpanded(valid, tmp_path, xml):
    started = time.perf_counter()
    message = refusal(rewritten(valid, tmp_path, {"word/document.xml": xml}))
    assert "DOCTYPE" in message and "word/document.xml" in message
    assert "root:" not in message
    assert time.perf_counter() - started < 2


def _zeros_member(archive, name, megabytes):
    entry = zipfile.ZipInfo(name)
    entry.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(entry, "w", force_zip64=True) as stream:
        for _ in range(megabytes):
            stream.write(bytes(MB))


def test_zip_bomb_is_refused_quickly(valid, tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in read_members(valid).items():
            archive.writestr(name, data)
        _zeros_member(archive, "word/media/zeros.bin", 300)
    assert path.stat().st_size < 2 * MB
    started = time.perf_counter()
    message = refusal(path)
    assert "max_part_bytes = 100 MB" in message
    assert time.perf_counter() - started < 1


def _lie_about_size(data: bytes, name: bytes, declared: int) -> bytes:
    """Return a zip whose central directory declares ``declared`` bytes for member ``name``."""
    data = bytearray(data)
    central = data.find(b"PK\x01\x02" + data[data.find(b"PK\x01\x02") + 4 : data.find(b"PK\x01\x02") + 4])
    while True:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<I", data, central + 24, declared)
            return bytes(data)
        central = data.find(b"PK\x01\x02", central + 4)


def test_member_inflating_past_its_declared_size_is_refused(valid, tmp_path):
    members = read_members(valid)
    members["word/styles.xml"] = members["word/styles.xml"] + b"<!--" + b" " * (20 * MB) + b"-->"
    data = _lie_about_size(zip_members(members), b"word/styles.xml", 1000)
    assert "word/styles.xml is damaged" in refusal(write(tmp_path, "liar.docx", data))


def test_total_inflated_size_is_bounded_while_reading(valid, tmp_path):
    path = tmp_path / "big.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in read_members(valid).items():
            archive.writestr(name, data)
        _zeros_member(archive, "word/media/a.bin", 3)
        _zeros_member(archive, "word/media/b.bin", 3)
    package = open_package(path, Limits(max_total_bytes=5 * MB))
    package.read_bytes("word/media/a.bin")
    with pytest.raises(DocumentError, match="max_total_bytes = 5 MB"):
        package.read_bytes("word/media/b.bin")


@pytest.mark.parametrize(
    ("limits", "named"),
    [
        (Limits(max_file_bytes=10_000), "max_file_bytes"),
        (Limits(max_members=5), "max_members = 5"),
        (Limits(max_part_bytes=100_000), "max_part_bytes"),
        (Limits(max_xml_elements=500), "max_xml_elements = 500"),
    ],
    ids=["file", "members", "part", "elements"],
)
def test_each_limit_is_named_with_its_value_when_exceeded(tmp_path, limits, named):
    path = build_docx(tmp_path / "long.docx", paragraph("clause") * 1000)
    assert named in refusal(path, limits)


def test_nesting_deeper_than_the_xml_depth_limit_is_refused(valid, tmp_path):
    nested = b"<w:sdt><w:sdtContent>" * 300 + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * 300
    document = b'<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (W.encode(), nested)
    assert "depth limit" in refusal(rewritten(valid, tmp_path, {"word/document.xml": document}))


def test_macro_enabled_document_is_read_with_a_warning(valid, tmp_path):
    macro_ct = b"application/vnd.ms-word.document.macroEnabled.main+xml"
    types = read_members(valid)["[Content_Types].xml"].replace(DOCUMENT_CT.encode(), macro_ct)
    path = rewritten(valid, tmp_path, {"[Content_Types].xml": types, "word/vbaProject.bin": b"\x00binary"}, "draft.docm")
    document = read_document(path)
    assert [block.accepted for block in document.blocks] == ["The Government of Japan"]
    assert len(document.warnings) == 1 and "macro" in document.warnings[0]


def test_package_reports_names_content_types_and_digest(valid):
    package = open_package(valid)
    assert package.main_part == "word/document.xml"
    assert package.content_types["word/document.xml"] == DOCUMENT_CT
    assert "word/styles.xml" in package.names
    assert len(package.sha256) == 64 and package.warnings == ()
    assert package.read_xml("word/absent.xml") is None


def test_any_corruption_gives_a_document_error_or_a_reading(valid, tmp_path):
    original = valid.read_bytes()
    chance = random.Random(20240601)
    unexpected = []
    for attempt in range(150):
        data = bytearray(original)
        for _ in range(chance.randint(1, 8)):
            data[chance.randrange(len(data))] = chance.randrange(256)
        if attempt % 3 == 0:
            data = data[: chance.randrange(len(data))]
        path = write(tmp_path, "fuzzed.docx", bytes(data))
        try:
            read_document(path)
        except DocumentError:
            pass
        except Exception as exc:  # noqa: BLE001 - the point is to catch anything else
            unexpected.append(f"{attempt}: {type(exc).__name__}: {exc}")
    assert unexpected == []


def test_odd_word_xml_never_crashes_the_reader(tmp_path):
    body = (
        "<w:p><w:pPr><w:numPr><w:ilvl w:val='x'/><w:numId w:val=''/></w:numPr></w:pPr>"
        "<w:r><w:sym/><w:fldChar/><w:fldChar w:fldCharType='end'/><w:t/></w:r></w:p>"
        "<w:tbl><w:tr><w:tc/></w:tr></w:tbl><w:sdt/><mc:AlternateContent/>"
        "<w:p><w:pPr><w:numPr><w:ilvl w:val='99'/><w:numId w:val='1'/></w:numPr></w:pPr></w:p>"
        "<w:p><w:pPr><w:rPr><w:del/></w:rPr></w:pPr></w:p>"
    )
    odd_numbering = Part(
        "word/numbering.xml",
        "<w:numbering><w:abstractNum w:abstractNumId='0'><w:lvl w:ilvl='z'/><w:lvl w:ilvl='0'><w:start w:val='q'/></w:lvl>"
        "<w:numStyleLink w:val='Loop'/></w:abstractNum><w:num w:numId='1'><w:abstractNumId w:val='0'/>"
        "<w:lvlOverride w:ilvl='-3'/></w:num></w:numbering>",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering",
    )
    document = read_document(build_docx(tmp_path / "odd.docx", body, odd_numbering))
    assert [block.accepted for block in document.blocks] == ["", "", ""]
