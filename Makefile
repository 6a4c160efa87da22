# Two commands on a fresh machine: `make demo` (draft and check every example) and `make test`.
PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
OUT         := out
CONSTRAINTS := constraints.txt
LATEST      := .venv-latest

.PHONY: demo test test-latest validate bench install clean docs-images

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# An editable install of the checkout, within the tested versions: `osa` then uses this
# checkout's clause_library/ and templates/ as they are edited.
install: $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23.1"
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[test]"

# Drafts every example into out/notes/, checks the drafts (all must pass), then checks the
# draft returned by a counterpart in examples/received (it fails: exit status 1 is expected)
# and writes its annotated and restored copies into out/review/. Runs as often as you like.
demo: install
	$(BIN)/osa draft examples/*.yaml --out-dir $(OUT)/notes --force
	$(BIN)/osa check $(OUT)/notes --output $(OUT)/check-report.txt --force; \
	    status=$$?; cat $(OUT)/check-report.txt; exit $$status
	$(BIN)/osa check examples/received --annotate $(OUT)/review/returned-annotated.docx \
	    --restore $(OUT)/review/returned-restored.docx --author "$${OSA_AUTHOR:-Reviewer}" --force; \
	    test $$? -eq 1

test: validate
	$(BIN)/python -m pytest -q

# The suite against the newest releases of every dependency, in a venv of its own, so that
# a release that breaks the toolkit is seen before the constraints are raised.
test-latest:
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e ".[test]"
	$(LATEST)/bin/osa library validate clause_library
	$(LATEST)/bin/osa templates --templates templates validate --examples examples
	$(LATEST)/bin/python -m pytest -q

# Nothing broken reaches a drafter: the library and templates are validated on every run of the tests.
validate: install
	$(BIN)/osa library validate clause_library
	$(BIN)/osa templates --templates templates validate --examples examples

# The picture of a Note in the README: the first page of the Philippines Note, as LibreOffice prints it.
# Needs LibreOffice (soffice) and poppler-utils (pdftoppm).
DOCS_IMAGES := $(OUT)/docs-images
docs-images: install
	rm -rf $(DOCS_IMAGES) && mkdir -p $(DOCS_IMAGES)
	$(BIN)/osa draft examples/philippines-2023-coastal-radar.yaml --template japan-note -o $(DOCS_IMAGES)/japan-note.docx
	soffice -env:UserInstallation=file://$(abspath $(DOCS_IMAGES))/lo-profile --headless \
	    --convert-to pdf --outdir $(DOCS_IMAGES) $(DOCS_IMAGES)/japan-note.docx >/dev/null
	pdftoppm -png -r 70 -f 1 -l 1 -singlefile $(DOCS_IMAGES)/japan-note.pdf docs/japan-note-page-1

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(LATEST) $(OUT) build dist *.egg-info .pytest_cache .hypothesis
