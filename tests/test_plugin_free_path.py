"""The build step without a plugin host: `evidence build`, `evidence watch` and `make site-zensical`."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from generator.settings import OPTION_DEFAULTS

from projects import CLAIM_PATH, CLEAN_PROJECT, REFERENCES_BIB, run_cli
from renderers import BIN, ENV, REPO, copy_real_site


def test_a_project_without_claims_is_an_error_not_an_empty_site(make_project):
    root = make_project({"references.bib": REFERENCES_BIB, "content/index.md": "# Home\n"})
    result = run_cli("build", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 1
    assert "no claims in content/claims/" in result.output and "evidence new" in result.output
    assert not (root / ".generated").exists()


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_watch_rebuilds_when_a_claim_is_saved(make_project):
    root = make_project(CLEAN_PROJECT)
    page = root / ".generated/claims/prevention/stretching-prevents-cramps.md"
    watcher = subprocess.Popen(
        [str(BIN / "evidence"), "watch", "--interval", "0.1", "-f", str(root / "mkdocs.yml")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _wait_for(page.exists, 30), "the first build did not write the claim page"
        claim = root / CLAIM_PATH
        claim.write_text(claim.read_text(encoding="utf-8").replace("found no effect", "found no benefit"), encoding="utf-8")
        assert _wait_for(lambda: "found no benefit" in page.read_text(encoding="utf-8"), 30), "the save was not rebuilt"
        claim.write_text("---\nclaim: ''\n---\n", encoding="utf-8")
        time.sleep(1)
        assert "found no benefit" in page.read_text(encoding="utf-8"), "a broken save must leave the last good pages"
        assert watcher.poll() is None, "watch must keep running after a content error"
    finally:
        watcher.terminate()
        output = watcher.communicate(timeout=10)[0]
    assert "nothing was written" in output and "Traceback" not in output


def test_make_site_zensical_builds_and_keeps_the_previous_site_when_a_build_fails(tmp_path):
    root = copy_real_site(tmp_path / "project")
    (root / "Makefile").write_text((REPO / "Makefile").read_text(encoding="utf-8"), encoding="utf-8")

    def make() -> subprocess.CompletedProcess:
        return subprocess.run(["make", "-s", "site-zensical", f"BIN={BIN}", "STAMP="], cwd=root, capture_output=True, text=True, env=ENV)

    first = make()
    assert first.returncode == 0, first.stderr
    site = root / "site-zensical"
    assert (site / "index.html").is_file() and (site / "claims/index.html").is_file()
    (site / "marker.txt").write_text("previous good site", encoding="utf-8")
    broken = root / "content/claims/prevention/broken.md"
    broken.write_text("---\nclaim: Broken\ntopic: prevention\nreviewed: 2026-01-01\nevidence:\n  - source: nosuchkey\n    stance: supports\n---\n", encoding="utf-8")
    failed = make()
    assert failed.returncode != 0 and "EV113" in failed.stderr
    assert (site / "marker.txt").read_text(encoding="utf-8") == "previous good site"
    assert not (root / ".zensical.yml").exists() and not (root / "site-zensical.tmp").exists()


def test_the_cache_lives_outside_the_folders_renderers_clean():
    cache = Path(OPTION_DEFAULTS["cache_dir"])
    assert cache.parts[0] not in {".cache", "site", ".generated"}, "zensical build --clean deletes .cache/"
