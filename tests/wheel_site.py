"""The package as a new team gets it: build the wheel and sdist from a clean copy of the sources,
install the wheel into a fresh virtual environment from the lock's pins, start a site with
`evidence init` and build it. Shared by the packaging test and the browser suite.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
DISTRIBUTION = "evidence-site"
#: What a source distribution is built from; anything else in the repository is the cramps site.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "generator")

NEW_CLAIM = """\
---
claim: Caffeine taken an hour before a race improves a 10 km time.
topic: caffeine
reviewed: 2026-01-10
evidence:
  - source: example2024
    stance: contradicts
    note: Times did not change with caffeine.
    participants: 500
---
The example trial found no change in times [@example2024, p. 3].
"""


@dataclass(frozen=True)
class PackagedSite:
    wheel: Path
    sdist: Path
    venv: Path
    root: Path
    build_log: str


def package_data_files() -> set[str]:
    """Every non-Python file of the package in the repository, as paths inside the package."""
    package = REPO / "generator"
    return {p.relative_to(REPO).as_posix() for p in package.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts}


def runtime_requirements() -> set[str]:
    """The canonical names of the package's runtime dependencies and theirs, from installed metadata."""
    wanted: set[str] = set()
    pending = [DISTRIBUTION]
    while pending:
        name = canonicalize_name(pending.pop())
        if name in wanted:
            continue
        wanted.add(name)
        for text in distribution(name).requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    return wanted - {canonicalize_name(DISTRIBUTION)}


def runtime_lock(lock_text: str, names: set[str]) -> str:
    """The lock's pinned, hashed entries for `names` only (the test extras stay out of the new venv)."""
    blocks: list[list[str]] = []
    for line in lock_text.splitlines():
        if re.match(r"^[A-Za-z0-9]", line):
            blocks.append([line])
        elif blocks and line.startswith(" "):
            blocks[-1].append(line)
    kept = [block for block in blocks if canonicalize_name(block[0].split("==")[0]) in names]
    missing = names - {canonicalize_name(block[0].split("==")[0]) for block in kept}
    if missing:
        raise AssertionError(f"requirements.lock has no pin for {sorted(missing)}; run `make lock`")
    return "\n".join(line for block in kept for line in block) + "\n"


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def build_distributions(work: Path) -> tuple[Path, Path]:
    """`python -m build` of a clean copy of the sources, offline (the lock pins the backend)."""
    source = work / "source"
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(work / "dist"), str(source)], cwd=work)
    (wheel,) = (work / "dist").glob("*.whl")
    (sdist,) = (work / "dist").glob("*.tar.gz")
    return wheel, sdist


def fresh_env() -> dict[str, str]:
    """The environment of a shell with none of this repository's virtual environment on it."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def install_into_new_venv(wheel: Path, work: Path) -> Path:
    venv = work / "venv"
    env = fresh_env()
    _run([sys.executable, "-m", "venv", str(venv)], cwd=work, env=env)
    lock = work / "runtime.lock"
    lock.write_text(runtime_lock((REPO / "requirements.lock").read_text(encoding="utf-8"), runtime_requirements()), encoding="utf-8")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile"]
    _run([*pip, "--require-hashes", "-r", str(lock)], cwd=work, env=env)
    _run([*pip, "--no-deps", str(wheel)], cwd=work, env=env)
    return venv


def packaged_site(work: Path) -> PackagedSite:
    """Build, install, `evidence init`, add a claim citing the example reference, `mkdocs build --strict`."""
    wheel, sdist = build_distributions(work)
    venv = install_into_new_venv(wheel, work)
    env = fresh_env()
    _run([str(venv / "bin" / "evidence"), "init", "caffeine", "--name", "Caffeine and endurance", "--topic", "Caffeine"], cwd=work, env=env)
    root = work / "caffeine"
    (root / "content/claims/caffeine/caffeine-improves-10-km-times.md").write_text(NEW_CLAIM, encoding="utf-8")
    (root / "content/index.md").unlink()  # the generated home page
    log = _run([str(venv / "bin" / "mkdocs"), "build", "--strict"], cwd=root, env=env)
    return PackagedSite(wheel, sdist, venv, root, log)


def run_starter_make(site: PackagedSite, target: str) -> str:
    """`make <target>` of the new site's own Makefile, with the venv the wheel went into as its .venv."""
    (site.venv / ".installed-stamp").touch()  # the stamp says requirements.txt is installed; the wheel is
    return _run(["make", target, f"VENV={site.venv}"], cwd=site.root, env=fresh_env())
