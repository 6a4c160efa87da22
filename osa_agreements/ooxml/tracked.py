"""Tracked changes and comment marks written into a paragraph, at offsets of its accepted text.

The offsets are those of ``Block.accepted``; ``run_places`` (the reader's own run
walk) says which run holds which characters, so a change lands on exactly the
words the report quotes. Runs are split where a change begins or ends. What we
delete is wrapped in ``w:del`` (inside the counterpart's ``w:ins`` when they had
inserted it, as Word writes it), what we insert is one ``w:ins`` run after it;
every change carries our author and date.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from osa_agreements.ooxml.namespaces import (
    W_AUTHOR,
    W_COMMENT_RANGE_END,
    W_COMMENT_RANGE_START,
    W_COMMENT_REFERENCE,
    W_DATE,
    W_DEL,
    W_DELINSTRTEXT,
    W_DELTEXT,
    W_ID,
    W_INS,
    W_INSTRTEXT,
    W_MOVEFROM,
    W_MOVETO,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_SDTCONTENT,
    W_SYM,
    W_T,
    W_VANISH,
    qn,
)
from osa_agreements.ooxml.numbering import StyleSheet
from osa_agreements.ooxml.reader import _CHARACTERS, PlacedParagraph, RunPlace, _symbol, run_places

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_MARK_CHANGES = (W_INS, W_DEL, W_MOVEFROM, W_MOVETO, qn("w:rPrChange"), W_VANISH, qn("w:specVanish"),
                 qn("w:webHidden"))
_PARAGRAPH_ONLY = (qn("w:sectPr"), qn("w:pPrChange"))
_RUN_LEVEL_HOMES = frozenset({W_P, W_SDTCONTENT})


@dataclass
class Marks:
    """Who makes the changes and when, and the ids given so far (unique in the part)."""

    author: str
    date: str
    ids: itertools.count
    deletions: set = field(default_factory=set)

    def attributes(self) -> dict[str, str]:
        """Return the ``w:id``, ``w:author`` and ``w:date`` of a new change."""
        return {W_ID: str(next(self.ids)), W_AUTHOR: self.author, W_DATE: self.date}


def block_places(group: Sequence[PlacedParagraph], styles: StyleSheet) -> list[RunPlace]:
    """Return the runs of an accepted-view paragraph (one or more ``w:p``), offsets counting on."""
    places: list[RunPlace] = []
    offset = 0
    for placed in group:
        found = run_places(placed.element, styles, offset)
        places += found
        offset = found[-1].end if found else offset
    return places


def split_at(group: Sequence[PlacedParagraph], styles: StyleSheet, offset: int) -> None:
    """Split the run holding accepted offset ``offset`` so that a run begins there."""
    for place in block_places(group, styles):
        if place.start < offset < place.end and not place.deleted:
            _split_run(place.run, offset - place.start)
            return


def runs_between(group: Sequence[PlacedParagraph], styles: StyleSheet, begin: int, finish: int) -> list[RunPlace]:
    """Return the runs wholly within offsets ``begin``..``finish``, after splitting the runs at both ends.

    Runs that show nothing (deleted text, field codes) count when they stand between two that do.
    """
    split_at(group, styles, finish)
    split_at(group, styles, begin)
    places = block_places(group, styles)
    showing = [i for i, p in enumerate(places) if p.end > p.start and begin <= p.start and p.end <= finish]
    if not showing:
        return []
    return places[showing[0]:showing[-1] + 1]


def _split_run(run: etree._Element, at: int) -> etree._Element:
    """Split ``run`` after ``at`` characters of its text; return the new run holding the rest."""
    rest = etree.Element(run.tag, dict(run.attrib))
    properties = run.find(W_RPR)
    if properties is not None:
        rest.append(copy.deepcopy(properties))
    seen = 0
    for child in [c for c in run if c.tag != W_RPR]:
        length = _length(child)
        if seen >= at:
            rest.append(child)
        elif seen + length > at:
            tail = etree.SubElement(rest, child.tag, {XML_SPACE: "preserve"})
            tail.text, child.text = child.text[at - seen:], child.text[:at - seen]
            child.set(XML_SPACE, "preserve")
        seen += length
    run.addnext(rest)
    return rest


def _length(child: etree._Element) -> int:
    if child.tag == W_T:
        return len(child.text or "")
    if child.tag == W_SYM:
        return len(_symbol(child))
    return len(_CHARACTERS.get(child.tag, ""))


def delete_runs(places: Sequence[RunPlace], marks: Marks) -> list[etree._Element]:
    """Wrap each run not yet deleted in a ``w:del`` of ours; return the runs deleted.

    A run that holds a comment's reference mark is left alone: the comment is the counterpart's.
    """
    deleted = []
    for place in places:
        run = place.run
        if place.deleted or run.find(W_COMMENT_REFERENCE) is not None:
            continue
        for child in run:
            if child.tag == W_T:
                child.tag = W_DELTEXT
            elif child.tag == W_INSTRTEXT:
                child.tag = W_DELINSTRTEXT
        _wrap_in_deletion(run, marks)
        deleted.append(run)
    return deleted


def _wrap_in_deletion(run: etree._Element, marks: Marks) -> None:
    previous = run.getprevious()
    if previous is not None and previous in marks.deletions:
        previous.append(run)
        return
    deletion = etree.Element(W_DEL, marks.attributes())
    run.addprevious(deletion)
    deletion.append(run)
    marks.deletions.add(deletion)


def home(element: etree._Element) -> etree._Element:
    """Return ``element``'s ancestor (or itself) that stands directly in a paragraph or an inline control."""
    node = element
    while node.getparent() is not None and node.getparent().tag not in _RUN_LEVEL_HOMES:
        node = node.getparent()
    return node


def insertion(text: str, properties: etree._Element | None, marks: Marks) -> etree._Element:
    """Return a ``w:ins`` of ours holding one run of ``text`` with a clean copy of run ``properties``."""
    inserted = etree.Element(W_INS, marks.attributes())
    run = etree.SubElement(inserted, W_R)
    if properties is not None:
        run.append(_without(copy.deepcopy(properties), _MARK_CHANGES))
    etree.SubElement(run, W_T, {XML_SPACE: "preserve"}).text = text
    return inserted


def run_properties(runs: Sequence[etree._Element]) -> etree._Element | None:
    """Return the run properties of the first of ``runs`` that has any, or None."""
    return next((run.find(W_RPR) for run in runs if run.find(W_RPR) is not None), None)


def delete_mark(paragraph: etree._Element, marks: Marks) -> None:
    """Mark the paragraph mark of ``paragraph`` deleted (it then merges with the next), unless it already is."""
    properties = mark_properties(paragraph)
    if properties.find(W_DEL) is None and properties.find(W_MOVEFROM) is None:
        position = 1 if len(properties) and properties[0].tag == W_INS else 0
        properties.insert(position, etree.Element(W_DEL, marks.attributes()))


def new_paragraph(model: etree._Element | None, marks: Marks) -> etree._Element:
    """Return an empty ``w:p`` with the paragraph properties of ``model`` and a mark inserted by us."""
    paragraph = etree.Element(W_P)
    properties = model.find(W_PPR) if model is not None else None
    if properties is not None:
        paragraph.append(_without(copy.deepcopy(properties), _PARAGRAPH_ONLY))
    mark = mark_properties(paragraph)
    _without(mark, _MARK_CHANGES)
    mark.insert(0, etree.Element(W_INS, marks.attributes()))
    return paragraph


def mark_properties(paragraph: etree._Element) -> etree._Element:
    """Return the ``w:pPr/w:rPr`` of ``paragraph``, made where the schema puts it when missing."""
    properties = paragraph.find(W_PPR)
    if properties is None:
        properties = etree.Element(W_PPR)
        paragraph.insert(0, properties)
    mark = properties.find(W_RPR)
    if mark is None:
        mark = etree.Element(W_RPR)
        later = next((child for child in properties if child.tag in _PARAGRAPH_ONLY), None)
        if later is None:
            properties.append(mark)
        else:
            later.addprevious(mark)
    return mark


def _without(element: etree._Element, tags: Sequence[str]) -> etree._Element:
    for child in [c for c in element if c.tag in tags]:
        element.remove(child)
    return element


def comment_marks(first: etree._Element, last: etree._Element, comment_id: str) -> None:
    """Put a comment's range from before ``first`` to after ``last``, and its reference mark right after.

    ``last`` may be the run of our insertion: the reference then stands inside it too,
    so that rejecting the insertion takes the mark away with it.
    """
    first.addprevious(etree.Element(W_COMMENT_RANGE_START, {W_ID: comment_id}))
    end = etree.Element(W_COMMENT_RANGE_END, {W_ID: comment_id})
    last.addnext(end)
    reference = etree.Element(W_R)
    etree.SubElement(reference, W_COMMENT_REFERENCE, {W_ID: comment_id})
    end.addnext(reference)
