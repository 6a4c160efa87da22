"""Opening an untrusted .docx safely: what the file is, and bounded access to its parts.

A received draft comes from outside, so nothing in it is trusted: not the sizes
the zip declares, not the XML (no DTD, no entity, no network), not the file
name. Every refusal is a ``DocumentError`` whose message names the file and
says what to do.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import shlex
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from osa_agreements.errors import DocumentError
from osa_agreements.ooxml.namespaces import MACRO_CONTENT_TYPES, REL_OFFICE_DOCUMENT, WORD_MAIN_CONTENT_TYPES, qn

MB = 1024 * 1024
XML_DEPTH_LIMIT = 256
"""Deepest XML nesting accepted: libxml2's own bound when ``huge_tree`` is off."""

_CHUNK = 1 * MB
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)
_DEFAULT_MAIN_PART = "word/document.xml"


@dataclass(frozen=True)
class Limits:
    """Bounds on what one untrusted .docx may cost to open; exceeding any is refused.

    ``max_file_bytes`` bounds the .docx file itself (100 MB). ``max_part_bytes``
    bounds one part once inflated (100 MB) and ``max_total_bytes`` every part read
    from one file (200 MB); both are counted while inflating, so a zip bomb is
    stopped after at most one chunk past the limit, whatever sizes it declares.
    ``max_members`` bounds the number of zip members (2,000) and
    ``max_xml_elements`` the elements of one XML part (5,000,000), counted before
    it is parsed. XML nesting deeper than ``XML_DEPTH_LIMIT`` is always refused.
    """

    max_file_bytes: int = 100 * MB
    max_part_bytes: int = 100 * MB
    max_total_bytes: int = 200 * MB
    max_members: int = 2000
    max_xml_elements: int = 5_000_000


LIMIT_SETTINGS = {
    "file-mb": ("max_file_bytes", MB),
    "part-mb": ("max_part_bytes", MB),
    "total-mb": ("max_total_bytes", MB),
    "members": ("max_members", 1),
    "elements": ("max_xml_elements", 1),
}
"""The names of the limits for ``osa check --limit NAME=VALUE``: the Limits field and the unit of VALUE."""


def limits_from(settings: Iterable[str], base: Limits = Limits()) -> Limits:
    """Return ``base`` with each ``NAME=VALUE`` of ``settings`` applied; raise ValueError saying what is wrong."""
    changes = {}
    for setting in settings:
        name, equals, value = setting.partition("=")
        if name.strip() not in LIMIT_SETTINGS or not equals:
            raise ValueError(f"{setting!r}: expected NAME=VALUE with NAME one of {', '.join(LIMIT_SETTINGS)}")
        field_name, unit = LIMIT_SETTINGS[name.strip()]
        if not value.strip().isdigit() or int(value) < 1:
            raise ValueError(f"{setting!r}: the value must be a positive whole number")
        changes[field_name] = int(value) * unit
    return replace(base, **changes)


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: ``target`` is a part name, or a URL when ``external``."""

    id: str
    type: str
    target: str
    external: bool


class Package:
    """An opened .docx: its member names, content types, and bounded reads of its parts.

    Part names are zip member names without a leading slash (``word/document.xml``).
    """

    def __init__(self, path: Path, archive: zipfile.ZipFile, sha256: str, limits: Limits):
        self.path = path
        self.sha256 = sha256
        self.limits = limits
        self._archive = archive
        self._infos = {info.filename: info for info in archive.infolist()}
        self._inflated = 0
        self._counted: set[str] = set()
        self._relationships: dict[str, tuple[Relationship, ...]] = {}
        self.content_types: Mapping[str, str] = _content_types(self)
        self.main_part = _main_part(self)
        self.warnings: tuple[str, ...] = _macro_warnings(self)

    @property
    def names(self) -> tuple[str, ...]:
        """Return the member names in zip order."""
        return tuple(self._infos)

    def info(self, name: str) -> zipfile.ZipInfo | None:
        """Return the zip entry of part ``name``, or None when there is no such part."""
        return self._infos.get(name)

    def read_bytes(self, name: str) -> bytes | None:
        """Return the inflated bytes of part ``name``, or None when there is no such part."""
        info = self._infos.get(name)
        if info is None:
            return None
        try:
            return self._inflate(info)
        except _ZIP_ERRORS as exc:
            raise self.refusal(f"part {name} is damaged ({exc}); ask for the file again") from exc

    def read_xml(self, name: str) -> etree._Element | None:
        """Return the root element of XML part ``name``, or None when there is no such part."""
        data = self.read_bytes(name)
        return None if data is None else parse_xml(self, name, data)

    def relationships(self, source: str) -> tuple[Relationship, ...]:
        """Return the relationships of part ``source`` (``""`` for the package itself), read once."""
        if source not in self._relationships:
            folder, base = posixpath.split(source)
            root = self.read_xml(posixpath.join(folder, "_rels", f"{base}.rels"))
            self._relationships[source] = () if root is None else tuple(
                _relationship(folder, element) for element in root.iter(qn("pr:Relationship")))
        return self._relationships[source]

    def related_part(self, source: str, rel_type: str) -> str | None:
        """Return the first internal part that ``source`` relates to by ``rel_type``, or None."""
        for rel in self.relationships(source):
            if rel.type == rel_type and not rel.external and rel.target in self._infos:
                return rel.target
        return None

    def refusal(self, what: str) -> DocumentError:
        """Return the DocumentError saying that this file is refused because of ``what``."""
        return DocumentError(f"{self.path}: {what}")

    def _inflate(self, info: zipfile.ZipInfo) -> bytes:
        """Return the member's bytes; a member read again (to write a copy) does not count twice."""
        chunks = []
        size = 0
        again = info.filename in self._counted
        with self._archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                self._inflated += 0 if again else len(chunk)
                self._check_inflated(info.filename, size)
                chunks.append(chunk)
        self._counted.add(info.filename)
        return b"".join(chunks)

    def _check_inflated(self, name: str, size: int) -> None:
        if size > self.limits.max_part_bytes:
            raise self.refusal(_limit_exceeded(f"part {name} inflates past", "max_part_bytes", self.limits))
        if self._inflated > self.limits.max_total_bytes:
            raise self.refusal(_limit_exceeded("its parts inflate past", "max_total_bytes", self.limits))


def open_package(path: Path, limits: Limits = Limits()) -> Package:
    """Return the opened package at ``path``, or raise DocumentError saying what the file is instead."""
    path = Path(path)
    data = _read_file(path, limits)
    if not data.startswith(_ZIP_MAGICS):
        raise _not_a_zip(path, data)
    archive = _open_zip(path, data)
    _check_members(path, archive, limits)
    _refuse_other_zip_formats(path, archive)
    return Package(path, archive, hashlib.sha256(data).hexdigest(), limits)


def parse_xml(package: Package, name: str, data: bytes) -> etree._Element:
    """Return the root of ``data``, the XML of part ``name``, parsed without DTD, entities or network."""
    _check_element_count(package, name, data)
    if _declares_doctype(data):
        raise package.refusal(_doctype_refused(name))
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise package.refusal(_syntax_error(name, exc)) from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise package.refusal(_doctype_refused(name))
    return root


def _read_file(path: Path, limits: Limits) -> bytes:
    if not path.exists():
        raise DocumentError(f"{path}: does not exist; check the path")
    if path.is_dir():
        raise DocumentError(f"{path}: is a directory; give the .docx file inside it")
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from exc
    if len(data) > limits.max_file_bytes:
        raise DocumentError(f"{path}: {_limit_exceeded('is larger than', 'max_file_bytes', limits)}")
    if not data:
        raise DocumentError(f"{path}: is empty (0 bytes); ask for the .docx again")
    return data


def _not_a_zip(path: Path, data: bytes) -> DocumentError:
    if data.startswith(b"%PDF"):
        return DocumentError(f"{path}: is a PDF, not a Word .docx; ask for the .docx")
    if data.startswith(_OLE_MAGIC):
        return _ole_file(path, data)
    if data.startswith(b"{\\rtf"):
        return DocumentError(f"{path}: is an RTF file, not a .docx; {_convert_advice(path)}")
    if _is_programme_file(path, data[:4096]):
        return DocumentError(f"{path}: is a programme file (YAML), not a Word draft; to draft its Notes use "
                             f"osa draft {shlex.quote(str(path))}")
    return DocumentError(f"{path}: {_text_kind(data[:4096])}")


def _is_programme_file(path: Path, head: bytes) -> bool:
    """Return True when ``path`` looks like a programme description given to ``osa check`` by mistake."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return True
    text = head.decode("utf-8", "replace")
    return any(line.startswith(("programme:", "recipient:")) for line in text.splitlines())


def _ole_file(path: Path, data: bytes) -> DocumentError:
    """Return the refusal of an OLE compound file: an encrypted .docx or a legacy .doc."""
    if "EncryptionInfo".encode("utf-16-le") in data:
        return DocumentError(
            f"{path}: is password-protected (encrypted); ask for a copy without a password, "
            "or open it in Word, remove the password and save it as .docx"
        )
    if "WordDocument".encode("utf-16-le") in data:
        return DocumentError(f"{path}: is a legacy Word 97-2003 .doc; {_convert_advice(path)}")
    return DocumentError(f"{path}: is a legacy Office file (OLE compound), not a .docx; ask for the .docx")


def _convert_advice(path: Path) -> str:
    return f"convert it with LibreOffice: soffice --headless --convert-to docx {shlex.quote(str(path))}"


def _text_kind(head: bytes) -> str:
    """Return what a file that is not a zip seems to be, judging by its first bytes, and what to do."""
    if b"\x00" in head:
        return "is not a Word .docx (not a zip package, unknown binary format); ask for the .docx"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"pkg:package" in lowered:
        return "is a Word XML file (Flat OPC), not a .docx; open it in Word or LibreOffice and save it as .docx"
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "is an HTML file, not a Word .docx; ask for the .docx"
    if lowered.startswith(b"<"):
        return "is an XML file, not a Word .docx; ask for the .docx"
    return "is a plain text file renamed .docx, not a Word document; ask for the .docx"


def _open_zip(path: Path, data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise DocumentError(
            f"{path}: is damaged or truncated (not a complete zip package: {exc}); ask for the file again"
        ) from exc


def _check_members(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise DocumentError(f"{path}: {_limit_exceeded('has more zip members than', 'max_members', limits)}")
    if len({info.filename.lower() for info in infos}) != len(infos):
        raise DocumentError(f"{path}: contains the same part twice; it is not a valid .docx, ask for it again")
    for info in infos:
        _check_member(path, info, limits)


def _check_member(path: Path, info: zipfile.ZipInfo, limits: Limits) -> None:
    if info.flag_bits & 0x1:
        raise DocumentError(f"{path}: part {info.filename} is encrypted; ask for a copy without a password")
    if info.compress_type not in _SUPPORTED_COMPRESSION:
        raise DocumentError(
            f"{path}: part {info.filename} uses zip compression method {info.compress_type}, "
            "which Word does not write; open it in Word or LibreOffice and save it as .docx again"
        )
    if info.file_size > limits.max_part_bytes:
        raise DocumentError(
            f"{path}: {_limit_exceeded(f'part {info.filename} declares more than', 'max_part_bytes', limits)}"
        )


def _refuse_other_zip_formats(path: Path, archive: zipfile.ZipFile) -> None:
    names = set(archive.namelist())
    if "mimetype" in names and "content.xml" in names:
        raise DocumentError(f"{path}: is an OpenDocument file (.odt), not a .docx; {_convert_advice(path)}")
    if "xl/workbook.xml" in names:
        raise DocumentError(f"{path}: is an Excel workbook, not a Word .docx; ask for the .docx")
    if "ppt/presentation.xml" in names:
        raise DocumentError(f"{path}: is a PowerPoint presentation, not a Word .docx; ask for the .docx")
    if "[Content_Types].xml" not in names:
        raise DocumentError(
            f"{path}: has no [Content_Types].xml, so it is a zip file but not a Word document; "
            "ask for the .docx again"
        )


def _content_types(package: Package) -> dict[str, str]:
    """Return the content type of every member, from [Content_Types].xml."""
    root = package.read_xml("[Content_Types].xml")
    defaults = {
        element.get("Extension", "").lower(): element.get("ContentType", "")
        for element in root.iter(qn("ct:Default"))
    }
    overrides = {
        element.get("PartName", "").lstrip("/").lower(): element.get("ContentType", "")
        for element in root.iter(qn("ct:Override"))
    }
    return {name: _content_type_of(name, defaults, overrides) for name in package.names}


def _content_type_of(name: str, defaults: dict[str, str], overrides: dict[str, str]) -> str:
    extension = posixpath.splitext(name)[1].lstrip(".").lower()
    return overrides.get(name.lower()) or defaults.get(extension, "")


def _main_part(package: Package) -> str:
    """Return the name of the main document part, refusing a package that lacks a Word one."""
    name = package.related_part("", REL_OFFICE_DOCUMENT) or _DEFAULT_MAIN_PART
    if package.info(name) is None:
        raise package.refusal(f"has no {name} (the main document); it is incomplete, ask for the .docx again")
    content_type = package.content_types[name]
    if content_type not in WORD_MAIN_CONTENT_TYPES:
        raise package.refusal(
            f"[Content_Types].xml declares {name} as {content_type or 'nothing'!r}, not a Word document; "
            "open it in Word or LibreOffice and save it as .docx again"
        )
    return name


def _macro_warnings(package: Package) -> tuple[str, ...]:
    has_macros = package.content_types[package.main_part] in MACRO_CONTENT_TYPES or any(
        name.lower().endswith("vbaproject.bin") for name in package.names
    )
    if not has_macros:
        return ()
    return (f"{package.path}: is macro-enabled (.docm); its macros were not run, only its text was read",)


def _relationship(folder: str, element: etree._Element) -> Relationship:
    target = element.get("Target", "")
    external = element.get("TargetMode") == "External"
    if not external:
        target = _resolve_target(folder, target)
    return Relationship(element.get("Id", ""), element.get("Type", ""), target, external)


def _resolve_target(folder: str, target: str) -> str:
    """Return the part name that ``target``, relative to ``folder``, points to."""
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target)).lstrip("/")


def _check_element_count(package: Package, name: str, data: bytes) -> None:
    """Refuse a part whose start tags (an upper bound on its elements) exceed the limit."""
    if len(data) // 4 <= package.limits.max_xml_elements:
        return  # an element takes at least four bytes (<a/>), so this part cannot exceed the limit
    start_tags = data.count(b"<") - data.count(b"</")
    if start_tags > package.limits.max_xml_elements:
        raise package.refusal(
            _limit_exceeded(f"part {name} has more XML elements than", "max_xml_elements", package.limits)
        )


def _declares_doctype(data: bytes) -> bool:
    """Return True when the prolog of ``data`` holds a DOCTYPE, which no Word part has.

    Only the prolog is looked at (declaration, comments, processing instructions),
    so this costs nothing on a real part; a UTF-16 part is left to the parser check.
    """
    position = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while position < len(data) and data[position] in b" \t\r\n":
            position += 1
        for opening, closing in ((b"<?", b"?>"), (b"<!--", b"-->")):
            if data.startswith(opening, position):
                end = data.find(closing, position)
                if end < 0:
                    return False
                position = end + len(closing)
                break
        else:
            return data.startswith(b"<!DOCTYPE", position)


def _doctype_refused(name: str) -> str:
    return (
        f"part {name} declares a DOCTYPE (entity definitions), which Word never writes; "
        "refused unread for safety, ask for the .docx again"
    )


def _syntax_error(name: str, exc: etree.XMLSyntaxError) -> str:
    if "depth" in str(exc).lower():
        return f"part {name} nests XML deeper than {XML_DEPTH_LIMIT} levels (the XML depth limit); refused"
    if "amplification" in str(exc).lower() or "entity" in str(exc).lower():
        return _doctype_refused(name)
    return f"part {name} is not well-formed XML ({exc}); open it in Word or LibreOffice and save it again"


def _limit_exceeded(what: str, field: str, limits: Limits) -> str:
    value = getattr(limits, field)
    shown = f"{value // MB} MB" if field.endswith("_bytes") else f"{value:,}"
    name = next(name for name, (known, _) in LIMIT_SETTINGS.items() if known == field)
    return (f"{what} the limit {field} = {shown}; refused (if you trust the file, raise it with "
            f"--limit {name}=VALUE)")
