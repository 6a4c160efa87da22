"""The floor: the least a checker must do to read a draft's text (one process per draft).

Unzip ``word/document.xml``, parse it with lxml and join the text of each
paragraph; print the number of paragraphs and characters. No tracked changes,
numbering, content controls or other parts: anything slower than this is the
cost of understanding the document.

Usage: ``python benchmarks/floor.py DRAFT.docx``.
"""

from __future__ import annotations

import sys
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_text(path: str) -> tuple[int, int]:
    """Return the number of paragraphs and of characters of the draft's main document."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    paragraphs = characters = 0
    for paragraph in root.iter(f"{W}p"):
        paragraphs += 1
        characters += len("".join(paragraph.itertext(f"{W}t", with_tail=False)))
    return paragraphs, characters


if __name__ == "__main__":
    print("%d paragraphs, %d characters" % read_text(sys.argv[1]))
