"""Drafting: a programme, the clause library and a Word template become a Note (.docx).

The only module that touches docxtpl. Programme values reach the template as
escaped data, rendered in a Jinja sandbox; clause text is filled in afterwards
from the library, so nothing a user writes is ever run as a template.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from osa_agreements import __version__
from osa_agreements.drafting.templates import Template, find_template, load_catalog
from osa_agreements.errors import InputFileError, OutputError, ProgrammeError, TemplateError
from osa_agreements.library.clauses import ClauseLibrary, load_library
from osa_agreements.ooxml.writer import (ClauseFill, DocumentProperties, clause_controls, control_text, fill_control,
                           set_custom_properties, set_document_properties)
from osa_agreements.files.writing import refuse_existing, refuse_file_as_folder, write_atomically
from osa_agreements.programme import Programme, load_programme
from osa_agreements.drafting.typography import typographic


DEFAULT_AUTHOR = "Government of Japan"
"""The author and company of a Note's document properties when ``OSA_AUTHOR`` is not set."""


@dataclass(frozen=True)
class DraftedNote:
    """One Note written by ``draft``: where it went and what made it."""

    path: Path
    template: str
    programme: str
    library_version: str
    size: int


def draft(
    programme_paths: Path | tuple[Path, ...] | list[Path],
    template_names: tuple[str, ...] = (),
    output: Path | None = None,
    out_dir: Path | None = None,
    force: bool = False,
    library_dir: Path | None = None,
    templates_dir: Path | None = None,
) -> tuple[DraftedNote, ...]:
    """Draft the Notes of one or more programmes and write them; return what was written.

    Without ``template_names`` every template of the catalogue is drafted. Either
    ``output`` (one programme and one template only) or ``out_dir`` (default: the
    current directory, files named PROGRAMME-TEMPLATE.docx) says where. Every
    programme is validated first and every problem of every file reported together;
    nothing is written unless every Note of every programme renders and passes
    verification; an existing file is kept unless ``force``.
    """
    paths = [Path(programme_paths)] if isinstance(programme_paths, (str, Path)) else list(map(Path, programme_paths))
    library = load_library(library_dir)
    programmes = _load_programmes(paths, library)
    catalog = load_catalog(templates_dir)
    templates = tuple(find_template(catalog, n) for n in template_names) or catalog
    jobs = [(programme, template, path) for programme in programmes
            for template, path in zip(templates, _destinations(programme, templates, output, out_dir, len(paths)))]
    _refuse_outputs([path for _, _, path in jobs], force)
    rendered = [render_note(programme, library, template) for programme, template, _ in jobs]
    for (_, _, path), data in zip(jobs, rendered):
        write_atomically(path, data, force)
    return tuple(DraftedNote(path, t.name, p.name, library.version, len(data))
                 for (p, t, path), data in zip(jobs, rendered))


def _load_programmes(paths: list[Path], library: ClauseLibrary) -> list[Programme]:
    """Return every programme; raise one ProgrammeError listing the problems of every file that has any."""
    programmes, problems = [], []
    for path in paths:
        try:
            programme = load_programme(path)
            _check_wording(programme, library)
            programmes.append(programme)
        except InputFileError as error:
            problems += error.lines()
    if problems:
        raise ProgrammeError(f"{len(problems)} problem(s); nothing was written", tuple(problems))
    return programmes


def _refuse_outputs(paths: list[Path], force: bool) -> None:
    """Raise OutputError, before anything is rendered, when an output cannot be written or is named twice."""
    seen: set[Path] = set()
    for path in paths:
        if path.resolve() in seen:
            raise OutputError(f"{path}: two programmes would be drafted into this file; give the programme "
                              "files different names")
        seen.add(path.resolve())
        refuse_existing(path, force)


def _check_wording(programme: Programme, library: ClauseLibrary) -> None:
    """Raise ProgrammeError when the programme chooses a wording that the library does not have."""
    for clause_id, variant in programme.wording.items():
        if clause_id not in library.clauses:
            raise ProgrammeError(f"{programme.path}: wording.{clause_id}: no clause {clause_id} in the library")
        try:
            library[clause_id].variant(variant)
        except KeyError as exc:
            raise ProgrammeError(f"{programme.path}: wording.{clause_id}: {exc.args[0]}") from exc


def _destinations(programme: Programme, templates, output: Path | None, out_dir: Path | None,
                  programme_count: int = 1) -> list[Path]:
    """Return where each template's Note of ``programme`` goes; raise for an output that cannot hold them."""
    if output is not None:
        if programme_count != 1 or len(templates) != 1:
            raise OutputError("-o/--output names one file: give one programme and one --template, or use --out-dir")
        if Path(output).suffix.lower() != ".docx":
            raise OutputError(f"{output}: a Note is a Word .docx file; name the output *.docx")
        return [Path(output)]
    directory = Path(out_dir) if out_dir is not None else Path(".")
    refuse_file_as_folder(directory)
    return [directory / f"{programme.name}-{t.name}.docx" for t in templates]


def render_note(programme: Programme, library: ClauseLibrary, template: Template) -> bytes:
    """Return the .docx bytes of ``template`` filled for ``programme``, verified."""
    document = _render_template(template, programme.context())
    fills = _fill_clauses(document.element.body, programme, library, template)
    verify_clause_controls(document.element.body, library, template, fills)
    verify_facilities(programme, library, template, fills)
    set_document_properties(document, note_properties(programme, template))
    set_custom_properties(document, {
        "osa-library-version": library.version,
        "osa-template": template.name,
        "osa-programme": programme.name,
        "osa-toolkit-version": __version__,
    })
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _render_template(template: Template, context: dict):
    """Return the python-docx Document of ``template`` rendered with ``context`` (docxtpl)."""
    try:
        engine = DocxTemplate(template.path)
        engine.render(_as_data(context), jinja_env=_sandbox(), autoescape=True)
    except (FileNotFoundError, PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise TemplateError(f"{template.path}: cannot open the Word template: {exc}; "
                            "restore it or check templates.yaml") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{template.path}: template error: {exc}; "
                            "check the template's {{ }} and {% %} tags (osa templates validate)") from exc
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateError(f"{template.path}: {type(exc).__name__}: {exc}; check the expressions in the "
                            "template's tags (osa templates validate)") from exc
    return engine.docx


def template_sources(template: Template) -> list[tuple[str, str]]:
    """Return ``(part, Jinja source)`` for the body, headers and footers, as docxtpl prepares them.

    Only docxtpl knows how it joins a template's XML into Jinja source, so template
    checks look for variables in what it makes; nothing is rendered here.
    """
    engine = DocxTemplate(template.path)
    try:
        engine.init_docx()
    except (FileNotFoundError, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"{template.path}: cannot open the Word template: {exc}; save it again from Word") from exc
    sources = [("body", engine.patch_xml(engine.get_xml()))]
    for uri, label in ((engine.HEADER_URI, "header"), (engine.FOOTER_URI, "footer")):
        for number, (_, part) in enumerate(engine.get_headers_footers(uri), start=1):
            sources.append((f"{label}{number}", engine.patch_xml(engine.get_part_xml(part))))
    return sources


def _sandbox() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def _as_data(value):
    """Return ``value`` with every string escaped for XML and protected from docxtpl's tag markers.

    docxtpl turns ``{_{`` back into ``{{`` after rendering; writing underscores as a
    character reference keeps a user's text exactly as typed.
    """
    if isinstance(value, dict):
        return {k: _as_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_data(v) for v in value]
    if isinstance(value, str):
        return Markup(str(escape(value)).replace("_", "&#95;"))
    return value


def _fill_clauses(body, programme: Programme, library: ClauseLibrary, template: Template) -> dict[str, ClauseFill]:
    fills: dict[str, ClauseFill] = {}
    for clause_id, sdt in clause_controls(body):
        fills[clause_id] = fills.get(clause_id) or _clause_fill(clause_id, programme, library, template)
        fill_control(sdt, fills[clause_id])
    return fills


def _clause_fill(clause_id: str, programme: Programme, library: ClauseLibrary, template: Template) -> ClauseFill:
    if clause_id not in library.clauses:
        raise TemplateError(f"{template.path}: a content control is tagged osa-clause:{clause_id}, "
                            "which is not a clause of the library; fix the tag")
    clause = library[clause_id]
    variant = programme.wording.get(clause_id)
    wording = clause.variant(variant)
    tag = f"osa-clause:{clause.id}@{clause.version}" + (f"/{variant}" if variant else "")
    return ClauseFill(tag, clause.title, tuple(typographic(p) for p in wording.render(programme.values())))


def verify_clause_controls(body, library: ClauseLibrary, template: Template, fills: dict[str, ClauseFill]) -> None:
    """Raise TemplateError unless every mandatory clause stands exactly once, with its text."""
    controls = clause_controls(body)
    for clause in library.mandatory():
        found = [sdt for cid, sdt in controls if cid == clause.id]
        if not found:
            raise TemplateError(f"{template.path}: lacks the mandatory clause {clause.id}; add a content "
                                f"control tagged osa-clause:{clause.id} where it belongs")
        if len(found) > 1:
            raise TemplateError(f"{template.path}: has the mandatory clause {clause.id} {len(found)} times; "
                                "keep one content control for it")
        if control_text(found[0]) != "\n".join(fills[clause.id].paragraphs):
            raise TemplateError(f"{template.path}: the control for {clause.id} did not take the clause text; "
                                "make it a plain content control holding one paragraph")


def verify_facilities(programme: Programme, library: ClauseLibrary, template: Template,
                      fills: dict[str, ClauseFill]) -> None:
    """Raise TemplateError unless the Note covers the programme's facilities exactly when it has any.

    With facilities, a clause defines “the Facilities” and every mandatory clause that
    speaks of the Products speaks of the Facilities too; without, no clause for
    facilities stands in the Note.
    """
    facility_clauses = [c.id for c in library.for_facilities()]
    present = [cid for cid in facility_clauses if cid in fills]
    if not programme.has_facilities:
        if present:
            raise TemplateError(f"{template.path}: holds the clause {present[0]} for a programme without facilities; "
                                f"put its content control inside {{%p if facilities %}} ... {{%p endif %}}")
        return
    if not present:
        raise TemplateError(f"{template.path}: has no clause defining the Facilities, which {programme.name} "
                            f"lists; add a content control tagged osa-clause:{facility_clauses[0] if facility_clauses else 'ID'} "
                            "inside {%p if facilities %} ... {%p endif %}")
    for clause in library.mandatory():
        text = " ".join(fills[clause.id].paragraphs)
        if "Products" in text and "Facilities" not in text:
            raise TemplateError(f"{template.path}: the mandatory clause {clause.id} speaks of the Products but not of "
                                f"the Facilities of {programme.name}; its wording must use {{{{ programme.provided }}}}")


def note_properties(programme: Programme, template: Template, now: dt.datetime | None = None) -> DocumentProperties:
    """Return the document properties of a Note: the programme's title, which Note, who made it and when.

    The author and company come from ``OSA_AUTHOR`` (default: the Government of Japan).
    """
    author = os.environ.get("OSA_AUTHOR", "").strip() or DEFAULT_AUTHOR
    return DocumentProperties(
        title=typographic(programme.data["programme"]["title"]),
        subject=note_subject(programme, template),
        author=author,
        company=author,
        created=now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        application=f"osa-agreements {__version__}",
    )


def note_subject(programme: Programme, template: Template) -> str:
    """Return which Note of the Exchange of Notes a document is, for its Subject property."""
    government = programme.values()["recipient.government"]
    if template.document == "reply":
        return f"Exchange of Notes: Note in reply of the {government}"
    return f"Exchange of Notes: Note of the Government of Japan to the {government}"
