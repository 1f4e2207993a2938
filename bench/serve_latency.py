"""Seconds from saving one claim to its rebuilt page under `mkdocs serve`, at 1,000 claims.

Starts `mkdocs serve` on 127.0.0.1 (a free port) for a synthetic project, waits for the first
build, then edits one claim's text several times and polls the served page until each edit
shows. Runs both a normal serve and `mkdocs serve --dirty`. The server is always stopped.

    python bench/serve_latency.py [PROJECT_DIR] [--rounds 3] [--modes normal,dirty]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from synth import generate  # noqa: E402

FIRST_BUILD_TIMEOUT = 600
CHANGE_TIMEOUT = 180
POLL_SECONDS = 0.05
POLLING_SECONDS = 0.5  # how often `mkdocs serve` looks for changed files


@dataclass
class Latency:
    mode: str
    first_build: float
    rounds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.rounds)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, predicate, timeout: float, server: subprocess.Popen) -> float:
    """Poll url until predicate(body) holds; return the seconds it took."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if server.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited with {server.returncode}")
        body = fetch(url)
        if body is not None and predicate(body):
            return time.perf_counter() - start
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"{url} did not show the change within {timeout:.0f} s")


def stop(server: subprocess.Popen) -> None:
    """Stop the server we started (its own process group), politely first."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def claim_to_edit(project: Path) -> tuple[Path, str]:
    """A claim file and the URL path of its page."""
    path = sorted((project / "content" / "claims").glob("*/*.md"))[0]
    return path, f"claims/{path.parent.name}/{path.stem}/"


def measure(project: Path, mode: str, rounds: int, log) -> Latency:
    claim, page = claim_to_edit(project)
    original = claim.read_text(encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{page}"
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"]
    if mode == "dirty":
        command += ["--dirty", "--no-strict"]  # MkDocs warns that dirty builds may be inaccurate
    with tempfile.NamedTemporaryFile(prefix="serve-", suffix=".log", dir=BENCH / "out", delete=False) as server_log:
        log(f"{mode}: {' '.join(command[2:])} (log: {Path(server_log.name).name})")
        server = subprocess.Popen(command, cwd=project, stdin=subprocess.DEVNULL, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        first = wait_for(url, lambda body: "</html>" in body, FIRST_BUILD_TIMEOUT, server)
        log(f"{mode}: first build served after {first:.1f} s")
        time.sleep(1.0)  # let the file watcher take its first snapshot
        results = []
        pauses = random.Random(1)  # the same pauses in every run
        for index in range(rounds):
            marker = f"latency-marker-{mode}-{index}-{time.time_ns()}"
            claim.write_text(original.rstrip("\n") + f"\n\nEdited for the benchmark: {marker}.\n", encoding="utf-8")
            seconds = wait_for(url, lambda body, m=marker: m in body, CHANGE_TIMEOUT, server)
            results.append(seconds)
            log(f"{mode}: round {index + 1}/{rounds}: {seconds:.2f} s")
            # Let the rebuild settle, then save at a random point of MkDocs' 0.5 s polling cycle: with
            # a fixed pause every save would land at about the same point, and the wait for the next
            # look at the files (0 to 0.5 s) would be the same in every round.
            time.sleep(1.0 + pauses.uniform(0.0, POLLING_SECONDS))
        return Latency(mode, first, results)
    finally:
        claim.write_text(original, encoding="utf-8")
        stop(server)


def run(project: Path, rounds: int, modes: list[str], log) -> list[Latency]:
    return [measure(project, mode, rounds, log) for mode in modes]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=BENCH / "out" / "n1000_m500")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modes", default="normal,dirty")
    args = parser.parse_args()
    if not (args.project / "mkdocs.yml").exists():
        generate(args.project, 1000, 500)

    def log(message: str) -> None:
        print(f"[serve {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    for result in run(args.project.resolve(), args.rounds, args.modes.split(","), log):
        rounds = ", ".join(f"{s:.2f}" for s in result.rounds)
        print(f"mkdocs serve ({result.mode}): save → page {result.median:.2f} s median ({rounds}); first build {result.first_build:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
