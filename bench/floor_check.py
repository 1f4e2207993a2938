"""The floor for `evidence check`: only read every claim file, parse its YAML and parse the bib.

It is the least work any checker must do (libyaml's loader for the front matter, bibtexparser
v2's parse_string with its default middleware stack for references.bib), so `evidence check`
is measured as a ratio to it.

    python bench/floor_check.py PROJECT_DIR
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import bibtexparser
import yaml


def main(project: Path) -> int:
    documents = 0
    for folder, _, names in os.walk(project / "content" / "claims"):
        for name in names:
            if name.endswith(".md"):
                text = (Path(folder) / name).read_text(encoding="utf-8")
                front_matter = text.split("\n---\n", 1)[0].removeprefix("---\n")
                yaml.load(front_matter, Loader=yaml.CSafeLoader)
                documents += 1
    library = bibtexparser.parse_string((project / "references.bib").read_text(encoding="utf-8"))
    print(f"{documents} claim files, {len(library.entries)} references")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
