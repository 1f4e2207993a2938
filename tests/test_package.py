"""The package on its own: wheel and sdist carry every template and asset, and a fresh virtual
environment with only the wheel and its locked dependencies goes from `evidence init` to a complete
site with `mkdocs build --strict`, using no file of this repository."""

from __future__ import annotations

import json
import re
import tarfile
import zipfile
from email.parser import Parser

import pytest

from wheel_site import REPO, PackagedSite, package_data_files, run_starter_make

pytestmark = pytest.mark.package


def page(site: PackagedSite, path: str) -> str:
    return (site.root / "site" / path).read_text(encoding="utf-8")


def test_wheel_and_sdist_carry_every_template_and_asset(packaged_site):
    expected = package_data_files()
    assert {"generator/theme/mkdocs_theme.yml", "generator/starter/mkdocs.yml.j2", "generator/theme/evidence/home.html"} <= expected
    with zipfile.ZipFile(packaged_site.wheel) as wheel:
        in_wheel = set(wheel.namelist())
        metadata = Parser().parsestr(wheel.read(next(n for n in in_wheel if n.endswith(".dist-info/METADATA"))).decode())
        entry_points = wheel.read(next(n for n in in_wheel if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert expected <= in_wheel
    assert not [name for name in in_wheel if "__pycache__" in name]
    with tarfile.open(packaged_site.sdist) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert expected <= in_sdist and {"LICENSE", "README.md", "pyproject.toml"} <= in_sdist
    assert metadata["License-Expression"] == "MIT" and metadata["Summary"]
    assert "Framework :: MkDocs" in metadata.get_all("Classifier")
    assert any(name.endswith("licenses/LICENSE") for name in in_wheel)
    assert "[mkdocs.themes]\nevidence = generator.theme" in entry_points and "[mkdocs.plugins]\nevidence = generator.plugin:EvidencePlugin" in entry_points


def test_the_new_venv_runs_the_installed_package_not_this_repository(packaged_site):
    site_packages = list(packaged_site.venv.glob("lib/python*/site-packages/generator/theme/mkdocs_theme.yml"))
    assert len(site_packages) == 1
    assert not list(packaged_site.venv.glob("lib/python*/site-packages/__editable__*evidence*"))
    assert str(REPO) not in packaged_site.build_log


def test_packaged_site_has_a_generated_home_page(packaged_site):
    home = page(packaged_site, "index.html")
    assert re.search(r"<td>Claims</td>\s*<td[^>]*>2</td>", home)
    assert '<a href="claims/caffeine/">Caffeine</a>: 2 claims' in home


def test_packaged_site_claim_page_has_claimreview_json_ld(packaged_site):
    claim = page(packaged_site, "claims/caffeine/caffeine-improves-10-km-times/index.html")
    (json_ld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', claim, re.DOTALL)
    data = json.loads(json_ld)
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == "Caffeine taken an hour before a race improves a 10 km time."


def test_packaged_site_links_the_stylesheet_and_the_index_script(packaged_site):
    claim = page(packaged_site, "claims/caffeine/caffeine-improves-10-km-times/index.html")
    index = page(packaged_site, "claims/index.html")
    assert '<link rel="stylesheet" href="../../../assets/evidence/evidence.css">' in claim
    assert '<link rel="stylesheet" href="../assets/evidence/evidence.css">' in index
    assert re.search(r'<script src="\.\./assets/evidence/claims-index\.js"', index)
    for asset in ("evidence.css", "claims-index.js"):
        assert (packaged_site.root / "site/assets/evidence" / asset).stat().st_size > 1000


def test_the_new_sites_make_test_checks_and_builds(packaged_site):
    output = run_starter_make(packaged_site, "test")
    assert "no problems found" in output and "Documentation built" in output
