"""Small fixture projects for tests: a tree helper, the minimal files, and the CLI through CliRunner.

A plain module (not conftest.py) so that test modules can import it by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from generator.cli import main

FIXTURES = Path(__file__).parent / "fixtures"

#: The day every test checks against (`--today`), so review ages never depend on the clock.
TODAY = dt.date(2026, 11, 23)

#: Plugin options come last, so that tests can add one by appending a line.
MKDOCS_YML = """\
site_name: Fixture site
docs_dir: .generated
markdown_extensions:
  - attr_list
  - md_in_html
plugins:
  - evidence:
      topics:
        prevention: Prevention
        causes: Causes
"""

REFERENCES_BIB = """\
@article{smith2020stretching,
  author    = {Smith, Anna and Jones, Ben},
  title     = {Static Stretching and Exercise-Associated Muscle Cramps: A Randomised Trial},
  journal   = {Journal of Fixture Studies},
  year      = {2020},
  volume    = {12},
  pages     = {1--10},
  doi       = {10.1234/jfs.2020.001},
  studytype = {rct}
}
"""

CLAIM_MD = """\
---
claim: Static stretching before a run prevents calf cramps.
topic: prevention
tags: [stretching]
reviewed: 2026-10-01
evidence:
  - source: smith2020stretching
    stance: contradicts
    note: Stretching made no difference to cramp rates.
    participants: 120
---
A randomised trial found no effect [@smith2020stretching, p. 4].
"""

CLAIM_PATH = "content/claims/prevention/stretching-prevents-cramps.md"

#: The smallest clean project: one claim citing one reference.
CLEAN_PROJECT: dict[str, str] = {CLAIM_PATH: CLAIM_MD, "references.bib": REFERENCES_BIB}


def make_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `{relative path: text or bytes}` under root; text is written as UTF-8, byte for byte."""
    for rel_path, content in files.items():
        path = root / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


def run_cli(*args: str) -> Result:
    """Run the `evidence` command in-process; exceptions propagate (a traceback is a bug)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def check_project(root: Path, *extra: str) -> Result:
    """`evidence check -f <root>/mkdocs.yml --today 2026-11-23 [extra...]`."""
    return run_cli("check", "-f", str(root / "mkdocs.yml"), "--today", TODAY.isoformat(), *extra)
