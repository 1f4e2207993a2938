"""Work in a forked worker: the same result as in this process, and this process takes over when it cannot fork.

The forking cases run in a fresh interpreter: pytest's own workers run threads, and with another
thread running the module rightly refuses to fork.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from generator import background, project

ROOT = Path(__file__).resolve().parent.parent
TWO_CPUS = sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1


def _run(script: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_the_work_runs_in_another_process_and_its_result_comes_back():
    out = _run(
        """
        import os
        from generator import background
        parent = os.getpid()
        pid = background.start(os.getpid).result()
        print(pid != parent, background.start(divmod, 17, 5).result())
        """
    )
    assert out == "True (3, 2)"


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_a_worker_that_dies_is_replaced_by_this_process():
    out = _run(
        """
        import os
        from generator import background
        parent = os.getpid()

        def die_unless_parent():
            if os.getpid() != parent:
                os._exit(3)
            return "done here"

        print(background.start(die_unless_parent).result())
        """
    )
    assert out == "done here"


def test_with_another_thread_running_nothing_is_forked():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not background.can_fork()
        assert background.start(os.getpid).result() == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_asked_not_to_fork_it_runs_here_when_the_result_is_wanted():
    calls = []
    pending = background.start(calls.append, "x", fork=False)
    assert calls == []
    pending.result()
    assert calls == ["x"]


def test_with_a_fallback_work_that_cannot_fork_gives_the_fallback_and_never_runs_here():
    calls = []
    assert background.start(calls.append, "x", fork=False, fallback="not here").result() == "not here"
    assert calls == []


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_with_a_fallback_a_worker_that_dies_gives_the_fallback():
    out = _run(
        """
        import os
        from generator import background
        parent = os.getpid()
        ran_here = []

        def die_unless_parent():
            if os.getpid() == parent:
                ran_here.append(True)
            else:
                os._exit(3)

        print(background.start(die_unless_parent, fallback=None).result(), ran_here)
        """
    )
    assert out == "None []"


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_a_bibliography_and_claims_parsed_in_a_worker_give_the_same_check_as_those_parsed_here():
    # This site's own content: its bibliography and claims are under the fork thresholds, so both are forced.
    out = _run(
        """
        import datetime as dt
        import os
        import tempfile
        from pathlib import Path
        from generator import background, project
        from generator.loaders import claims as claim_loader
        from generator.loaders.config import load_settings

        settings = load_settings(Path("mkdocs.yml"))
        forks = []
        real_start = background.start

        def start(function, *args, fork=True):
            forks.append(fork and background.can_fork())
            return real_start(function, *args, fork=fork)

        background.start = start
        # Which process parsed each claim file: the worker's lines reach the file as the parent's do.
        parsed_by = tempfile.NamedTemporaryFile("r", suffix=".pids")
        real_parse = claim_loader.parse_claim

        def parse_claim(*args):
            with open(parsed_by.name, "a") as log:
                print(os.getpid(), file=log)
            return real_parse(*args)

        claim_loader.parse_claim = parse_claim
        project.FORK_BIBLIOGRAPHY_BYTES = project.FORK_CLAIM_FILES = 0
        forked = project.load_and_check(settings, today=dt.date(2026, 12, 1))
        in_worker = sum(int(line) != os.getpid() for line in open(parsed_by.name))
        project.FORK_BIBLIOGRAPHY_BYTES, project.FORK_CLAIM_FILES = 10**12, 10**12
        here = project.load_and_check(settings, today=dt.date(2026, 12, 1))
        print(forks, forked == here, len(forked.project.references) > 0, in_worker > 0)
        """
    )
    assert out == "[True, False] True True True"


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_map_beside_keeps_the_order_and_needs_no_pickling_of_its_inputs():
    # The function is a closure over a lock, which cannot be pickled: the child inherits it instead.
    # Its results are far bigger than a pipe's buffer, which the parent must drain before waiting.
    out = _run(
        """
        import os, threading
        from generator import background
        lock = threading.Lock()
        parent = os.getpid()

        def page(n):
            with lock:
                return (n, os.getpid() == parent, "x" * 20_000)

        results, _ = background.map_beside(page, list(range(101)), lambda: None, child_share=0.5)
        print([n for n, _, _ in results] == list(range(101)), sum(here for _, here, _ in results), len(results))
        """
    )
    assert out == "True 50 101"


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_map_beside_maps_the_childs_share_there_and_runs_meanwhile_here():
    out = _run(
        """
        import os
        from generator import background
        parent = os.getpid()
        meanwhile = lambda: ("other pages", os.getpid() == parent)
        results, other = background.map_beside(lambda n: (n, os.getpid() == parent), list(range(100)), meanwhile, child_share=0.75)
        print([n for n, _ in results] == list(range(100)), sum(here for _, here in results), other)
        """
    )
    assert out == "True 25 ('other pages', True)"


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_leaving_the_block_early_stops_the_child():
    out = _run(
        """
        import os, time
        from generator import background
        started = time.monotonic()
        try:
            with background.start(time.sleep, 60) as pending:
                child = pending._pid
                raise KeyError("the parent failed before it wanted the result")
        except KeyError:
            pass
        try:
            os.kill(child, 0)
            print("child still there")
        except ProcessLookupError:
            print("child gone", time.monotonic() - started < 30)
        """
    )
    assert out == "child gone True"


def test_map_beside_without_a_fork_is_a_plain_map(monkeypatch):
    monkeypatch.setattr(background, "can_fork", lambda: False)
    assert background.map_beside(str, [], lambda: "rest", child_share=0.5) == ([], "rest")
    assert background.map_beside(str, [1, 2, 3], lambda: "rest", child_share=0.9) == (["1", "2", "3"], "rest")
    assert background.map_beside(str, [1], lambda: "rest", child_share=0.9) == (["1"], "rest")


def test_a_one_off_load_shares_claim_files_with_the_bibliography_worker_by_their_cost():
    assert project.claim_files_here(project.FORK_CLAIM_FILES - 1, 10**9) == project.FORK_CLAIM_FILES - 1  # too few to fork for
    assert project.claim_files_here(1000, 0) == 500  # no bibliography: half each
    library = 400 * project.BIBLIOGRAPHY_BYTES_PER_CLAIM_FILE  # as much work as 400 claim files
    assert project.claim_files_here(1000, library) == 700  # 700 here; 400 + 300 in the worker
    assert project.claim_files_here(1000, 10 * library) == 1000  # the worker has the library alone
