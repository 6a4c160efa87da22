"""A programme description: loaded from YAML, validated, and its derived wording."""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass
from pathlib import Path

from osa_agreements.errors import ProgrammeError
from osa_agreements.files.json_schemas import schema_problems
from osa_agreements.drafting.typography import typographic_data
from osa_agreements.files.yaml_files import load_yaml

FIELDS = {
    "a": "peace, stability and security based on the rule of law",
    "b": "humanitarian activities",
    "c": "international peace cooperation activities",
}
PROVIDED = "the Products"
PROVIDED_WITH_FACILITIES = "the Products and the Facilities"
"""What the programme provides, as the Note defines it (placeholder ``programme.provided``)."""
PLACEHOLDER_CHOICES = {"programme.provided": (PROVIDED, PROVIDED_WITH_FACILITIES)}
"""The placeholders that can hold only these values, whatever the programme."""
DERIVED_VARIABLES = frozenset({"programme.field_text", "grant.amount_text", "grant.period_text", "recipient.state",
                               *(f"signatories.{side}.{field}" for side in ("japan", "recipient")
                                 for field in ("honorific", "name", "courtesy_title", "addressed"))})
"""What ``Programme.context()`` gives templates beyond the programme file's own fields."""
_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")


@dataclass(frozen=True)
class Programme:
    """One OSA programme, as its programme file describes it."""

    path: Path
    data: dict

    @property
    def name(self) -> str:
        """Return the file's stem, used to name the drafts made from it."""
        return self.path.stem

    @property
    def has_facilities(self) -> bool:
        """Return True when the programme develops infrastructure: it lists facilities."""
        return bool(self.data.get("facilities"))

    @property
    def wording(self) -> dict[str, str]:
        """Return the approved alternative wording chosen for each clause id."""
        return dict(self.data.get("wording", {}))

    def values(self) -> dict[str, str]:
        """Return the placeholder values clause wording may use (programme.schema.json x-placeholders).

        Every value is set with typographic quotes and apostrophes, as the Note prints it.
        """
        d = self.data
        return typographic_data({
            "recipient.country": d["recipient"]["country"],
            "recipient.government": d["recipient"]["government"],
            "recipient.state": recipient_state(d["recipient"]["government"]),
            "recipient.organization": d["recipient"]["organization"],
            "programme.purpose": d["programme"]["purpose"],
            "programme.field": FIELDS[d["programme"]["field"]],
            "programme.provided": PROVIDED_WITH_FACILITIES if self.has_facilities else PROVIDED,
            "grant.amount": yen_in_words_and_figures(d["grant"]["amount_jpy"]),
            "grant.period": months_in_words_and_figures(d["grant"]["period_months"]),
            "procurement.agent": d["procurement"]["agent"],
            "signing.place": d["signing"]["place"],
            "signing.date": long_date(d["signing"]["date"]),
        })

    def context(self) -> dict:
        """Return what Word templates may use: the programme file's data and the derived values.

        Text is set with typographic quotes and apostrophes, as the Note prints it.
        """
        derived = self.values()
        return typographic_data({
            "programme": {**self.data["programme"], "field_text": derived["programme.field"]},
            "recipient": {**self.data["recipient"], "state": derived["recipient.state"]},
            "grant": {**self.data["grant"], "amount_text": derived["grant.amount"],
                      "period_text": derived["grant.period"]},
            "procurement": dict(self.data["procurement"]),
            "equipment": [dict(e) for e in self.data["equipment"]],
            "facilities": [dict(f) for f in self.data.get("facilities", ())],
            "signing": {"place": self.data["signing"]["place"], "date": derived["signing.date"]},
            "signatories": {side: _signatory(s) for side, s in self.data["signatories"].items()},
        })


def _signatory(data: dict) -> dict:
    """Return a signatory as templates print it; ``addressed`` is the one line naming the addressee.

    The signature gives the name as signed; the addressee line puts the form of
    address and courtesy title before it ("His Excellency Mr Enrique A. Manalo"),
    or is the form of address alone when no name is given.
    """
    name = data.get("name", "")
    honorific = data.get("honorific", "His Excellency")
    addressed = " ".join(part for part in (honorific, data.get("courtesy_title", "") if name else "", name) if part)
    return {"name": name, "title": data["title"], "honorific": honorific,
            "courtesy_title": data.get("courtesy_title", ""), "addressed": addressed}


def load_programme(path: Path) -> Programme:
    """Return the programme in ``path``; raise ProgrammeError with one line per problem."""
    path = Path(path)
    _refuse_word_document(path)
    document = load_yaml(path, "programme file")
    if not isinstance(document.data, dict):
        raise ProgrammeError(f"{path}: a programme file is a YAML mapping (programme:, recipient:, ...)")
    problems = schema_problems(document, "programme.schema.json")
    if problems:
        raise ProgrammeError(f"{path}: invalid programme file ({len(problems)} problem(s))", tuple(problems))
    return Programme(path, document.data)


def _refuse_word_document(path: Path) -> None:
    """Raise ProgrammeError when ``path`` is a Word document (a zip package), given where a programme goes."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError:
        return  # load_yaml says what is wrong with the path
    if head == b"PK\x03\x04":
        raise ProgrammeError(f"{path}: is a Word document, not a programme file; to check a received draft "
                             f"use osa check {shlex.quote(str(path))}")


def yen_in_words_and_figures(amount: int) -> str:
    """Return e.g. ``six hundred million Japanese yen (¥600,000,000)``."""
    return f"{number_in_words(amount)} Japanese yen (¥{amount:,})"


def months_in_words_and_figures(months: int) -> str:
    """Return e.g. ``twenty-four (24) months``."""
    unit = "month" if months == 1 else "months"
    return f"{number_in_words(months)} ({months}) {unit}"


def number_in_words(number: int) -> str:
    """Return ``number`` in British English words, as Japan's Notes write amounts, without commas.

    e.g. ``five hundred and seventy-five million``, ``one billion one hundred million``.
    """
    from num2words import num2words

    return num2words(number, lang="en").replace(",", "")


def recipient_state(government: str) -> str:
    """Return the recipient State's full name from its government's: ``the Republic of the Philippines``.

    The government's name is "Government of " followed by the State's full name, as
    the programme schema requires ("Government of Malaysia", "Government of the
    Republic of Fiji").
    """
    return government.removeprefix("Government of ").strip()


def long_date(iso: str) -> str:
    """Return ``2023-11-03`` as ``3 November 2023``."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
