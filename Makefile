# `make` sets up and builds everything into output/; `make test` sets up and runs the tests.
# docs/commands.md describes every target.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready

.PHONY: all build test setup system pot update-po check-po status check serve readability references bench bench-library clean distclean fonts-cjk screenshots weights engine-text engine-fixtures engine-thresholds

all: build

# System libraries WeasyPrint needs (Pango; HarfBuzz-subset for font subsetting).
# On Debian/Ubuntu as root they are installed; elsewhere the missing ones are named.
system:
	@$(PYTHON) tools/system_deps.py

$(READY): requirements.lock pyproject.toml
	@$(MAKE) --no-print-directory system
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# pdf.js and axe-core for the tests, exactly as package-lock.json pins them.
NODE_READY := node_modules/.ready
$(NODE_READY): package.json package-lock.json
	@$(MAKE) --no-print-directory system
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(READY) $(NODE_READY)

build: setup
	$(PY) render.py

test: setup
	$(PY) -m pytest

pot: setup
	$(PY) render.py pot

update-po: setup
	$(PY) render.py update-po

check-po: setup
	$(PY) render.py check-po

status: setup
	$(PY) render.py status

# Accessibility and integrity of every file in output/ (build first): a table, exit 1 on failure.
check: setup
	$(PY) render.py check

# Reading ease, grade and the longest sentences of the English source (a report, not a
# gate: it never changes the text).
readability: setup
	$(PY) tools/readability.py

# The translators' and clinic's web application on http://127.0.0.1:8000/
# (docs/web-application.md; `render.py serve --help` for the host, port and reverse-proxy options).
serve: setup
	$(PY) render.py serve

# The web edition for a reviewer: every web page and the index in headless Chromium at
# 320 CSS px and at desktop width, into build/screenshots/ (build first).
screenshots: setup
	$(PY) tools/screenshots.py

# Each web page's weight (HTML and CSS; fonts) against its budget (build first).
weights: setup
	$(PY) tools/weights.py

# Write the visual-regression references again after an intended change of the look
# (tests/references/); look at the new PNGs before committing them.
references: setup
	UPDATE_REFERENCES=1 $(PY) -m pytest -q tests/test_visual.py

# How many of each language's strings Poppler, pdfium, pdf.js and MuPDF read back from
# the screen leaflets in output/ (build first); tools/engine_text.py --help for options.
engine-text: setup
	$(PY) tools/engine_text.py

# How near every PDF in output/ comes to the drawing check's thresholds, per engine.
engine-thresholds: setup
	$(PY) tools/engine_thresholds.py

# Re-make tests/data/engines-cjk-cff.pdf, the known-bad case of the five-engine drawing
# check (tools/engine_fixtures.py says what it is and which font it needs).
engine-fixtures: setup
	$(PY) tools/engine_fixtures.py

# Speed on this machine (a script, not a test): full, no-op, one .po, bare WeasyPrint.
bench: setup
	$(PY) tools/bench.py

# The same for a synthetic library of 20 leaflets (issue 21), in four languages.
bench-library: setup
	$(PY) tools/bench.py --library 20 --languages en-GB,pl,ar,zh-Hans

# Re-make the pinned Simplified Chinese font subset, with TrueType outlines
# (styles/fonts/README.md says why); needs Debian's fonts-noto-cjk installed.
CJK := /usr/share/fonts/opentype/noto
fonts-cjk: setup
	mkdir -p build
	$(PY) tools/cjk_charset.py > build/gb2312.txt
	for w in Regular Bold; do \
	  $(VENV)/bin/pyftsubset $(CJK)/NotoSansCJK-$$w.ttc --font-number=2 \
	    --text-file=build/gb2312.txt --layout-features='*' --name-IDs='*' \
	    --name-languages='*' --output-file=build/NotoSansCJKsc-$$w-GB2312.otf && \
	  $(PY) tools/cjk_truetype.py build/NotoSansCJKsc-$$w-GB2312.otf \
	    styles/fonts/NotoSansCJKsc-$$w-GB2312.ttf || exit 1; \
	done

clean:
	rm -rf output/*/ output/manifest.json output/index.html output.partial/ build/ tests/visual-diff/

distclean: clean
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis
