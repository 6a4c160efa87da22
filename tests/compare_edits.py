"""Edits a counterpart makes to a drafted Note without tracking them, for the comparison tests.

Each function takes a python-docx Document (its elements are lxml elements) and
changes it as a person editing in Word would: words, whole paragraphs, table cells.
"""

from __future__ import annotations

import copy

from docx.oxml.ns import qn

from .docx_edits import paragraph_text, set_runs


def body_paragraphs(document) -> list:
    """Return the body's paragraphs in reading order (in content controls too, not in tables)."""
    body = document.element.body
    return [p for p in body.iter(qn("w:p")) if not any(a.tag == qn("w:tbl") for a in p.iterancestors())]


def find(document, words: str):
    """Return the first body paragraph whose text holds ``words``."""
    for p in body_paragraphs(document):
        if words in paragraph_text(p):
            return p
    raise LookupError(words)


def reword(document, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the paragraph holding it, keeping the formatting of its first run."""
    p = find(document, old)
    run = p.find(qn("w:r"))
    properties = run.find(qn("w:rPr")) if run is not None else None
    set_runs(p, [paragraph_text(p).replace(old, new, 1)])
    if properties is not None:
        for new_run in p.iter(qn("w:r")):
            new_run.insert(0, copy.deepcopy(properties))


def delete_paragraph(document, words: str) -> None:
    p = find(document, words)
    p.getparent().remove(p)


def insert_after(document, words: str, text: str) -> None:
    """Add a paragraph after the one holding ``words``, with its properties (numbering too)."""
    p = find(document, words)
    new = copy.deepcopy(p)
    set_runs(new, [text])
    p.addnext(new)


def move_before(document, moved: str, anchor: str) -> None:
    p = find(document, moved)
    find(document, anchor).addprevious(p)


def split_after(document, words: str) -> None:
    """Split the paragraph holding ``words`` in two right after them (the second keeps the properties)."""
    p = find(document, words)
    text = paragraph_text(p)
    cut = text.index(words) + len(words)
    first = copy.deepcopy(p)
    set_runs(first, [text[:cut].rstrip()])
    set_runs(p, [text[cut:].lstrip()])
    p.addprevious(first)


def merge_with_next(document, words: str) -> None:
    """Join the paragraph holding ``words`` and the next one (a content control left empty goes too)."""
    paragraphs = body_paragraphs(document)
    p = find(document, words)
    following = paragraphs[paragraphs.index(p) + 1]
    set_runs(p, [paragraph_text(p) + " " + paragraph_text(following)])
    parent = following.getparent()
    parent.remove(following)
    if parent.tag == qn("w:sdtContent") and not len(parent):
        control = parent.getparent()
        control.getparent().remove(control)


def set_cell(document, row: int, column: int, text: str) -> None:
    """Replace the text of a cell of the first table (0-based row and column)."""
    cell = document.tables[0].rows[row].cells[column]
    set_runs(cell.paragraphs[0]._p, [text])
