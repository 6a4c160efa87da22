"""Validating the Word templates before a drafter uses them: ``osa templates validate``.

Each template must open, use only programme values, hold every mandatory clause
(and the clauses its kind of document needs) in content controls, keep clear of
the known docxtpl traps, and render with every example programme. Checks run on
plain records from ``ooxml.template_xml`` and on the Jinja syntax tree of the
template as docxtpl prepares it; rendering goes through ``drafting.render_note``,
the same path ``osa draft`` takes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from osa_agreements.drafting.templates import (
    DOCUMENT_CLAUSES,
    Template,
    default_templates_dir,
    find_template,
    load_catalog,
)
from osa_agreements.drafting.notes import render_note, template_sources
from osa_agreements.errors import InputFileError, OsaError, TemplateError
from osa_agreements.library.clauses import ClauseLibrary, load_library
from osa_agreements.library.upkeep import SKELETON_WORDING
from osa_agreements.ooxml.template_xml import TemplateDocument, TemplateParagraph, read_template
from osa_agreements.files.writing import refuse_existing, write_atomically
from osa_agreements.programme import DERIVED_VARIABLES, Programme, load_programme
from osa_agreements.files.json_schemas import load_schema

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
TAG_DEBRIS = re.compile(r"\{\s*[{%#]|[}%#]\s*\}")
RUN_TAG = re.compile(r"\{\{\s*[rp]\s")
LOOP_START = re.compile(r"^\s*\{%-?\s*(?:p|tr)\s+for\b")
LOOP_END = re.compile(r"^\s*\{%-?\s*(?:p|tr)\s+endfor\b")
PLAIN_MARK = " [osa values come out as written]"
SPECIAL_MARK = " [osa values & <tags> \"come out\" as 'written']"


@dataclass(frozen=True)
class TemplateCheck:
    """The validation of one template: its problems and the example programmes it rendered with."""

    template: Template
    problems: tuple[str, ...]
    rendered: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplatesValidation:
    """The result of ``validate_templates``: one check per template, and what they were checked against."""

    checks: tuple[TemplateCheck, ...]
    library: ClauseLibrary
    examples: tuple[Path, ...]
    example_problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def problems(self) -> tuple[str, ...]:
        """Return every problem found: the example programmes' first, then each template's."""
        return self.example_problems + tuple(p for check in self.checks for p in check.problems)

    def raise_for_problems(self) -> None:
        """Raise TemplateError listing every problem, when there is any."""
        if self.problems:
            raise TemplateError(f"{len(self.problems)} template problem(s)", self.problems)


@dataclass(frozen=True)
class _Parsed:
    """A template's Jinja syntax trees, one per story part, and the problem when one does not parse."""

    trees: tuple[nodes.Template, ...]
    problem: str | None = None


def validate_templates(
    templates_dir: Path | None = None,
    names: tuple[str, ...] = (),
    library_dir: Path | None = None,
    examples_dir: Path | None = None,
) -> TemplatesValidation:
    """Return the validation of the templates called ``names`` (default: every template of the catalogue).

    The library defaults to the ``clause_library`` folder beside the templates folder
    (else the shipped one), the example programmes to the ``examples`` folder beside it.
    """
    templates_dir = Path(templates_dir) if templates_dir is not None else default_templates_dir()
    catalog = load_catalog(templates_dir)
    templates = tuple(find_template(catalog, name) for name in names) or catalog
    library = load_library(library_dir if library_dir is not None else sibling_library(templates_dir))
    examples, notes = example_files(templates_dir, examples_dir)
    programmes, example_problems = load_examples(examples, library)
    quoted = note_clauses(catalog)
    checks = tuple(check_template(t, library, programmes, quoted) for t in templates)
    return TemplatesValidation(checks, library, examples, tuple(example_problems), notes)


def note_clauses(catalog: tuple[Template, ...]) -> dict[str, Template]:
    """Return the clauses of the Notes (``document: note``) that a reply quotes, with the Note each is in."""
    clauses: dict[str, Template] = {}
    for template in (t for t in catalog if t.document == "note"):
        try:
            controls = read_template(template.path).clause_controls
        except TemplateError:
            continue  # reported when that template is checked
        clauses.update({clause_id: template for clause_id in controls if clause_id not in clauses})
    return clauses


def sibling_library(templates_dir: Path) -> Path | None:
    """Return the clause library folder beside ``templates_dir``, or None to use the shipped one."""
    candidate = Path(templates_dir).parent / "clause_library"
    return candidate if (candidate / "library.yaml").is_file() else None


def example_files(templates_dir: Path, examples_dir: Path | None) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    """Return the example programme files, and a note when there are none to render with."""
    if examples_dir is not None:
        examples_dir = Path(examples_dir)
        if not examples_dir.is_dir():
            raise InputFileError(f"{examples_dir}: no such folder; give the folder of example programmes")
        found = tuple(sorted(examples_dir.glob("*.yaml")))
        if not found:
            raise InputFileError(f"{examples_dir}: no example programmes (*.yaml); add one or fix --examples")
        return found, ()
    default = Path(templates_dir).parent / "examples"
    found = tuple(sorted(default.glob("*.yaml"))) if default.is_dir() else ()
    if found:
        return found, ()
    return (), ((f"no example programmes found in {default}: rendering not tried; the templates' variables "
                 "were checked against the programme schema; give --examples DIR"),)


def load_examples(paths: tuple[Path, ...], library: ClauseLibrary) -> tuple[list[Programme], list[str]]:
    """Return the example programmes that load and choose existing wordings, and the problems of the others."""
    programmes, problems = [], []
    for path in paths:
        try:
            programme = load_programme(path)
        except InputFileError as exc:
            problems.extend(exc.lines())
            continue
        wording = _wording_problems(programme, library)
        problems.extend(wording)
        if not wording:
            programmes.append(programme)
    return programmes, problems


def _wording_problems(programme: Programme, library: ClauseLibrary) -> list[str]:
    problems = []
    for clause_id, variant in programme.wording.items():
        if clause_id not in library.clauses:
            problems.append(f"{programme.path}: wording.{clause_id}: no clause {clause_id} in the library")
            continue
        try:
            library[clause_id].variant(variant)
        except KeyError as exc:
            problems.append(f"{programme.path}: wording.{clause_id}: {exc.args[0]}")
    return problems


def check_template(template: Template, library: ClauseLibrary, programmes: list[Programme],
                   quoted: dict[str, Template] | None = None) -> TemplateCheck:
    """Return the problems of one template; render it with ``programmes`` when nothing stops it.

    A reply must hold the ``quoted`` clauses of Japan's Note, since it quotes the Note in full.
    """
    try:
        document = read_template(template.path)
        parsed = _parse(template)
    except TemplateError as exc:
        return TemplateCheck(template, (exc.message,))
    variables = programme_variables(programmes)
    blocking = [*clause_control_problems(template, document, library),
                *quotation_problems(template, document, quoted or {}),
                *([parsed.problem] if parsed.problem else []),
                *variable_problems(template, document, parsed.trees, variables)]
    tags = tag_problems(template, document)
    traps = [*tags, *escaping_problems(template, parsed.trees), *loop_numbering_problems(template, document)]
    if blocking or not programmes:
        return TemplateCheck(template, tuple(blocking + traps))
    rendered, render_problems = render_with_examples(template, library, programmes, check_debris=not tags)
    return TemplateCheck(template, tuple(traps + render_problems), rendered)


def _parse(template: Template) -> _Parsed:
    """Return the Jinja trees of the template as docxtpl prepares it, or the syntax error."""
    environment = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    trees = []
    for part, source in template_sources(template):
        try:
            trees.append(environment.parse(source))
        except jinja2.TemplateSyntaxError as exc:
            return _Parsed(tuple(trees), f"{template.path}: {part}: cannot render: {exc.message}; fix the "
                                         "tag (each {% if %} / {% for %} needs its {% endif %} / {% endfor %})")
    return _Parsed(tuple(trees))


def programme_variables(programmes: list[Programme]) -> frozenset[str]:
    """Return the dotted names a template may use (``grant.amount_text``, ``equipment[].item``).

    They are what the programme schema defines plus the values drafting derives
    (``DERIVED_VARIABLES``), and whatever ``Programme.context()`` gives the examples:
    the same whether or not example programmes were found.
    """
    schema = load_schema("programme.schema.json")
    names: set[str] = set(DERIVED_VARIABLES)
    for programme in programmes:
        names |= set(context_paths(programme.context()))
    for top, node in schema["properties"].items():
        names |= set(_schema_paths(schema, node, top))
    return frozenset(names)


def context_paths(value, prefix: str = ""):
    """Return the dotted names of every value in ``value`` (``grant.amount``, ``equipment[].item``)."""
    if prefix:
        yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from context_paths(child, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for child in value or [None]:
            yield from context_paths(child, f"{prefix}[]")


def _schema_paths(schema: dict, node: dict, prefix: str):
    yield prefix
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    for key, child in node.get("properties", {}).items():
        yield from _schema_paths(schema, child, f"{prefix}.{key}")
    if node.get("type") == "array" and "items" in node:
        yield from _schema_paths(schema, node["items"], f"{prefix}[]")


def variable_problems(template: Template, document: TemplateDocument, trees, variables: frozenset[str]) -> list[str]:
    """Return one line per variable the template uses that the programme does not define."""
    tops = {_root(name) for name in variables}
    problems = []
    for tree in trees:
        for name in sorted(meta.find_undeclared_variables(tree) - tops):
            problems.append(_unknown_variable(template, document, name, name, tops))
        if any("." in name or "[" in name for name in variables):
            problems += [_unknown_variable(template, document, spelled, path, variables)
                         for spelled, path in _unknown_paths(tree, variables, tops)]
    return list(dict.fromkeys(problems))


def _unknown_paths(tree, variables: frozenset[str], tops: set[str]) -> list[tuple[str, str]]:
    """Return ``(as written, dotted path)`` of each attribute use whose first unknown step it is."""
    loops = _loop_variables(tree)
    unknown = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        found = _dotted(node, loops)
        parent = _dotted(node.node, loops)
        known_parent = parent is not None and parent[1] in variables
        if found and known_parent and found[1] not in variables and _root(parent[0]) in tops | set(loops):
            unknown.append(found)
    return unknown


def _root(name: str) -> str:
    """Return the first name of a dotted path: ``equipment`` for ``equipment[].item``."""
    return name.split(".")[0].split("[")[0]


def _loop_variables(tree) -> dict[str, str]:
    """Return the loop variables of ``{% for x in path %}`` tags, each bound to ``path[]``."""
    loops: dict[str, str] = {}
    for node in tree.find_all(nodes.For):
        iterable = _dotted(node.iter, loops)
        if isinstance(node.target, nodes.Name) and iterable:
            loops[node.target.name] = iterable[1] + "[]"
    return loops


def _dotted(node, loops: dict[str, str]) -> tuple[str, str] | None:
    """Return ``(as written, dotted path)`` of a name or attribute chain, loop variables resolved."""
    if isinstance(node, nodes.Name):
        return node.name, loops.get(node.name, node.name)
    inner = _dotted(node.node, loops) if isinstance(node, (nodes.Getattr, nodes.Getitem)) else None
    if inner is None:
        return None
    if isinstance(node, nodes.Getattr):
        return f"{inner[0]}.{node.attr}", f"{inner[1]}.{node.attr}"
    key = node.arg.value if isinstance(node.arg, nodes.Const) else None
    if isinstance(key, str):
        return f"{inner[0]}.{key}", f"{inner[1]}.{key}"
    if isinstance(key, int):
        return f"{inner[0]}[{key}]", f"{inner[1]}[]"
    return None


def _unknown_variable(template: Template, document: TemplateDocument, spelled: str, path: str, known) -> str:
    parent = path.rsplit(".", 1)[0] if "." in path else ""
    siblings = sorted(n for n in known if n.rsplit(".", 1)[0] == parent and "." in n) if parent else sorted(known)
    hint = ", ".join(siblings) or "none"
    return (f"{template.path}: {_where(document, spelled)}{{{{ {spelled} }}}} is not a programme value; "
            f"use one of: {hint} (see schemas/programme.schema.json)")


def _where(document: TemplateDocument, needle: str) -> str:
    for paragraph in document.paragraphs:
        if needle in paragraph.text:
            return f"{_place(paragraph)}: "
    return ""


def _place(paragraph: TemplateParagraph) -> str:
    text = " ".join(paragraph.text.split())
    excerpt = text if len(text) <= 60 else text[:57] + "..."
    where = "paragraph" if paragraph.part == "document" else f"{paragraph.part} paragraph"
    return f'{where} {paragraph.index} "{excerpt}"'


def clause_control_problems(template: Template, document: TemplateDocument, library: ClauseLibrary) -> list[str]:
    """Return the problems of the clause content controls: mandatory ones once each, none unknown.

    The clauses for facilities must be there too; rendering with a programme that has
    none (or some) shows whether the template puts them inside {%p if facilities %}.
    """
    counts = Counter(document.clause_controls)
    problems = []
    for clause in library.mandatory():
        if counts[clause.id] == 0:
            problems.append(f"{template.path}: lacks the mandatory clause {clause.id}; add a content control "
                            f"tagged osa-clause:{clause.id} where it belongs")
        elif counts[clause.id] > 1:
            problems.append(f"{template.path}: has the mandatory clause {clause.id} {counts[clause.id]} times; "
                            "keep one content control for it")
    for clause_id in DOCUMENT_CLAUSES.get(template.document, ()):
        if counts[clause_id] == 0:
            problems.append(f"{template.path}: lacks the clause {clause_id}, which every {template.document} "
                            f"needs; add a content control tagged osa-clause:{clause_id}")
    problems += [f"{template.path}: lacks the clause {clause.id}, which defines the Facilities of a programme that "
                 f"lists facilities; add a content control tagged osa-clause:{clause.id} inside "
                 "{%p if facilities %} ... {%p endif %}"
                 for clause in library.for_facilities() if template.document in clause.documents
                 and counts[clause.id] == 0]
    problems += [f"{template.path}: a content control is tagged osa-clause:{clause_id}, which is not a clause "
                 "of the library; fix the tag or add the clause (osa library new)"
                 for clause_id in counts if clause_id not in library.clauses]
    problems += [f"{library[clause_id].path}: text: still the wording of the skeleton, and template "
                 f"{template.name} uses the clause; write its wording"
                 for clause_id in counts
                 if clause_id in library.clauses and library[clause_id].wording.text.startswith(SKELETON_WORDING)]
    return problems


def quotation_problems(template: Template, document: TemplateDocument, quoted: dict[str, Template]) -> list[str]:
    """Return one line per clause of Japan's Note that a reply template does not quote."""
    if template.document != "reply":
        return []
    present = set(document.clause_controls)
    return [f"{template.path}: does not quote the clause {clause_id} of {note.path}, though a reply quotes "
            f"Japan's Note in full; add a content control tagged osa-clause:{clause_id} to the quotation"
            for clause_id, note in quoted.items() if clause_id not in present]


def tag_problems(template: Template, document: TemplateDocument) -> list[str]:
    """Return the tags typed across runs, the broken ones, and docxtpl's rich-text tags."""
    problems = []
    for paragraph in document.paragraphs:
        where = f"{template.path}: {_place(paragraph)}"
        problems += [f"{where}: the tag {tag} is typed across {runs} runs of differently formatted or edited "
                     "text, which docxtpl may leave unrendered; select the whole tag and retype it (or clear "
                     "its formatting) so that it is one run" for tag, runs in split_tags(paragraph)]
        debris = TAG_DEBRIS.search(TAG.sub("", paragraph.text))
        if debris:
            problems.append(f"{where}: '{debris.group(0)}' is part of a broken tag and would be printed as "
                            "text; write tags as {{ name }} or {% ... %}, braces together")
        if RUN_TAG.search(paragraph.text):
            problems.append(f"{where}: docxtpl's {{{{r ...}}}} and {{{{p ...}}}} tags take rich text, not "
                            "programme values; write {{ name }}")
    return problems


def split_tags(paragraph: TemplateParagraph) -> list[tuple[str, int]]:
    """Return each Jinja tag of ``paragraph`` that spans more than one run, with how many runs."""
    ends, total = [], 0
    for text in paragraph.runs:
        total += len(text)
        ends.append(total)
    found = []
    for match in TAG.finditer(paragraph.text):
        first = next(i for i, end in enumerate(ends) if end > match.start())
        last = next(i for i, end in enumerate(ends) if end >= match.end())
        if last > first:
            found.append((match.group(0), last - first + 1))
    return found


def escaping_problems(template: Template, trees) -> list[str]:
    """Return one line per tag that turns off escaping: values with & or < would break the Note."""
    problems = []
    for tree in trees:
        if any(node.name == "safe" for node in tree.find_all(nodes.Filter)):
            problems.append(f"{template.path}: a tag uses |safe, which turns off escaping: a value holding & or < "
                            "would break the Note; remove |safe (osa escapes every value)")
        for node in tree.find_all((nodes.ScopedEvalContextModifier, nodes.EvalContextModifier)):
            if any(o.key == "autoescape" and not (isinstance(o.value, nodes.Const) and o.value.value)
                   for o in node.options):
                problems.append(f"{template.path}: an {{% autoescape false %}} block turns off escaping; remove it")
    return problems


def loop_numbering_problems(template: Template, document: TemplateDocument) -> list[str]:
    """Return one line per loop whose numbered paragraphs would not continue the numbering around them."""
    problems = []
    for part in dict.fromkeys(p.part for p in document.paragraphs):
        paragraphs = [p for p in document.paragraphs if p.part == part]
        for start, end in _loops(paragraphs):
            problem = _loop_numbering(paragraphs, start, end)
            if problem:
                problems.append(f"{template.path}: {_place(paragraphs[start])}: {problem}")
    return problems


def _loops(paragraphs: list[TemplateParagraph]) -> list[tuple[int, int]]:
    """Return ``(start, end)`` positions of each paragraph or row loop (``{%p for %}``, ``{%tr for %}``)."""
    loops, open_at = [], []
    for position, paragraph in enumerate(paragraphs):
        if LOOP_START.match(paragraph.text):
            open_at.append(position)
        elif LOOP_END.match(paragraph.text) and open_at:
            loops.append((open_at.pop(), position))
    return loops


def _loop_numbering(paragraphs: list[TemplateParagraph], start: int, end: int) -> str | None:
    numbered = [p for p in paragraphs[start + 1:end] if p.numbering is not None]
    before = next((p for p in reversed(paragraphs[:start]) if p.numbering is not None), None)
    after = next((p for p in paragraphs[end + 1:] if p.numbering is not None), None)
    for inside in numbered:
        for neighbour, side in ((before, "before"), (after, "after")):
            if neighbour is None or neighbour.numbering.level > inside.numbering.level:
                continue
            if neighbour.numbering.list_id != inside.numbering.list_id:
                return (f"the numbered paragraphs it repeats belong to another list than paragraph "
                        f"{neighbour.index} {side} the loop, so the Note's numbering does not continue through "
                        f"the loop (it starts again at 1); give them the numbering of paragraph {neighbour.index} "
                        "(in Word: Format Painter, then Continue Numbering)")
        if before is not None and inside.numbering.restarts and before.numbering.list_id == inside.numbering.list_id:
            return (f"paragraph {inside.index}, which it repeats, restarts the numbering (a start-at value is set), "
                    "so the Note's numbers start again inside the loop; in Word choose Continue Numbering for it")
    return None


def render_with_examples(template: Template, library: ClauseLibrary, programmes: list[Programme],
                         check_debris: bool = True) -> tuple[tuple[str, ...], list[str]]:
    """Render ``template`` with each programme; return those it rendered with, and the problems."""
    failures: dict[str, list[str]] = {}
    rendered = []
    for programme in programmes:
        try:
            data = render_note(programme, library, template)
        except OsaError as exc:
            failures.setdefault(exc.message.removeprefix(f"{template.path}: "), []).append(programme.name)
            continue
        rendered.append(programme.name)
        for reason in _unrendered(template, data) if check_debris else ():
            failures.setdefault(reason, []).append(programme.name)
    problems = [f"{template.path}: does not render with {', '.join(names)}: {reason}"
                for reason, names in failures.items()]
    if rendered:
        problems += special_character_problems(template, library, programmes[0])
        problems += facility_problems(template, library, programmes)
    return tuple(rendered), problems


def facility_problems(template: Template, library: ClauseLibrary, programmes: list[Programme]) -> list[str]:
    """Return a problem when the template fails a programme with facilities, or one without, that no example is.

    The first example, given one facility (or none), stands in for the missing kind.
    """
    problems = []
    for with_facilities in (True, False):
        if any(p.has_facilities == with_facilities for p in programmes):
            continue
        data = {key: value for key, value in programmes[0].data.items() if key != "facilities"}
        if with_facilities:
            data["facilities"] = [{"item": "Shelter", "quantity": 1, "description": "Equipment shelter"}]
        try:
            render_note(Programme(programmes[0].path, data), library, template)
        except OsaError as exc:
            kind = "with" if with_facilities else "without"
            problems.append(f"{template.path}: does not render for a programme {kind} facilities: "
                            f"{exc.message.removeprefix(f'{template.path}: ')}")
    return problems


def _unrendered(template: Template, data: bytes) -> list[str]:
    """Return one reason per paragraph of a rendered Note that still shows tag characters."""
    reasons = []
    for paragraph in read_template(data, str(template.path), numbering=False).paragraphs:
        debris = TAG_DEBRIS.search(paragraph.text)
        if debris:
            reasons.append(f"{_place(paragraph)} of the Note still shows '{debris.group(0)}': a tag did not render")
    return reasons


@dataclass(frozen=True)
class _MarkedProgramme(Programme):
    """A programme whose every text value given to the template ends with ``mark``."""

    mark: str = ""

    def context(self) -> dict:
        """Return the programme's template context with ``mark`` after every text value."""
        return _with_mark(super().context(), self.mark)


def _with_mark(value, mark: str):
    if isinstance(value, dict):
        return {key: _with_mark(child, mark) for key, child in value.items()}
    if isinstance(value, list):
        return [_with_mark(child, mark) for child in value]
    return value + mark if isinstance(value, str) and value else value


def special_character_problems(template: Template, library: ClauseLibrary, programme: Programme) -> list[str]:
    """Return a problem when values holding & < > " ' do not come out exactly as written."""
    counts = []
    for mark in (PLAIN_MARK, SPECIAL_MARK):
        try:
            data = render_note(_MarkedProgramme(programme.path, programme.data, mark), library, template)
        except OsaError as exc:
            reason = exc.message.removeprefix(f"{template.path}: ")
            return [f"{template.path}: does not render when values hold & < > \" ': {reason}"]
        text = "\n".join(p.text for p in read_template(data, str(template.path), numbering=False).paragraphs)
        counts.append(text.count(mark))
    if counts[0] == counts[1]:
        return []
    return [(f"{template.path}: values holding & < > \" ' do not come out as written ({counts[1]} of {counts[0]} "
             "uses survive); no tag may turn off escaping (|safe, autoescape false, {{r ...}})")]


@dataclass(frozen=True)
class Preview:
    """A template rendered for a look: where it went and with which programme."""

    path: Path
    template: str
    programme: Path


def preview_template(
    name: str,
    output: Path | None = None,
    programme_path: Path | None = None,
    templates_dir: Path | None = None,
    library_dir: Path | None = None,
    examples_dir: Path | None = None,
    force: bool = False,
) -> Preview:
    """Render template ``name`` with ``programme_path`` (default: the first example) into ``output``.

    ``output`` defaults to ``NAME-preview.docx`` in the current folder; an existing
    file is kept unless ``force``.
    """
    templates_dir = Path(templates_dir) if templates_dir is not None else default_templates_dir()
    template = find_template(load_catalog(templates_dir), name)
    library = load_library(library_dir if library_dir is not None else sibling_library(templates_dir))
    if programme_path is None:
        examples, _ = example_files(templates_dir, examples_dir)
        if not examples:
            raise InputFileError(f"no example programme to preview {name} with; give --programme P.yaml")
        programme_path = examples[0]
    programme = _previewed_programme(programme_path, library)
    output = Path(output) if output is not None else Path(f"{name}-preview.docx")
    refuse_existing(output, force)
    write_atomically(output, render_note(programme, library, template), force)
    return Preview(output, template.name, Path(programme_path))


def _previewed_programme(path: Path, library: ClauseLibrary) -> Programme:
    programme = load_programme(path)
    problems = _wording_problems(programme, library)
    if problems:
        raise InputFileError(f"{path}: chooses wordings the library lacks", tuple(problems))
    return programme
