# Two commands on a fresh machine: `make serve` and `make test`. Both create .venv and install
# the hash-pinned dependencies from requirements.lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
# Material 9.8 prints a notice about MkDocs 2.0 on every build; this project already plans for it.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site site-zensical serve-zensical watch check build lint test test-fast fuzz bench bench-smoke lock dist clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# MkDocs rebuilds only the pages whose Markdown changed. That is correct here: each generated page
# carries all it shows in its own front matter, and the build step rewrites every page a save
# affects (opposing claims, pages citing a changed reference, topic lists, the index data).
# MkDocs warns that dirty builds may miss links to other pages, and strict mode would stop on
# that warning; `make site` and `make test` build strictly.
serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --no-strict -a 127.0.0.1:8000

# Built beside site/ and swapped in only when the whole build passed, so a failed build
# (including a --strict warning, which MkDocs raises after writing: mkdocs#4126) keeps the old site.
site: $(STAMP)
	rm -rf site.tmp
	$(BIN)/mkdocs build --strict --site-dir site.tmp
	rm -rf site.old
	if [ -d site ]; then mv site site.old; fi
	mv site.tmp site
	rm -rf site.old

# Zensical runs no plugins: `evidence build` writes the generated pages, then Zensical renders them.
# Zensical has no --site-dir, so a copy of mkdocs.yml beside it names site-zensical.tmp; the new
# site replaces site-zensical/ only when both steps passed.
site-zensical: $(STAMP)
	$(BIN)/evidence build
	rm -rf site-zensical.tmp
	sed 's|^site_dir:.*|site_dir: site-zensical.tmp|' mkdocs.yml > .zensical.yml
	$(BIN)/zensical build --clean -f .zensical.yml || { rm -rf .zensical.yml site-zensical.tmp; exit 1; }
	rm -f .zensical.yml
	test -f site-zensical.tmp/index.html || { echo "zensical wrote no site" >&2; rm -rf site-zensical.tmp; exit 1; }
	rm -rf site-zensical.old
	if [ -d site-zensical ]; then mv site-zensical site-zensical.old; fi
	mv site-zensical.tmp site-zensical
	rm -rf site-zensical.old

# Live editing without a plugin host: `evidence watch` re-runs the build step when content/ or
# references.bib change, and `zensical serve` picks up the regenerated pages.
serve-zensical: $(STAMP)
	$(BIN)/evidence build
	$(BIN)/evidence watch & watcher=$$!; trap 'kill $$watcher' EXIT INT TERM; $(BIN)/zensical serve -a 127.0.0.1:8000

watch: $(STAMP)
	$(BIN)/evidence watch

check: $(STAMP)
	$(BIN)/evidence check --strict

build: $(STAMP)
	$(BIN)/evidence build

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench

test: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/evidence check --strict
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

fuzz: $(STAMP)
	FUZZ_EXAMPLES=3000 $(BIN)/python -m pytest tests/test_hardening_loaders.py $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-smoke: $(STAMP)
	$(BIN)/python bench/run.py --smoke

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --strip-extras --generate-hashes --allow-unsafe -o requirements.lock pyproject.toml

# --no-isolation: build with the setuptools pinned in requirements.lock, so no other index is needed.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .

clean:
	rm -rf site site.tmp site.old site-zensical site-zensical.tmp site-zensical.old .zensical.yml .cache .evidence-cache test-artifacts dist build
	find .generated -mindepth 1 ! -name .gitignore -exec rm -rf {} +
