"""What template validation needs from a Word template, as plain records.

A docxtpl template is WordprocessingML whose text holds Jinja tags. Checking it
means knowing, paragraph by paragraph, the text of each run (a tag typed over
several runs is fragile), the list numbering of the paragraph (a numbered
paragraph repeated by a loop must continue the Note's numbering), and the clause
content controls. This module reads those facts; nothing outside ``ooxml/``
sees an element.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from osa_agreements.errors import TemplateError
from osa_agreements.ooxml.namespaces import (
    NAMESPACES,
    REL_FOOTER,
    REL_FOOTNOTES,
    REL_HEADER,
    REL_NUMBERING,
    REL_OFFICE_DOCUMENT,
    REL_STYLES,
    W_NUMPR,
    W_P,
    W_PPR,
    W_PSTYLE,
    W_R,
    W_T,
    W_TC,
    W_TXBXCONTENT,
    W_VAL,
)
from osa_agreements.ooxml.numbering import NumberingDefinitions, StyleSheet, paragraph_numbering
from osa_agreements.ooxml.writer import clause_controls

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_STORY_RELS = {REL_HEADER: "header", REL_FOOTER: "footer", REL_FOOTNOTES: "footnotes"}


@dataclass(frozen=True)
class ListPlace:
    """Where a numbered paragraph counts: ``list_id`` (paragraphs sharing it count on), level, restart."""

    list_id: str
    level: int
    restarts: bool


@dataclass(frozen=True)
class TemplateParagraph:
    """One paragraph of a template: the text of each of its runs, where it stands, its numbering."""

    part: str
    index: int
    runs: tuple[str, ...]
    in_table: bool = False
    numbering: ListPlace | None = None

    @property
    def text(self) -> str:
        """Return the paragraph's text, runs joined."""
        return "".join(self.runs)


@dataclass(frozen=True)
class TemplateDocument:
    """A Word template read for checking: its paragraphs in reading order and its clause controls."""

    paragraphs: tuple[TemplateParagraph, ...]
    clause_controls: tuple[str, ...]


def read_template(source: Path | bytes, name: str | None = None, numbering: bool = True) -> TemplateDocument:
    """Return the paragraphs and clause controls of the .docx at ``source`` (a path, or the bytes of one).

    Without ``numbering`` the paragraphs' list places are not worked out (all None),
    which saves reading the styles and numbering. Raises TemplateError naming
    ``name`` (default: the path) when it is not a readable Word document.
    """
    name = name or str(source)
    archive = _open(source, name)
    with archive:
        main = _main_part(archive, name)
        relations = _relations(archive, main, name)
        styles, lists = _lists(archive, relations, name) if numbering else (None, None)
        body = _part(archive, main, name)
        paragraphs = list(_paragraphs(body, "document", styles, lists))
        for rel_type, label in _STORY_RELS.items():
            for number, partname in enumerate(relations.get(rel_type, []), start=1):
                story = _part(archive, partname, name)
                paragraphs += _paragraphs(story, f"{label}{number}", styles, lists)
    return TemplateDocument(tuple(paragraphs), tuple(clause_id for clause_id, _ in clause_controls(body)))


def _open(source: Path | bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except FileNotFoundError as exc:
        raise TemplateError(f"{name}: no such file; restore the template or fix templates.yaml") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(f"{name}: not a Word document (.docx): {exc}; save it from Word as .docx") from exc


def _main_part(archive: zipfile.ZipFile, name: str) -> str:
    for partname, rel_type in _targets(archive, "", name):
        if rel_type == REL_OFFICE_DOCUMENT:
            return partname
    raise TemplateError(f"{name}: has no main document part; save it from Word as .docx")


def _relations(archive: zipfile.ZipFile, main: str, name: str) -> dict[str, list[str]]:
    relations: dict[str, list[str]] = {}
    for partname, rel_type in _targets(archive, main, name):
        relations.setdefault(rel_type, []).append(partname)
    return relations


def _targets(archive: zipfile.ZipFile, source: str, name: str) -> list[tuple[str, str]]:
    """Return ``(part name, relationship type)`` of the internal relationships of part ``source``."""
    folder, base = posixpath.split(source)
    rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
    if rels_name not in archive.namelist():
        return []
    root = _parse(archive, rels_name, name)
    return [
        (posixpath.normpath(posixpath.join(folder, rel.get("Target"))).lstrip("/"), rel.get("Type"))
        for rel in root.iter(f"{{{NAMESPACES['pr']}}}Relationship")
        if rel.get("TargetMode") != "External" and rel.get("Target")
    ]


def _lists(archive: zipfile.ZipFile, relations: dict[str, list[str]], name: str):
    """Return the style sheet and the list definitions of the document."""
    styles = StyleSheet(_optional_part(archive, relations.get(REL_STYLES, [None])[0], name))
    return styles, NumberingDefinitions(_optional_part(archive, relations.get(REL_NUMBERING, [None])[0], name), styles)


def _optional_part(archive: zipfile.ZipFile, partname: str | None, name: str):
    return _part(archive, partname, name) if partname else None


def _part(archive: zipfile.ZipFile, partname: str, name: str):
    if partname not in archive.namelist():
        raise TemplateError(f"{name}: part {partname} is missing; the file is damaged, save it again from Word")
    return _parse(archive, partname, name)


def _parse(archive: zipfile.ZipFile, partname: str, name: str):
    try:
        return etree.fromstring(archive.read(partname), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{name}: {partname} is not well-formed XML ({exc}); "
                            "the file is damaged, save it again from Word") from exc


def _paragraphs(root, part: str, styles: StyleSheet | None, lists: NumberingDefinitions | None):
    for index, paragraph in enumerate(root.iter(W_P), start=1):
        yield TemplateParagraph(
            part=part,
            index=index,
            runs=_run_texts(paragraph),
            in_table=_inside(paragraph, W_TC),
            numbering=_list_place(paragraph.find(W_PPR), styles, lists) if lists is not None else None,
        )


def _run_texts(paragraph) -> tuple[str, ...]:
    """Return the text of each run of ``paragraph`` that has text, leaving out nested text boxes."""
    texts = []
    for run in paragraph.iter(W_R):
        if _owning_paragraph(run) is not paragraph:
            continue
        text = "".join(t.text or "" for t in run.iter(W_T) if _owning_paragraph(t) is paragraph)
        if text:
            texts.append(text)
    return tuple(texts)


def _owning_paragraph(element):
    parent = element.getparent()
    while parent is not None and parent.tag not in (W_P, W_TXBXCONTENT):
        parent = parent.getparent()
    return parent


def _inside(element, tag: str) -> bool:
    return any(ancestor.tag == tag for ancestor in element.iterancestors())


def _list_place(ppr, styles: StyleSheet, numbering: NumberingDefinitions) -> ListPlace | None:
    style = ppr.find(W_PSTYLE) if ppr is not None else None
    numpr = ppr.find(W_NUMPR) if ppr is not None else None
    reference = paragraph_numbering(style.get(W_VAL) if style is not None else None, numpr, styles)
    definition = numbering.definition(reference.num_id) if reference is not None else None
    if definition is None:
        return None
    level = reference.level if reference.level is not None else 0
    return ListPlace(definition.abstract, level, bool(definition.start_overrides))
