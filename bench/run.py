"""The benchmark behind `make bench`: `evidence check` and `mkdocs build`, each against a floor.

For each size (claims, references) it writes a synthetic project with bench/synth.py and
times fresh subprocesses, floor and subject interleaved so both see the same machine noise:

* `evidence check` against bench/floor_check.py (read every file, parse its YAML, parse the bib);
* `mkdocs build` with the evidence plugin against the editors' floor (issue 12): `mkdocs build`, with
  the same theme, extensions, nav and search but no plugin, of one page per claim holding only what
  editors wrote (the claim sentence as a heading and the body as plain Markdown), the hand-written
  pages, and a one-line page for each page the nav names;
* the first build with a cold reference cache against the warm median;
* the largest page of the built site, counting its HTML and the JSON its script fetches at load.

It prints a Markdown table (median wall and CPU seconds and peak RSS of each step), the targets of
issue 6 with PASS/FAIL, and, for a full run, writes both to bench/results.md.

    python bench/run.py            # 1,000/500, 2,000/1,000 and 10,000/5,000 (over an hour)
    python bench/run.py --sizes 1000:500,2000:1000 --output bench/results.md
    python bench/run.py --smoke    # 200/100, for CI
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from serve_latency import Latency  # noqa: E402
from serve_latency import run as serve_latency  # noqa: E402
from synth import generate  # noqa: E402

OUT = BENCH / "out"
FULL_SIZES = ((1000, 500), (2000, 1000), (10000, 5000))
SMOKE_SIZES = ((200, 100),)
SLOW_BUILD_SECONDS = 60  # the issue allows 3 runs instead of 5 for a build slower than this
SERVE_CLAIMS = 1000  # issue 6: save-to-page latency under `mkdocs serve` at 1,000 claims
SERVE_ROUNDS = 5

# Issue 12's targets.
CHECK_RATIO_TARGET = 1.5
BUILD_RATIO_TARGET = 1.5
COLD_RATIO_TARGET = 1.5
SERVE_TARGET_SECONDS = 2.0
PAGE_TARGET_BYTES = 1_000_000
MEMORY_TARGET_MB = 1024
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Sample:
    seconds: float
    rss_mb: float
    cpu_seconds: float
    returncode: int
    output: str


@dataclass
class Timing:
    """Repeated runs of one command: the median is what the table reports."""

    label: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def cpu_median(self) -> float:
        """User + system time of the process and the workers it forked and waited for."""
        return statistics.median(s.cpu_seconds for s in self.samples)

    @property
    def spread(self) -> str:
        times = [s.seconds for s in self.samples]
        return f"{min(times):.2f}–{max(times):.2f}"

    @property
    def rss_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)

    @property
    def runs(self) -> int:
        return len(self.samples)


@dataclass
class SizeResult:
    claims: int
    refs: int
    check: Timing | None = None
    check_floor: Timing | None = None
    check_summary: str = ""
    prerender: Sample | None = None
    build_cold: Sample | None = None
    build: Timing | None = None
    build_floor: Timing | None = None
    build_note: str = ""
    pages: tuple[int, int] = (0, 0)
    largest: tuple[str, int] = ("", 0)
    search_index_bytes: int = 0


class BenchError(RuntimeError):
    """A benchmarked command failed: the numbers would mean nothing."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_once(command: list[str], cwd: Path) -> Sample:
    """Run a fresh subprocess; wall time, CPU time (with its forked workers) and peak RSS of the largest of them (os.wait4)."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return Sample(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, process.returncode, text)


def checked(sample: Sample, what: str, ok_codes: tuple[int, ...] = (0,)) -> Sample:
    if sample.returncode not in ok_codes:
        tail = "\n".join(sample.output.strip().splitlines()[-15:])
        raise BenchError(f"{what} exited with {sample.returncode}:\n{tail}")
    return sample


def interleaved(pairs: list[tuple[Timing, list[str], str]], cwd: Path, runs: int) -> None:
    """Run each command `runs` times, alternating between them."""
    for index in range(runs):
        for timing, command, what in pairs:
            sample = checked(run_once(command, cwd), what)
            timing.samples.append(sample)
            log(f"  {timing.label} run {index + 1}/{runs}: {sample.seconds:.2f} s, {sample.rss_mb:.0f} MB")


def evidence_command() -> list[str]:
    script = Path(sys.executable).parent / "evidence"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from generator.cli import main; main()"]


def mkdocs_command() -> list[str]:
    return [sys.executable, "-m", "mkdocs"]


def build_available() -> bool:
    probe = subprocess.run([*evidence_command(), "build", "--help"], capture_output=True, text=True)
    return probe.returncode == 0


def config_without_plugin(text: str, plugin: str, docs_dir: str, site_dir: str) -> str:
    """The mkdocs.yml text without one entry of its `plugins:` list, reading pages from docs_dir."""
    lines = text.split("\n")
    out: list[str] = []
    in_plugins = False
    skip_indent: int | None = None
    removed = False
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if skip_indent is not None:
            if not line.strip() or indent > skip_indent:
                continue
            skip_indent = None
        if re.match(r"^plugins:\s*$", line):
            in_plugins = True
        elif line.strip() and indent == 0:
            in_plugins = False
        if in_plugins and re.match(rf"^\s*-\s+{re.escape(plugin)}\s*:?\s*$", line):
            skip_indent = indent
            removed = True
            continue
        out.append(line)
    if not removed:
        raise BenchError(f"could not find the `{plugin}` plugin in the `plugins:` list of mkdocs.yml")
    text = "\n".join(out)
    text = re.sub(r"(?m)^docs_dir:.*$", f"docs_dir: {docs_dir}", text)
    if not re.search(r"(?m)^docs_dir:", text):
        text = f"docs_dir: {docs_dir}\n" + text
    text = re.sub(r"(?m)^site_dir:.*$", f"site_dir: {site_dir}", text)
    if not re.search(r"(?m)^site_dir:", text):
        text = f"site_dir: {site_dir}\n" + text
    return text


def docs_dir_of(project: Path) -> str:
    match = re.search(r"(?m)^docs_dir:\s*(\S+)", (project / "mkdocs.yml").read_text(encoding="utf-8"))
    return match.group(1).strip("'\"") if match else "docs"


def write_editor_floor(project: Path, docs: Path) -> None:
    """Issue 12's floor: what editors wrote and nothing else, at the paths the nav and the claim pages use."""
    import yaml

    shutil.rmtree(docs, ignore_errors=True)
    content = project / "content"
    for path in sorted(content.rglob("*.md")):
        rel = path.relative_to(content)
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if rel.parts[0] == "claims":
            _, front, body = text.split("---\n", 2)
            text = f"# {yaml.safe_load(front)['claim']}\n\n{body.strip()}\n"
        target.write_text(text, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    for nav_page in re.findall(r"(?m)^\s*-\s*(?:[^:\n]+:\s*)?([\w./-]+\.md)\s*$", config):
        target = docs / nav_page
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"# {Path(nav_page).stem.replace('-', ' ').capitalize()}\n", encoding="utf-8")


def index_first_load(config: dict) -> list[str]:
    """The claims index's data files fetched at load without a query: claims-index.js's plan, unfiltered.

    Files in order until they hold the first screen of rows, within the page's budget before interaction.
    """
    wanted, rows, size = [], 0, 0
    for file in config["files"]:
        if rows >= config["rows_per_step"] or size + file["bytes"] > config["bytes_before_interaction"]:
            break
        wanted.append(file["url"])
        rows += sum(count[-1] for count in file["counts"])
        size += file["bytes"]
    return wanted


def largest_page(site: Path) -> tuple[str, int]:
    """The page whose HTML plus the JSON its script fetches at load (the index's first data files) is largest."""
    best = ("", 0)
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        size = len(text.encode("utf-8"))
        config = re.search(r'<script type="application/json" id="ev-index-data">(.*?)</script>', text, re.DOTALL)
        if config:
            size += sum((site / url).stat().st_size for url in index_first_load(json.loads(config.group(1))))
        if size > best[1]:
            best = (path.relative_to(site).as_posix(), size)
    return best


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html")) if site.is_dir() else 0


def bench_size(claims: int, refs: int, runs: int, with_build: bool, skip_reason: str = "") -> SizeResult:
    result = SizeResult(claims, refs)
    project = OUT / f"n{claims}_m{refs}"
    log(f"generating {claims:,} claims and {refs:,} references in {project.relative_to(BENCH.parent)}")
    generate(project, claims, refs)

    check = [*evidence_command(), "check", "-f", "mkdocs.yml"]
    floor = [sys.executable, str(BENCH / "floor_check.py"), "."]
    first = checked(run_once(check, project), "evidence check (warm-up)")
    result.check_summary = first.output.strip().splitlines()[-1] if first.output.strip() else ""
    checked(run_once(floor, project), "floor_check.py (warm-up)")
    log(f"evidence check: {result.check_summary}")
    result.check = Timing("evidence check")
    result.check_floor = Timing("check floor")
    interleaved([(result.check_floor, floor, "floor_check.py"), (result.check, check, "evidence check")], project, runs)

    if not with_build:
        result.build_note = skip_reason
        log(result.build_note)
        return result

    log("evidence build (cold cache, once)")
    shutil.rmtree(project / ".evidence-cache", ignore_errors=True)
    result.prerender = checked(run_once([*evidence_command(), "build", "-f", "mkdocs.yml"], project), "evidence build")
    write_editor_floor(project, project / ".editor-floor")
    floor_config = config_without_plugin((project / "mkdocs.yml").read_text(encoding="utf-8"), "evidence", ".editor-floor", "site-floor")
    (project / "mkdocs-floor.yml").write_text(floor_config, encoding="utf-8")
    shutil.rmtree(project / ".evidence-cache", ignore_errors=True)  # the first full build starts cold

    # Not `-q`: it hides warnings from MkDocs' strict mode, which would then pass a broken site.
    full = [*mkdocs_command(), "build", "-f", "mkdocs.yml"]
    bare = [*mkdocs_command(), "build", "-f", "mkdocs-floor.yml"]
    log("mkdocs build with the plugin (cold cache, not in the median)")
    result.build_cold = checked(run_once(full, project), "mkdocs build")
    log(f"  cold: {result.build_cold.seconds:.2f} s")
    checked(run_once(bare, project), "mkdocs build of the editors' floor")
    result.pages = (count_pages(project / "site"), count_pages(project / "site-floor"))
    result.largest = largest_page(project / "site")
    search_index = project / "site" / "search" / "search_index.json"
    result.search_index_bytes = search_index.stat().st_size if search_index.exists() else 0
    build_runs = runs
    if result.build_cold.seconds > SLOW_BUILD_SECONDS and runs > 3:
        build_runs = 3
        result.build_note = f"3 runs each, not {runs}: one full build takes over {SLOW_BUILD_SECONDS} s"
    result.build = Timing("mkdocs build + evidence")
    result.build_floor = Timing("editors' floor")
    interleaved([(result.build_floor, bare, "mkdocs build (editors' floor)"), (result.build, full, "mkdocs build")], project, build_runs)
    return result


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, AttributeError):
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return [
        f"- Machine: {cpu}, {os.cpu_count()} cores, {memory}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; mkdocs {version('mkdocs')}, mkdocs-material {version('mkdocs-material')}, "
        f"bibtexparser {version('bibtexparser')}, PyYAML {version('PyYAML')} (libyaml: {_libyaml()})",
        f"- Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}; load average at the end "
        + ", ".join(f"{load:.1f}" for load in os.getloadavg())
        + " (1, 5, 15 min; other work on the machine slows floor and subject alike)",
    ]


def _libyaml() -> str:
    import yaml

    return "yes" if getattr(yaml, "__with_libyaml__", False) else "no"


def table(results: list[SizeResult]) -> list[str]:
    rows = [
        "| claims / refs | step | median s | range s | runs | peak RSS MB | floor median s | floor RSS MB | ratio to floor | CPU s (floor) | CPU ratio |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        size = f"{r.claims:,} / {r.refs:,}"
        c, f = r.check, r.check_floor
        rows.append(
            f"| {size} | `evidence check` | {c.median:.2f} | {c.spread} | {c.runs} | {c.rss_mb:.0f} | {f.median:.2f} | {f.rss_mb:.0f} | {c.median / f.median:.2f}× | {c.cpu_median:.2f} ({f.cpu_median:.2f}) | {c.cpu_median / f.cpu_median:.2f}× |"
        )
        if r.build:
            b, bf = r.build, r.build_floor
            rows.append(
                f"| {size} | `mkdocs build` with the plugin | {b.median:.2f} | {b.spread} | {b.runs} | {b.rss_mb:.0f} | {bf.median:.2f} | {bf.rss_mb:.0f} | {b.median / bf.median:.2f}× | {b.cpu_median:.2f} ({bf.cpu_median:.2f}) | {b.cpu_median / bf.cpu_median:.2f}× |"
            )
            rows.append(
                f"| {size} | (first build, cold cache) | {r.build_cold.seconds:.2f} | | 1 | {r.build_cold.rss_mb:.0f} | | | cold / warm {r.build_cold.seconds / b.median:.2f}× | {r.build_cold.cpu_seconds:.2f} | |"
            )
            rows.append(f"| {size} | (`evidence build` alone, cold) | {r.prerender.seconds:.2f} | | 1 | {r.prerender.rss_mb:.0f} | | | | {r.prerender.cpu_seconds:.2f} | |")
            rows.append(f"| {size} | largest page: `{r.largest[0]}` | {r.largest[1] / 1e6:.2f} MB | | | | | | search index {r.search_index_bytes / 1e6:.2f} MB | | |")
        else:
            rows.append(f"| {size} | `mkdocs build` with the plugin | — | | | | | | {r.build_note} | | |")
    return rows


def targets(results: list[SizeResult], serve: list[Latency] | None = None) -> tuple[list[str], bool]:
    """PASS/FAIL of issue 12's targets at the sizes it names (2,000 and 10,000 claims; serve at 1,000)."""
    rows = ["| target | measured | limit | result |", "| --- | ---: | ---: | --- |"]
    failed = False

    def add(name: str, measured: float | None, limit: float, fmt: str, below: bool = True, strict: bool = False) -> None:
        nonlocal failed
        if measured is None:
            rows.append(f"| {name} | — | {fmt.format(limit)} | not measured |")
            return
        ok = (measured < limit) if strict else (measured <= limit)
        failed |= not ok
        rows.append(f"| {name} | {fmt.format(measured)} | {fmt.format(limit)} | {'PASS' if ok else 'FAIL'} |")

    for r in results:
        if r.claims < 2000 and len(results) > 1:
            continue  # issue 12 judges the build at 2,000 and 10,000 claims
        at = f"at {r.claims:,}"
        if r.claims >= 10000:
            add(f"`evidence check` / floor {at}", r.check.median / r.check_floor.median, CHECK_RATIO_TARGET, "{:.2f}×")
        add(f"full build / editors' floor {at}", r.build.median / r.build_floor.median if r.build else None, BUILD_RATIO_TARGET, "{:.2f}×")
        add(f"cold / warm build {at}", r.build_cold.seconds / r.build.median if r.build else None, COLD_RATIO_TARGET, "{:.2f}×")
        if r.claims >= 10000:
            add(f"largest page {at}", r.largest[1] / 1e6 if r.build else None, PAGE_TARGET_BYTES / 1e6, "{:.2f} MB")
            peaks = [r.check.rss_mb] + ([r.build.rss_mb, r.build_cold.rss_mb, r.prerender.rss_mb] if r.build else [])
            add(f"peak memory {at}", max(peaks), MEMORY_TARGET_MB, "{:.0f} MB", strict=True)
    if serve:
        dirty = next((latency for latency in serve if latency.mode == "dirty"), None)
        add(f"`make serve` save → page at {SERVE_CLAIMS:,}", dirty.median if dirty else None, SERVE_TARGET_SECONDS, "{:.2f} s")
    return rows, failed


def report(results: list[SizeResult], smoke: bool, serve: list[Latency] | None = None) -> tuple[str, bool]:
    target_rows, failed = targets(results, serve)
    notes = [r.build_note for r in results if r.build_note]
    if any(r.pages[0] and r.pages[0] != r.pages[1] for r in results):
        notes.append("pages in site/ vs site-floor/: " + ", ".join(f"{r.claims:,}: {r.pages[0]} vs {r.pages[1]}" for r in results))
    lines = [
        "# Benchmark results" + (" (smoke)" if smoke else ""),
        "",
        "Generated by `make bench` (bench/run.py); synthetic projects from bench/synth.py (seed 1).",
        "Each step is a fresh subprocess; floor and subject runs alternate; median wall seconds, median CPU seconds (user + system, with any worker the step forks), peak RSS of the largest process.",
        "",
        *machine(),
        "",
        *table(results),
        "",
        "Floors: `evidence check` vs bench/floor_check.py (read every claim file, libyaml `CSafeLoader`, bibtexparser v2 `parse_string` with its default stack);",
        "`mkdocs build` vs the editors' floor: `mkdocs build` without the plugin (same theme, extensions, nav and search) of one page per claim",
        "holding only the claim sentence and the body as written, the hand-written pages and a one-line page for each other page the nav names.",
        "The largest page counts its HTML and the JSON its script fetches at load.",
        "",
        "## Targets (issue 12)",
        "",
        *target_rows,
    ]
    if notes:
        lines += ["", *(f"- {note}" for note in notes)]
    if serve:
        lines += [
            "",
            f"## `mkdocs serve` at {SERVE_CLAIMS:,} claims: saving one claim to its rebuilt page",
            "",
            "bench/serve_latency.py edits one claim's text and polls its served page until the edit shows",
            "(MkDocs polls for changes every 0.5 s and waits 0.1 s for more, then rebuilds); saves land at random points of that cycle.",
            "",
            "| mode | median s | rounds s | first build s |",
            "| --- | ---: | --- | ---: |",
            *(f"| `mkdocs serve{' --dirty' if r.mode == 'dirty' else ''}` | {r.median:.2f} | {', '.join(f'{s:.2f}' for s in r.rounds)} | {r.first_build:.1f} |" for r in serve),
        ]
    return "\n".join(lines) + "\n", failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one small size (200 claims) for CI")
    parser.add_argument("--runs", type=int, help="runs per step, for the median (default 5; 3 with --smoke)")
    parser.add_argument("--sizes", help="override sizes, e.g. 1000:500,10000:5000")
    parser.add_argument("--no-build", action="store_true", help="time `evidence check` only")
    parser.add_argument("--output", type=Path, help="where to write the table (default: bench/results.md; smoke: bench/out/results-smoke.md)")
    parser.add_argument("--fail-on-target", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--no-serve", action="store_true", help="skip the `mkdocs serve` latency at 1,000 claims")
    args = parser.parse_args()

    sizes = SMOKE_SIZES if args.smoke else FULL_SIZES
    runs = args.runs or (3 if args.smoke else 5)
    if args.sizes:
        sizes = tuple(tuple(int(n) for n in part.split(":")) for part in args.sizes.split(","))
    output = args.output or (OUT / "results-smoke.md" if args.smoke or args.sizes else BENCH / "results.md")
    with_build = not args.no_build and build_available()
    skip_reason = "skipped (--no-build)" if args.no_build else "skipped: `evidence build` is not available"
    if not with_build and not args.no_build:
        log("`evidence build` is not available: timing `evidence check` only, the build part is skipped")

    OUT.mkdir(exist_ok=True)
    results = []
    try:
        for claims, refs in sizes:
            results.append(bench_size(claims, refs, runs, with_build, skip_reason))
    except BenchError as error:
        log(f"FAILED: {error}")
        return 1
    serve = None
    if with_build and not args.smoke and not args.no_serve and any(r.claims == SERVE_CLAIMS for r in results):
        refs = next(r.refs for r in results if r.claims == SERVE_CLAIMS)
        try:
            serve = serve_latency(OUT / f"n{SERVE_CLAIMS}_m{refs}", SERVE_ROUNDS, ["dirty"], log)  # what `make serve` runs
        except (RuntimeError, TimeoutError) as error:  # the timings above still stand
            log(f"`mkdocs serve` latency FAILED: {error}")
            results[-1].build_note += f" `mkdocs serve` latency failed: {error}"
    text, failed = report(results, args.smoke, serve)
    print(text)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    log(f"wrote {output.relative_to(BENCH.parent) if output.is_relative_to(BENCH.parent) else output}")
    return 1 if failed and args.fail_on_target else 0


if __name__ == "__main__":
    sys.exit(main())
