"""Generate large, realistic received drafts for the benchmarks: deterministic, from a real Note.

Each draft starts as a Note that the toolkit itself drafts (the ``japan-note``
template filled for an example programme) and grows to exactly N paragraphs
(``w:p`` elements in ``word/document.xml``, table cells included). The added
text is what a long negotiated agreement holds besides the mandatory clauses:

* numbered articles (the Note's own list, level 0) with sub-paragraphs (level 1)
  of legal prose whose words vary from paragraph to paragraph;
* schedules: a caption and a table of several rows;
* tracked changes by several authors: insertions and deletions inside
  paragraphs, whole inserted paragraphs, deleted sub-paragraphs;
* Word's run noise: text split into runs with rsids, italic defined terms,
  proofing marks.

The mandatory clause content controls stay as drafted, spread through the
document: the new articles are shared out between the numbered clauses.

Usage: ``python benchmarks/generate.py [--out DIR] [--sizes 50 500 5000] [--batch 200]``.
"""

from __future__ import annotations

import argparse
import io
import itertools
import random
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
# Draft with the working tree's code, not with a copy installed elsewhere.
sys.path.insert(0, str(REPO))

from osa_agreements.drafting.templates import find_template, load_catalog  # noqa: E402
from osa_agreements.drafting.notes import render_note  # noqa: E402
from osa_agreements.library.clauses import load_library  # noqa: E402
from osa_agreements.programme import load_programme  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_PART = "word/document.xml"
ZIP_TIMESTAMP = (2024, 1, 1, 0, 0, 0)
DEFAULT_OUT = REPO / "benchmarks" / "data"
DEFAULT_SIZES = (50, 500, 5000)
DEFAULT_BATCH = 200
DEFAULT_COMPARE_SIZES = (5000, 50000)
BATCH_PARAGRAPHS = 50
SIZE_PROGRAMME = "philippines-2023-coastal-radar"
SEED = 20240401
TABLE_EVERY = 12          # one schedule per this many articles
AUTHORS = ("Treaties Division, MOFA", "Embassy of Japan", "Legal Adviser", "Ministry of Defence")


def w(local: str) -> str:
    """Return the Clark name of a WordprocessingML element or attribute."""
    return f"{{{W_NS}}}{local}"


# --- prose -------------------------------------------------------------------------------------

SUBJECTS = ("The Government of Japan", "The {government}", "The two Governments",
            "The Agent", "The recipient Government", "The Joint Committee", "Each Government")
MODALS = ("shall", "shall", "shall", "may", "will", "shall, where appropriate,")
ACTIONS = ("ensure the proper maintenance of", "provide the necessary information on",
           "bear the costs of", "facilitate the customs clearance of", "report on the progress of",
           "take appropriate measures for the security of", "consult in good faith on",
           "keep complete records of", "notify the other Government of any change affecting",
           "grant the necessary permits for", "ensure the safe storage of", "arrange the insurance of")
OBJECTS = ("the Products", "the services financed by the Grant", "the equipment delivered under the Programme",
           "the spare parts and consumables", "the training of operating personnel",
           "the facilities necessary for the Programme", "the documents relating to the procurement",
           "the radar stations and their communication links", "the vessels and their onboard systems")
QUALIFIERS = ("in accordance with the laws and regulations in force in the recipient country", "without delay",
              "within {days_words} ({days}) days of a request to that effect", "to the extent possible",
              "at its own expense", "in consultation with the Agent",
              "throughout the period of availability of the Grant",
              "as may be agreed upon between the two Governments",
              "in a manner consistent with the purposes of the Programme")
AMENDMENTS = ("in writing", "promptly", "and in any event before delivery", "through diplomatic channels",
              "with the assistance of the Agent")
DAYS = {14: "fourteen", 30: "thirty", 45: "forty-five", 60: "sixty", 90: "ninety"}
ITEMS = ("Coastal surveillance radar", "Radar antenna tower", "Uninterruptible power supply",
         "Patrol boat", "Outboard engine", "Night vision binoculars", "VHF radio set",
         "Satellite communication terminal", "Spare parts set", "Maintenance tool kit",
         "Operator workstation", "Diesel generator")
PORTS = ("Manila", "Subic Bay", "Suva", "Chittagong", "Port Klang", "Djibouti", "Davao", "Kota Kinabalu")
MONTHS = ("March", "June", "September", "December")


def sentence(rng: random.Random, government: str) -> str:
    """Return one sentence of agreement prose, its words drawn from ``rng``."""
    days = rng.choice(tuple(DAYS))
    qualifier = rng.choice(QUALIFIERS).format(days=days, days_words=DAYS[days])
    subject = rng.choice(SUBJECTS).format(government=government)
    return f"{subject} {rng.choice(MODALS)} {rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {qualifier}."


def prose(rng: random.Random, government: str, sentences: int) -> str:
    """Return a paragraph of ``sentences`` sentences."""
    return " ".join(sentence(rng, government) for _ in range(sentences))


# --- WordprocessingML --------------------------------------------------------------------------


@dataclass
class Writer:
    """What growing one document needs: the randomness, the list to join, revision ids."""

    rng: random.Random
    government: str
    style: str
    num_id: str
    revision_ids: itertools.count
    paragraphs_written: int = 0

    def revision(self, tag: str) -> etree._Element:
        """Return an empty ``w:ins``/``w:del`` with an id, an author and a date."""
        day = self.rng.randrange(1, 29)
        return etree.Element(w(tag), {
            w("id"): str(next(self.revision_ids)), w("author"): self.rng.choice(AUTHORS),
            w("date"): f"2023-11-{day:02d}T{self.rng.randrange(8, 19):02d}:00:00Z"})


def text_run(text: str, rsid: str, italic: bool = False, deleted: bool = False) -> etree._Element:
    """Return a ``w:r`` holding ``text`` (as ``w:delText`` when ``deleted``)."""
    run = etree.Element(w("r"), {w("rsidR"): rsid})
    if italic:
        etree.SubElement(etree.SubElement(run, w("rPr")), w("i"))
    node = etree.SubElement(run, w("delText" if deleted else "t"))
    node.text = text
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def split_runs(writer: Writer, text: str) -> list[etree._Element]:
    """Return ``text`` as Word leaves it after editing: several runs, a defined term in italics."""
    words = text.split(" ")
    cuts = sorted(writer.rng.sample(range(1, len(words)), min(len(words) - 1, writer.rng.randrange(1, 5))))
    pieces = [" ".join(words[a:b]) for a, b in zip([0, *cuts], [*cuts, len(words)])]
    elements = []
    for index, piece in enumerate(pieces):
        rsid = f"00{writer.rng.randrange(16**6):06X}"
        if index and writer.rng.random() < 0.2:
            elements.append(etree.Element(w("proofErr"), {w("type"): "gramStart"}))
        italic = piece.startswith("the Products") and writer.rng.random() < 0.5
        elements.append(text_run(piece + (" " if index < len(pieces) - 1 else ""), rsid, italic))
    return elements


def paragraph(writer: Writer, level: int | None, runs: list[etree._Element]) -> etree._Element:
    """Return a ``w:p`` in the Note's body style, numbered at ``level`` unless it is None."""
    p = etree.Element(w("p"))
    properties = etree.SubElement(p, w("pPr"))
    etree.SubElement(properties, w("pStyle"), {w("val"): writer.style})
    if level is not None:
        numbering = etree.SubElement(properties, w("numPr"))
        etree.SubElement(numbering, w("ilvl"), {w("val"): str(level)})
        etree.SubElement(numbering, w("numId"), {w("val"): writer.num_id})
    p.extend(runs)
    writer.paragraphs_written += 1
    return p


def edited_runs(writer: Writer, text: str) -> list[etree._Element]:
    """Return the runs of ``text`` with a tracked insertion or deletion, or both, inside."""
    runs = split_runs(writer, text)
    kind = writer.paragraphs_written % 3
    if kind in (0, 2):
        inserted = writer.revision("ins")
        inserted.append(text_run(f"{writer.rng.choice(AMENDMENTS)} ", "00A1B2C3"))
        runs.insert(writer.rng.randrange(0, len(runs)), inserted)
    if kind in (1, 2):
        deleted = writer.revision("del")
        deleted.append(text_run(f"{writer.rng.choice(AMENDMENTS)} ", "00A1B2C4", deleted=True))
        runs.insert(writer.rng.randrange(0, len(runs)), deleted)
    return runs


def inserted_paragraph(writer: Writer, level: int, text: str) -> etree._Element:
    """Return a whole paragraph added as a tracked insertion (its mark and its text)."""
    inserted = writer.revision("ins")
    inserted.extend(split_runs(writer, text))
    p = paragraph(writer, level, [inserted])
    mark = etree.SubElement(p.find(w("pPr")), w("rPr"))
    mark.append(writer.revision("ins"))
    return p


def deleted_paragraph(writer: Writer, level: int, text: str) -> etree._Element:
    """Return a whole paragraph removed as a tracked deletion (its mark and its text)."""
    deleted = writer.revision("del")
    deleted.append(text_run(text, "00D4E5F6", deleted=True))
    p = paragraph(writer, level, [deleted])
    mark = etree.SubElement(p.find(w("pPr")), w("rPr"))
    mark.append(writer.revision("del"))
    return p


def filler_paragraph(writer: Writer, level: int, last_of_article: bool) -> etree._Element:
    """Return the next paragraph of an article: plain, edited, inserted or deleted."""
    text = prose(writer.rng, writer.government, 1 if level else writer.rng.randrange(1, 4))
    turn = writer.paragraphs_written % 10
    if turn == 4:
        return inserted_paragraph(writer, level, text)
    if turn == 8 and level and not last_of_article:
        # A deleted mark joins the next paragraph, so only ever inside an article.
        return deleted_paragraph(writer, level, text)
    if turn in (1, 5, 7):
        return paragraph(writer, level, edited_runs(writer, text))
    return paragraph(writer, level, split_runs(writer, text))


def article(writer: Writer, budget: int) -> list[etree._Element]:
    """Return a numbered article: one paragraph and up to four lettered sub-paragraphs."""
    size = min(budget, 1 + writer.rng.randrange(0, 5))
    return [filler_paragraph(writer, 0 if i == 0 else 1, i == size - 1) for i in range(size)]


def cell(writer: Writer, text: str, width: int, header: bool) -> etree._Element:
    """Return a ``w:tc`` of ``width`` twips holding one paragraph of ``text``."""
    tc = etree.Element(w("tc"))
    etree.SubElement(etree.SubElement(tc, w("tcPr")), w("tcW"), {w("w"): str(width), w("type"): "dxa"})
    run = text_run(text, "00C0FFEE")
    if header:
        run.insert(0, etree.Element(w("rPr")))
        etree.SubElement(run[0], w("b"))
    p = etree.SubElement(tc, w("p"))
    p.append(run)
    writer.paragraphs_written += 1
    return tc


SCHEDULE_COLUMNS = (("No.", 680), ("Item", 2800), ("Quantity", 1100), ("Place of delivery", 2200),
                    ("Delivery", 2288))


def schedule_row(writer: Writer, number: int) -> list[str]:
    """Return the cell texts of one row of a delivery schedule."""
    month, year = writer.rng.choice(MONTHS), writer.rng.randrange(2024, 2028)
    return [str(number), writer.rng.choice(ITEMS), str(writer.rng.randrange(1, 40)),
            writer.rng.choice(PORTS), f"{month} {year}"]


def schedule(writer: Writer, number: int, rows: int) -> list[etree._Element]:
    """Return a schedule: its caption paragraph and a table of a header and ``rows`` rows."""
    caption = paragraph(writer, None, [text_run(f"Schedule {number}: delivery of the Products", "00C0FFEE")])
    table = etree.Element(w("tbl"))
    properties = etree.SubElement(table, w("tblPr"))
    etree.SubElement(properties, w("tblStyle"), {w("val"): "TableGrid"})
    etree.SubElement(properties, w("tblW"), {w("w"): "0", w("type"): "auto"})
    grid = etree.SubElement(table, w("tblGrid"))
    for _, width in SCHEDULE_COLUMNS:
        etree.SubElement(grid, w("gridCol"), {w("w"): str(width)})
    texts = [[name for name, _ in SCHEDULE_COLUMNS]] + [schedule_row(writer, i) for i in range(1, rows + 1)]
    for index, row in enumerate(texts):
        tr = etree.SubElement(table, w("tr"))
        tr.extend(cell(writer, text, width, index == 0) for text, (_, width) in zip(row, SCHEDULE_COLUMNS))
    return [caption, table]


def filler(writer: Writer, budget: int) -> list[list[etree._Element]]:
    """Return articles and schedules of exactly ``budget`` paragraphs, as units that stay together."""
    units, articles = [], 0
    while writer.paragraphs_written < budget:
        left = budget - writer.paragraphs_written
        rows = writer.rng.randrange(4, 9)
        table_size = 1 + (rows + 1) * len(SCHEDULE_COLUMNS)
        if articles % TABLE_EVERY == TABLE_EVERY - 1 and left >= table_size:
            units.append(schedule(writer, articles // TABLE_EVERY + 1, rows))
        else:
            units.append(article(writer, left))
        articles += 1
    return units


# --- growing a Note ----------------------------------------------------------------------------


def numbered_clauses(body: etree._Element) -> list[etree._Element]:
    """Return the body's clause content controls whose first paragraph is numbered."""
    found = []
    for sdt in body.iterchildren(w("sdt")):
        tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
        first = sdt.find(f"{w('sdtContent')}/{w('p')}")
        numbered = first is not None and first.find(f"{w('pPr')}/{w('numPr')}") is not None
        if tag is not None and tag.get(w("val"), "").startswith("osa-clause:") and numbered:
            found.append(sdt)
    return found


def new_writer(clause: etree._Element, government: str, seed: int) -> Writer:
    """Return a Writer that numbers and styles paragraphs like the clause paragraphs of ``body``."""
    first = clause.find(f"{w('sdtContent')}/{w('p')}")
    style = first.find(f"{w('pPr')}/{w('pStyle')}").get(w("val"))
    num_id = first.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}").get(w("val"))
    return Writer(random.Random(seed), government, style, num_id, itertools.count(9000))


def grow_body(body: etree._Element, paragraphs: int, government: str, seed: int) -> None:
    """Add articles and schedules after the numbered clauses of ``body`` up to ``paragraphs`` ``w:p``."""
    clauses = numbered_clauses(body)
    if not clauses:
        raise SystemExit("the drafted Note has no numbered clause controls to grow around")
    writer = new_writer(clauses[0], government, seed)
    units = filler(writer, max(0, paragraphs - sum(1 for _ in body.iter(w("p")))))
    share = -(-len(units) // len(clauses)) if units else 0
    for index, clause in enumerate(clauses):
        anchor = clause
        for unit in units[index * share:(index + 1) * share]:
            for element in unit:
                anchor.addnext(element)
                anchor = element


def grow(docx: bytes, paragraphs: int, government: str, seed: int) -> bytes:
    """Return ``docx`` with its main document grown to ``paragraphs`` paragraphs."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(source.read(DOCUMENT_PART))
    grow_body(root.find(w("body")), paragraphs, government, seed)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = document if info.filename == DOCUMENT_PART else source.read(info)
            # A fixed timestamp makes the same seed give the same bytes.
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_TIMESTAMP), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# --- the counterpart's copy, for osa compare ---------------------------------------------------

EDITS_PER_THOUSAND = 60
"""Untracked edits a counterpart makes per 1,000 paragraphs: 300 in a 5,000-paragraph draft."""


def returned(docx: bytes, government: str, seed: int) -> bytes:
    """Return ``docx`` as a counterpart sends it back: untracked edits scattered through the body.

    Words changed in place, paragraphs deleted, inserted and moved, in the
    proportions of a negotiated text (most edits are words).
    """
    source = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(source.read(DOCUMENT_PART))
    body = root.find(w("body"))
    paragraphs = [p for p in body.iter(w("p")) if p.find(f"{w('r')}/{w('t')}") is not None]
    rng = random.Random(seed)
    for _ in range(len(paragraphs) * EDITS_PER_THOUSAND // 1000):
        edit = rng.choice((_reword, _reword, _reword, _reword, _drop, _add, _move))
        edit(rng, paragraphs, government)
    return _with_document(source, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _reword(rng: random.Random, paragraphs: list, government: str) -> None:
    texts = [t for t in rng.choice(paragraphs).iter(w("t")) if t.text and " " in t.text.strip()]
    if texts:
        text = rng.choice(texts)
        words = text.text.split(" ")
        words[rng.randrange(len(words))] = rng.choice(("consultation", "reasonable", "endeavour", "the", "promptly"))
        text.text = " ".join(words)


def _drop(rng: random.Random, paragraphs: list, government: str) -> None:
    paragraph = paragraphs.pop(rng.randrange(len(paragraphs)))
    paragraph.getparent().remove(paragraph)


def _add(rng: random.Random, paragraphs: list, government: str) -> None:
    model = rng.choice(paragraphs)
    new = etree.SubElement(etree.Element(w("wrap")), w("p"))
    if model.find(w("pPr")) is not None:
        new.append(etree.fromstring(etree.tostring(model.find(w("pPr")))))
    etree.SubElement(etree.SubElement(new, w("r")), w("t")).text = sentence(rng, government)
    model.addnext(new)
    paragraphs.append(new)


def _move(rng: random.Random, paragraphs: list, government: str) -> None:
    moved, anchor = rng.sample(paragraphs, 2)
    if moved not in anchor.iterancestors() and anchor not in moved.iterancestors():
        anchor.addnext(moved)


def _with_document(source: zipfile.ZipFile, document: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = document if info.filename == DOCUMENT_PART else source.read(info)
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_TIMESTAMP), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# --- the corpus --------------------------------------------------------------------------------


def drafted_notes() -> dict[str, tuple[bytes, str]]:
    """Return, per example programme, its drafted japan-note and the recipient Government."""
    library = load_library()
    template = find_template(load_catalog(), "japan-note")
    notes = {}
    for path in sorted((REPO / "examples").glob("*.yaml")):
        programme = load_programme(path)
        notes[programme.name] = (render_note(programme, library, template), programme.values()["recipient.government"])
    return notes


def write_corpus(out: Path, sizes: tuple[int, ...], batch: int, compare_sizes: tuple[int, ...] = ()) -> list[Path]:
    """Write ``note-N.docx`` for each size, ``sent-N.docx`` and ``returned-N.docx`` for each compare size,
    and ``batch/draft-NNN.docx``; return the paths written."""
    notes = drafted_notes()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for size in sizes:
        note, government = notes[SIZE_PROGRAMME]
        written.append(out / f"note-{size}.docx")
        written[-1].write_bytes(grow(note, size, government, SEED + size))
    for size in compare_sizes:
        note, government = notes[SIZE_PROGRAMME]
        sent = grow(note, size, government, SEED + size)
        written += [out / f"sent-{size}.docx", out / f"returned-{size}.docx"]
        written[-2].write_bytes(sent)
        written[-1].write_bytes(returned(sent, government, SEED - size))
    batch_dir = out / "batch"
    batch_dir.mkdir(exist_ok=True)
    for stale in batch_dir.glob("draft-*.docx"):
        stale.unlink()
    names = sorted(notes)
    for index in range(batch):
        note, government = notes[names[index % len(names)]]
        written.append(batch_dir / f"draft-{index:03d}.docx")
        written[-1].write_bytes(grow(note, BATCH_PARAGRAPHS, government, SEED + index))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write the drafts to")
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, help="paragraphs per draft")
    parser.add_argument("--compare-sizes", type=int, nargs="*", default=DEFAULT_COMPARE_SIZES,
                        help="paragraphs per pair of drafts (sent, returned) for osa compare")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH,
                        help=f"how many {BATCH_PARAGRAPHS}-paragraph drafts to write to OUT/batch")
    args = parser.parse_args(argv)
    written = write_corpus(args.out, tuple(args.sizes), args.batch, tuple(args.compare_sizes))
    print(f"wrote {len(written)} drafts to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
