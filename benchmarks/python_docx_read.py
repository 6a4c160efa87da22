"""The python-docx baseline: open a draft and read every paragraph and table cell.

This is what a script built on python-docx would do to get a draft's text.
python-docx does not descend into block-level content controls (``w:sdt``), so
it never sees the mandatory clauses that ``osa draft`` puts in them; it is a
baseline for cost, not for what is read.

Usage: ``python benchmarks/python_docx_read.py DRAFT.docx``.
"""

from __future__ import annotations

import sys

import docx


def read_text(path: str) -> tuple[int, int]:
    """Return the number of paragraphs and table cells read and their characters."""
    document = docx.Document(path)
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return len(texts), sum(map(len, texts))


if __name__ == "__main__":
    print("%d paragraphs and cells, %d characters" % read_text(sys.argv[1]))
