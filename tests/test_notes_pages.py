"""The Notes as a drafter sends them: every example's Notes rendered by LibreOffice, read page by page.

Each Note is converted to PDF and its text read per page with pdftotext, as the
recipient's ministry would see it printed: the closing block (complimentary close,
signature, addressee) never stands on a page without the Note's last paragraph,
names stay on one line, quotation marks are typographic, the recipient State is
named, and the quoted Annex of a reply stands inside the quotation.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from osa_agreements.drafting.notes import draft
from osa_agreements.programme import load_programme

from .conftest import EXAMPLES, flat, soffice_convert

LAST_PARAGRAPH = {"japan-note": "I have further the honour to propose",
                  "reply-note": "I have further the honour to confirm"}
CLOSE = "I avail myself of this opportunity"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Return ``{(programme, template): (programme, pages of text, PDF path)}`` for every example's Notes."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    folder = tmp_path_factory.mktemp("notes")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("OSA_AUTHOR", raising=False)
        notes = [note for example in EXAMPLES for note in draft(example, out_dir=folder)]
    pdfs = soffice_convert([note.path for note in notes], "pdf", folder)
    programmes = {example.stem: load_programme(example) for example in EXAMPLES}
    return {(note.programme, note.template): (programmes[note.programme], pdf_pages(pdf), pdf)
            for note, pdf in zip(notes, pdfs)}


def pdf_pages(pdf: Path) -> list[list[str]]:
    """Return the text of each page of ``pdf`` as its lines, stripped, without blank lines."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = done.stdout.split("\f")
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages if page.strip()]


NOTES = [(example.stem, template) for example in EXAMPLES for template in ("japan-note", "reply-note")]
IDS = [f"{programme}-{template}" for programme, template in NOTES]


def addressee_side(template: str) -> str:
    return "recipient" if template == "japan-note" else "japan"


def signatory_side(template: str) -> str:
    return "japan" if template == "japan-note" else "recipient"


@pytest.mark.parametrize("note", NOTES, ids=IDS)
def test_the_closing_block_stands_with_the_last_paragraph_on_one_page(rendered, note):
    programme, pages, _ = rendered[note]
    signatories = programme.context()["signatories"]
    addressee = signatories[addressee_side(note[1])]
    page = next(p for p in pages if addressee["addressed"] in p)
    text = flat(" ".join(page))
    close = text.rfind(CLOSE)  # a reply also quotes the close of Japan's Note
    assert close >= 0 and LAST_PARAGRAPH[note[1]] in text[:close], f"the closing stands apart:\n{text}"
    assert flat(signatories[signatory_side(note[1])]["title"]) in text[close:]
    assert text.index(LAST_PARAGRAPH[note[1]]) < close < text.index(addressee["addressed"])


@pytest.mark.parametrize("note", NOTES, ids=IDS)
def test_no_page_holds_only_the_closing_block(rendered, note):
    _, pages, _ = rendered[note]
    lines = [line for page in pages for line in page]
    own_close = max(i for i, line in enumerate(lines) if line.startswith(CLOSE))
    annex = next((i for i, line in enumerate(lines) if i > own_close and line == "Annex"), len(lines))
    closing_block = set(lines[own_close:annex])
    for number, page in enumerate(pages, start=1):
        text_lines = [line for line in page if line != str(number)]  # the page number in the footer
        assert not set(text_lines) <= closing_block, f"page {number} holds only the closing block: {text_lines}"


@pytest.mark.parametrize("note", NOTES, ids=IDS)
def test_names_and_forms_of_address_stay_on_one_line(rendered, note):
    programme, pages, _ = rendered[note]
    signatories = programme.context()["signatories"]
    lines = [line for page in pages for line in page]
    addressee, signatory = signatories[addressee_side(note[1])], signatories[signatory_side(note[1])]
    assert addressee["addressed"] in lines
    if signatory["name"]:
        assert signatory["name"] in lines


def test_the_addressee_is_printed_with_form_of_address_courtesy_title_and_name(rendered):
    lines = [line for page in rendered[("philippines-2023-coastal-radar", "japan-note")][1] for line in page]
    assert "His Excellency Mr Enrique A. Manalo" in lines
    assert "Koshikawa Kazuhiko" in lines
    reply = [line for page in rendered[("malaysia-2023-rescue-boats", "reply-note")][1] for line in page]
    assert "Her Excellency Ms Kamikawa Yoko" in reply


@pytest.mark.parametrize("note", NOTES, ids=IDS)
def test_quotes_and_apostrophes_are_typographic(rendered, note):
    _, pages, _ = rendered[note]
    text = "\n".join(line for page in pages for line in page)
    assert '"' not in text and "'" not in text
    assert "“the Grant”" in flat(text) and "Excellency’s" in text


@pytest.mark.parametrize("note", NOTES, ids=IDS)
def test_the_recipient_state_is_named_and_amounts_are_british(rendered, note):
    programme, pages, _ = rendered[note]
    text = flat(" ".join(line for page in pages for line in page))
    assert "recipient country" not in text
    assert f"entry into {programme.values()['recipient.state']} and stay therein" in text
    assert "the following arrangements" in text and "be regarded as constituting an agreement" in text
    assert "this Agreement" not in text


def test_amounts_are_written_in_british_english(rendered):
    _, pages, _ = rendered[("bangladesh-2023-patrol-boats", "japan-note")]
    assert "five hundred and seventy-five million Japanese yen (¥575,000,000)" in flat(
        " ".join(line for page in pages for line in page))


@pytest.mark.parametrize("programme", [e.stem for e in EXAMPLES])
def test_the_reply_quotes_the_annex_inside_the_quotation(rendered, programme):
    _, pages, _ = rendered[(programme, "reply-note")]
    text = flat(" ".join(line for page in pages for line in page))
    quoted_close = text.index(CLOSE)
    annex = text.index("Annex", quoted_close)
    assert quoted_close < annex < text.index("List of Products", annex) < text.index(LAST_PARAGRAPH["reply-note"])


@pytest.mark.parametrize("note", NOTES, ids=IDS)
def test_the_pdf_carries_the_document_properties(rendered, note):
    programme, _, pdf = rendered[note]
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    info = dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)
    assert info["Title"].strip() == programme.context()["programme"]["title"]
    assert info["Author"].strip() == "Government of Japan"
    assert "Note" in info["Subject"]
