# Two commands on a fresh machine: `make demo` (draft and check every example) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out

.PHONY: demo test validate bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"

# Drafts every example, checks the drafts (all must pass), then checks the draft
# returned by a counterpart in examples/received (it fails: exit status 1 is expected).
demo: install
	mkdir -p $(OUT)
	$(BIN)/osa draft examples/*.yaml --out-dir $(OUT) --force
	$(BIN)/osa check $(OUT) --output $(OUT)/check-report.txt --force; \
	    status=$$?; cat $(OUT)/check-report.txt; exit $$status
	$(BIN)/osa check examples/received --annotate $(OUT)/returned-annotated.docx \
	    --restore $(OUT)/returned-restored.docx --author "$${OSA_AUTHOR:-Reviewer}" --force; \
	    test $$? -eq 1

test: validate
	$(BIN)/python -m pytest -q

# Nothing broken reaches a drafter: the library and templates are validated on every run of the tests.
validate: install
	$(BIN)/osa library validate clause_library
	$(BIN)/osa templates --templates templates validate --examples examples

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(OUT) build dist *.egg-info .pytest_cache .hypothesis
