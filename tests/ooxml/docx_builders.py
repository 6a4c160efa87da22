"""Build real .docx files for tests: python-docx starts the package, the test gives the exact XML.

Fragments use the usual prefixes (``w:``, ``mc:``, ``wps:``, ``v:`` ...) without
declaring them, so a test shows only the XML it is about::

    build_docx(tmp_path / "draft.docx", '<w:p><w:r><w:t>Hello</w:t></w:r></w:p>')
"""

from __future__ import annotations

import functools
import io
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from lxml import etree

PREFIXES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "dc": "http://purl.org/dc/elements/1.1/",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
W = PREFIXES["w"]
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."


@dataclass(frozen=True)
class Part:
    """A part to add to (or replace in) the package, related from ``source`` by ``rel_type``."""

    name: str
    xml: str
    content_type: str
    rel_type: str | None
    source: str = "word/document.xml"
    section_reference: str | None = None


def paragraph(text: str, properties: str = "") -> str:
    """Return a ``w:p`` holding ``text`` in one run."""
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


SECTION_KINDS = {1: "default", 2: "first", 3: "even"}


def header(xml: str, number: int = 1, shown: bool = True) -> Part:
    """Return header part ``number``; ``shown`` makes the section refer to it (as default, first, even page)."""
    reference = f"w:headerReference w:type='{SECTION_KINDS[number]}'" if shown else None
    return Part(f"word/header{number}.xml", f"<w:hdr>{xml}</w:hdr>", WML + "header+xml", REL + "header", section_reference=reference)


def footer(xml: str, number: int = 1) -> Part:
    reference = f"w:footerReference w:type='{SECTION_KINDS[number]}'"
    return Part(f"word/footer{number}.xml", f"<w:ftr>{xml}</w:ftr>", WML + "footer+xml", REL + "footer", section_reference=reference)


def footnotes(xml: str) -> Part:
    """Return a footnotes part holding the two separator notes Word writes, then ``xml``."""
    separators = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>cont</w:t></w:r></w:p></w:footnote>'
    )
    return Part(
        "word/footnotes.xml", f"<w:footnotes>{separators}{xml}</w:footnotes>", WML + "footnotes+xml", REL + "footnotes"
    )


def endnotes(xml: str) -> Part:
    return Part("word/endnotes.xml", f"<w:endnotes>{xml}</w:endnotes>", WML + "endnotes+xml", REL + "endnotes")


def comments(xml: str) -> Part:
    return Part("word/comments.xml", f"<w:comments>{xml}</w:comments>", WML + "comments+xml", REL + "comments")


def numbering(xml: str) -> Part:
    return Part("word/numbering.xml", f"<w:numbering>{xml}</w:numbering>", WML + "numbering+xml", REL + "numbering")


def styles(xml: str) -> Part:
    return Part("word/styles.xml", f"<w:styles>{xml}</w:styles>", WML + "styles+xml", REL + "styles")


def custom_properties(values: dict[str, str]) -> Part:
    properties = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{name}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), start=2)
    )
    xml = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
        f"{properties}</Properties>"
    )
    content_type = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    return Part("docProps/custom.xml", xml, content_type, REL + "custom-properties", source="")


def build_docx(path: Path, body: str, *parts: Part) -> Path:
    """Write at ``path`` a .docx whose body is ``body`` (the section properties kept) plus ``parts``."""
    members = dict(_template_members())
    members["word/document.xml"] = _with_body(members["word/document.xml"], body)
    for part in parts:
        _add_part(members, part)
    path.write_bytes(zip_members(members))
    return path


def zip_members(members: dict[str, bytes]) -> bytes:
    """Return a zip holding ``members`` in order, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def element(xml: str) -> etree._Element:
    """Return ``xml`` parsed with the usual prefixes declared."""
    return etree.fromstring(f"<wrapper {_declarations()}>{xml}</wrapper>")[0]


@functools.lru_cache(maxsize=1)
def _template_bytes() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def _template_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(_template_bytes())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _with_body(document: bytes, body: str) -> bytes:
    """Return the template's main document with ``body`` before its section properties.

    Written as text, not moved node by node, so that a body of a million runs builds quickly.
    """
    section = etree.fromstring(document).find(f"{{{W}}}body/{{{W}}}sectPr")
    section_xml = etree.tostring(section, encoding="unicode") if section is not None else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_declarations()}>'
        f"<w:body>{body}{section_xml}</w:body></w:document>"
    ).encode()


def _declarations() -> str:
    return " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in PREFIXES.items())


def _add_part(members: dict[str, bytes], part: Part) -> None:
    members[part.name] = etree.tostring(element(part.xml), xml_declaration=True, encoding="UTF-8", standalone=True)
    members["[Content_Types].xml"] = _with_override(members["[Content_Types].xml"], part)
    if part.rel_type is None:
        return
    folder, base = part.source.rsplit("/", 1) if "/" in part.source else ("", part.source)
    rels_name = f"{folder}/_rels/{base}.rels" if folder else "_rels/.rels"
    target = part.name[len(folder) + 1 :] if folder and part.name.startswith(folder + "/") else "/" + part.name
    rels, rel_id = _with_relationship(members[rels_name], part.rel_type, target)
    members[rels_name] = rels
    if part.section_reference is not None:
        members["word/document.xml"] = _with_section_reference(members["word/document.xml"], part, rel_id)


def _with_override(types: bytes, part: Part) -> bytes:
    root = etree.fromstring(types)
    for override in root.findall(f"{{{CONTENT_TYPES}}}Override"):
        if override.get("PartName") == f"/{part.name}":
            root.remove(override)
    etree.SubElement(root, f"{{{CONTENT_TYPES}}}Override", PartName=f"/{part.name}", ContentType=part.content_type)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_relationship(rels: bytes, rel_type: str, target: str) -> tuple[bytes, str]:
    """Return the relationships with one of ``rel_type`` to ``target`` (added unless present), and its id."""
    root = etree.fromstring(rels)
    for rel in root:
        if rel.get("Type") == rel_type and rel.get("Target") == target:
            return rels, rel.get("Id")
    rel_id = f"rIdTest{len(root) + 1}"
    etree.SubElement(root, f"{{{PACKAGE_RELS}}}Relationship", Id=rel_id, Type=rel_type, Target=target)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), rel_id


def _with_section_reference(document: bytes, part: Part, rel_id: str) -> bytes:
    """Return the main document whose last section shows ``part`` (a header or footer)."""
    root = etree.fromstring(document)
    section = root.find(f"{{{W}}}body/{{{W}}}sectPr")
    section.insert(0, element(f"<{part.section_reference} r:id='{rel_id}'/>"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def libreoffice_convert(source, outdir, target):
    """Return the file LibreOffice writes when converting ``source`` to ``target`` in ``outdir``."""
    profile = outdir / "profile"
    command = [
        "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
        "--convert-to", target, "--outdir", str(outdir), str(source),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    result = outdir / f"{source.stem}.{target}"
    assert result.exists() and result.stat().st_size > 0
    return result


def rewritten(valid: Path, folder: Path, changes: dict[str, bytes | None], name: str = "draft.docx") -> Path:
    """Return a copy of the .docx ``valid``, in ``folder``, with members replaced (bytes) or removed (None)."""
    members = read_members(valid)
    for member, data in changes.items():
        if data is None:
            members.pop(member)
        else:
            members[member] = data
    path = folder / name
    path.write_bytes(zip_members(members))
    return path


# Hostile XML: a DOCTYPE with nested entities ("billion laughs") and one with an external entity.
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!-- a comment first -->\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
        for level in range(1, 10)
    )
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
